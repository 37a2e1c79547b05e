import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validate, compileErrors } from "@readme/openapi-parser";
import { openApiDocument } from "./openapi";
import { ROUTES, statusesOf } from "./routes";

const ROOT = path.resolve(__dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** app/api/**\/route.ts as "<method> <OpenAPI path>", read from the files (their exported handlers). */
function routeFiles(dir = path.join(ROOT, "app/api")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    if (name !== "route.ts") return [];
    const source = readFileSync(full, "utf8");
    const urlPath =
      "/" +
      path
        .relative(path.join(ROOT, "app"), dir)
        .split(path.sep)
        .map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))
        .join("/");
    const exported = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
    return exported.map((m) => `${m.toLowerCase()} ${urlPath}`);
  });
}

describe("openapi document", () => {
  const doc = openApiDocument();
  const schemas = doc.components?.schemas as Record<string, any>;

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("documents exactly the route files of app/api and their methods", () => {
    const files = routeFiles().sort();
    expect(files.length).toBeGreaterThan(20);
    expect(ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(files);
    const documented = Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
      Object.keys(item as object).map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual(files);
  });

  const paths = doc.paths as Record<string, any>;

  it("documents every status of every route, errors with the one error body", () => {
    for (const r of ROUTES) {
      const responses = paths[r.path][r.method].responses as Record<string, any>;
      expect(
        Object.keys(responses)
          .map(Number)
          .sort((a, b) => a - b),
        `${r.method} ${r.path}`,
      ).toEqual(statusesOf(r));
      for (const status of r.errors)
        expect(responses[status].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    }
    expect(schemas.Error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["invalid_argument", "drift", "illegal_transition", "internal"]),
    );
    expect(schemas.Error.properties.error.required).toEqual(["code", "message", "details"]);
  });

  it("names path parameters and request bodies from the validators the handlers parse with", () => {
    const actions = paths["/api/tasks/{id}/actions"].post;
    expect(actions.parameters).toEqual([expect.objectContaining({ name: "id", in: "path", required: true })]);
    expect(actions.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ActionRequest",
    });
    const list = paths["/api/tasks"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(
      expect.arrayContaining(["namespace", "state", "service", "strategy", "q", "page", "pageSize"]),
    );
  });

  it("generates the task spec schema from the validator (strategy enum, newVersion fields)", () => {
    const spec = schemas.TaskSpec;
    expect(spec.properties.strategy.enum).toEqual([
      "canary",
      "blue-green",
      "ab-test",
      "mirror",
      "batch",
      "replica-canary",
    ]);
    expect(Object.keys(spec.properties.newVersion.properties)).toEqual(
      expect.arrayContaining(["version", "image", "replicas", "env", "resources"]),
    );
    expect(spec.required).toEqual(expect.arrayContaining(["name", "namespace", "service", "strategy", "newVersion"]));
    expect(spec.properties.routing.properties.entryRoutes.enum).toEqual(["follow", "ignore"]);
    expect(spec.properties.routing.properties.entryRoutes.description).toMatch(/gateway-bound VirtualServices/);
  });

  it("documents the task's answer: entry routes, foreign routes, the next batch group, confirm's weights choice", () => {
    const detail = schemas.TaskDetail;
    expect(detail.required).toEqual(
      expect.arrayContaining(["spec", "allowedActions", "versions", "routing", "foreignRoutes", "operation"]),
    );
    expect(schemas.EntryRouteReading.required).toContain("weights");
    expect(schemas.ForeignRoute.required).toEqual(expect.arrayContaining(["id", "match", "destinations", "sends"]));
    expect(JSON.stringify(detail.properties.batch)).toContain("ratioWeights");
    expect(JSON.stringify(schemas.ActionRequest)).toContain('"enum":["replicas","keep"]');
  });
});
