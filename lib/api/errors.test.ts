import { describe, expect, it } from "vitest";
import { fieldErrorOf, planError, PlanError } from "@/lib/release/errors";
import { errorJson, toApiError } from "./errors";
import { ErrorBody } from "./contracts";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/tasks/errors";
import { english, localized } from "@/lib/i18n/localized";

describe("toApiError: a PlanError about one field leaves as [{path, message, key?, params?}]", () => {
  it("a keyed field conflict: 409 with the path, the English text after it, and key + params", () => {
    const err = toApiError(
      fieldErrorOf(
        "newVersion.version",
        "err.versionExists",
        { version: "v2", kind: "Deployment", name: "reviews-v2" },
        "conflict",
      ),
    );
    expect(err.status).toBe(409);
    expect(err.code).toBe("conflict");
    expect(err.message).toBe("newVersion.version: version v2 already exists as Deployment reviews-v2");
    expect(err.details).toEqual([
      {
        path: "newVersion.version",
        message: "version v2 already exists as Deployment reviews-v2",
        key: "err.versionExists",
        params: { version: "v2", kind: "Deployment", name: "reviews-v2" },
      },
    ]);
    expect(err.text).toMatchObject({
      key: "err.versionExists",
      params: { version: "v2", kind: "Deployment", name: "reviews-v2" },
    });
  });

  it("an unkeyed field error: 400 with the path and the text after it", () => {
    const err = toApiError(
      new PlanError("invalid", "baseVersion: cannot detect the base version", { path: "baseVersion" }),
    );
    expect(err.status).toBe(400);
    expect(err.details).toEqual([{ path: "baseVersion", message: "cannot detect the base version" }]);
  });

  it("details that say more than the field (routes, an HPA) are passed on as they are", () => {
    const routes = { path: "routing.entryRoutes", routes: [{ id: "bookinfo/http[0]" }] };
    expect(toApiError(new PlanError("conflict", "routing.entryRoutes: cannot follow", routes)).details).toEqual(routes);
    expect(toApiError(planError("conflict", "err.internal", {}, { operation: "x" })).details).toEqual({
      operation: "x",
    });
  });
});

describe("toApiError: the use-cases' domain errors become HTTP here and only here", () => {
  const text = localized("err.task.notFound", { id: "abc" });
  it.each([
    [new Invalid(text, [{ path: "range" }]), 400, "invalid_argument"],
    [new NotFound(text), 404, "not_found"],
    [new Forbidden(text, { namespace: "team-a" }), 403, "forbidden"],
    [new Conflict(text), 409, "conflict"],
    [new Conflict(text, { drift: {} }, "drift"), 409, "drift"],
    [new Conflict(text, null, "illegal_transition"), 409, "illegal_transition"],
  ])("%s -> %i %s, with the catalog text, the English message and the details", (err, status, code) => {
    const api = toApiError(err);
    expect([api.status, api.code]).toEqual([status, code]);
    expect(api.text).toEqual(text);
    expect(api.message).toBe(english(text));
    expect(api.details).toEqual(err.details);
  });

  it("keeps a message that says more than its text (zod's wording), and one with no catalog text", () => {
    expect(toApiError(new Invalid(text, [], "name: too long")).message).toBe("name: too long");
    const bare = toApiError(new Invalid(undefined, [], "spec: invalid"));
    expect([bare.status, bare.message, bare.text]).toEqual([400, "spec: invalid", undefined]);
  });

  it("the error body parses with the contract's ErrorBody", async () => {
    const body = await errorJson(toApiError(new Conflict(text, { drift: {} }, "drift"))).json();
    expect(ErrorBody.parse(body)).toEqual({
      error: {
        code: "drift",
        message: english(text),
        details: { drift: {} },
        key: "err.task.notFound",
        params: { id: "abc" },
      },
    });
  });
});
