import { describe, expect, it } from "vitest";
import { fieldErrorOf, planError, PlanError } from "@/lib/release/errors";
import { toApiError } from "./errors";

describe("toApiError: a PlanError about one field leaves as [{path, message, key?, params?}]", () => {
  it("a keyed field conflict: 409 with the path, the English text after it, and key + params", () => {
    const err = toApiError(fieldErrorOf("newVersion.version", "err.versionExists", { version: "v2", kind: "Deployment", name: "reviews-v2" }, "conflict"));
    expect(err.status).toBe(409);
    expect(err.code).toBe("conflict");
    expect(err.message).toBe("newVersion.version: version v2 already exists as Deployment reviews-v2");
    expect(err.details).toEqual([
      { path: "newVersion.version", message: "version v2 already exists as Deployment reviews-v2", key: "err.versionExists", params: { version: "v2", kind: "Deployment", name: "reviews-v2" } },
    ]);
    expect(err.text).toMatchObject({ key: "err.versionExists", params: { version: "v2", kind: "Deployment", name: "reviews-v2" } });
  });

  it("an unkeyed field error: 400 with the path and the text after it", () => {
    const err = toApiError(new PlanError("invalid", "baseVersion: cannot detect the base version", { path: "baseVersion" }));
    expect(err.status).toBe(400);
    expect(err.details).toEqual([{ path: "baseVersion", message: "cannot detect the base version" }]);
  });

  it("details that say more than the field (routes, an HPA) are passed on as they are", () => {
    const routes = { path: "routing.entryRoutes", routes: [{ id: "bookinfo/http[0]" }] };
    expect(toApiError(new PlanError("conflict", "routing.entryRoutes: cannot follow", routes)).details).toEqual(routes);
    expect(toApiError(planError("conflict", "err.internal", {}, { operation: "x" })).details).toEqual({ operation: "x" });
  });
});
