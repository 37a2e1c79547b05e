import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("openapi document", () => {
  const doc = openApiDocument();
  it("documents every route of the REST contract", () => {
    for (const p of ["/api/tasks", "/api/tasks/preview", "/api/tasks/{id}", "/api/tasks/{id}/actions", "/api/tasks/{id}/events", "/api/audit", "/api/health", "/api/namespaces/{ns}/services/{name}", "/api/auth/session", "/api/auth/login", "/api/auth/logout", "/api/auth/oidc/login", "/api/auth/oidc/callback", "/api/namespaces/{ns}/permissions", "/api/namespaces/{ns}/notifications"]) {
      expect(doc.paths).toHaveProperty([p]);
    }
  });
  it("generates the task spec schema from the validator (strategy enum, newVersion fields)", () => {
    const spec = doc.components.schemas.TaskSpec as { properties: Record<string, any>; required: string[] };
    expect(spec.properties.strategy.enum).toEqual(["canary", "blue-green", "ab-test", "mirror", "batch", "replica-canary"]);
    expect(Object.keys(spec.properties.newVersion.properties)).toEqual(expect.arrayContaining(["version", "image", "replicas", "env", "resources"]));
    expect(spec.required).toEqual(expect.arrayContaining(["name", "namespace", "service", "strategy", "newVersion"]));
  });
  it("documents routing.entryRoutes (follow | ignore) and the task's entry routes", () => {
    const spec = doc.components.schemas.TaskSpec as { properties: Record<string, any> };
    expect(spec.properties.routing.properties.entryRoutes.enum).toEqual(["follow", "ignore"]);
    expect(spec.properties.routing.properties.entryRoutes.description).toMatch(/gateway-bound VirtualServices/);
    const detail = doc.components.schemas.TaskDetail as { allOf: { properties?: Record<string, any> }[] };
    expect(detail.allOf[1]?.properties?.entryRoutes.items.required).toContain("weights");
  });
  it("documents the task's foreign routes, the next batch group and confirm's weights choice", () => {
    const detail = doc.components.schemas.TaskDetail as { allOf: { properties?: Record<string, any> }[] };
    expect(detail.allOf[1]?.properties?.foreignRoutes.items.required).toEqual(expect.arrayContaining(["id", "match", "destinations", "sends"]));
    expect(detail.allOf[1]?.properties?.batch.properties.next.required).toEqual(expect.arrayContaining(["ratioWeights", "keepable"]));
    const action = JSON.stringify(doc.components.schemas.ActionRequest);
    expect(action).toContain('"enum":["replicas","keep"]');
  });
});
