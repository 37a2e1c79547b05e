// The OpenAPI document served at GET /api/openapi.json, generated from the zod contracts
// (lib/api/contracts.ts) route by route (lib/api/routes.ts) with @asteasolutions/zod-to-openapi:
// nothing in it is written by hand except the words, so it cannot drift from what the handlers
// parse and answer.
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { ErrorBody } from "./contracts";
import { ERROR_STATUS_TEXT, ROUTES, type RouteContract } from "./routes";
import { SESSION_COOKIE } from "@/lib/auth/session";

const DESCRIPTION =
  "Grayscale releases on Kubernetes + Istio. Every request acts as the signed-in user (GC_AUTH: token | oidc | proxy | none): send Authorization: Bearer <Kubernetes token>, or use the browser session cookie with its X-CSRF-Token on changes. The Kubernetes API server's RBAC decides; the actor in history is the authenticated identity. Errors answer {error:{code,message,details,key,params,path?}}.";

function responsesOf(r: RouteContract): RouteConfig["responses"] {
  const success = Object.fromEntries(
    Object.entries(r.success).map(([status, s]) => [
      status,
      {
        description: s.description,
        ...(s.schema
          ? {
              content: {
                "application/json": { schema: s.schema },
                ...(s.csv ? { "text/csv": { schema: { type: "string" as const } } } : {}),
              },
            }
          : {}),
      },
    ]),
  );
  const errors = Object.fromEntries(
    [...r.errors, 500].map((status) => [
      String(status),
      { description: ERROR_STATUS_TEXT[status] ?? "error", content: { "application/json": { schema: ErrorBody } } },
    ]),
  );
  return { ...success, ...errors };
}

function routeConfig(r: RouteContract): RouteConfig {
  const request: RouteConfig["request"] = {
    ...(r.params ? { params: r.params } : {}),
    ...(r.query ? { query: r.query as NonNullable<RouteConfig["request"]>["query"] } : {}),
    ...(r.body ? { body: { required: true, content: { "application/json": { schema: r.body } } } } : {}),
  };
  return {
    method: r.method,
    path: r.path,
    summary: r.summary,
    ...(Object.keys(request).length > 0 ? { request } : {}),
    ...(r.access === "public" ? { security: [] } : {}),
    responses: responsesOf(r),
  };
}

export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "a Kubernetes bearer token (checked with a TokenReview)",
  });
  registry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description: "the browser session; changes also send X-CSRF-Token",
  });
  for (const r of ROUTES) registry.registerPath(routeConfig(r));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "gray-console API", version: "1.0.0", description: DESCRIPTION },
    security: [{ bearer: [] }, { session: [] }],
  });
}
