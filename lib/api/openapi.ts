import { z } from "zod";
import { ActionRequestSchema, TaskSpecSchema } from "@/lib/release/spec";
import { ACTIONS, STRATEGIES, TASK_STATES } from "@/lib/release/types";
import { CHECK_SECTIONS } from "@/lib/release/spec-sections";
import { ERROR_CODES } from "./contracts";
import { TokenLogin } from "@/lib/auth/sign-in-contract";
import { NamespaceNotificationsRequest, NOTIFY_EVENTS, TARGET_TYPES } from "@/lib/notify/schema";

// The OpenAPI document served at GET /api/openapi.json. Request bodies are generated from
// the same zod schemas the handlers validate with, so the document cannot drift from them.

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string", enum: [...ERROR_CODES] },
        message: { type: "string", description: "English, for scripts and logs" },
        details: { description: "field errors [{path,message,key,params}], drift, or the failed/compensated operation" },
        key: { type: "string", description: "the message as a catalog key (lib/i18n/messages/errors-en.ts), for a UI in another language" },
        params: { type: "object", additionalProperties: { type: ["string", "number"] }, description: "values of the key's {placeholders}; a name ending in Key holds the key of a word" },
        path: { type: "string", description: "the request field the message is about (the catalog text is what follows '<path>: ')" },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: {
          400: "bad input or malformed JSON (the message names the field)",
          401: "not signed in (no session, an expired one, or a bearer token the API server does not accept): code unauthenticated",
          403: "forbidden (Kubernetes RBAC refused the user: the API server's wording), cross_site, or csrf_token (a browser session's change without X-CSRF-Token)",
          404: "unknown task, namespace or service",
          409: "a second active task on the service, an illegal transition, drift, or a resourceVersion conflict",
          422: "the cluster rejected the object (its reason is passed on)",
          503: "the cluster is unreachable",
        }[c] ?? "error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    ]),
  );

const taskSummary = {
  type: "object",
  required: ["id", "name", "namespace", "service", "strategy", "state", "baseVersion", "newVersion", "weights", "createdAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    namespace: { type: "string" },
    service: { type: "string" },
    strategy: { type: "string", enum: [...STRATEGIES] },
    state: { type: "string", enum: [...TASK_STATES] },
    baseVersion: { type: "string" },
    newVersion: { type: "string" },
    weights: { type: "object", additionalProperties: { type: "integer" } },
    mirrorPercent: { type: ["number", "null"] },
    createdBy: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
  },
};

const taskDetail = {
  allOf: [
    { $ref: "#/components/schemas/TaskSummary" },
    {
      type: "object",
      properties: {
        spec: { $ref: "#/components/schemas/TaskSpec" },
        notifications: { type: "array", description: "the task's notification deliveries, newest first (spec.notifications are shown as {type, url without credentials, secretSet})", items: { type: "object", required: ["type", "url", "event", "status", "attempts", "lastError", "at"], properties: { type: { type: "string", enum: [...TARGET_TYPES] }, url: { type: "string" }, event: { type: "string", enum: [...NOTIFY_EVENTS] }, status: { type: "string", enum: ["pending", "sent", "failed"] }, attempts: { type: "integer" }, lastError: { type: ["string", "null"] }, lastStatus: { type: ["integer", "null"] }, at: { type: "string" }, nextAttemptAt: { type: ["string", "null"] }, sentAt: { type: ["string", "null"] } } } },
        revision: { type: "integer" },
        allowedActions: { type: "array", items: { type: "string", enum: [...ACTIONS] } },
        batch: {
          type: ["object", "null"],
          properties: {
            plan: { type: "array", items: { type: "integer" } },
            current: { type: "integer" },
            total: { type: "integer" },
            next: {
              type: ["object", "null"],
              description: "what confirming the next group does; null when no group is left",
              required: ["group", "total", "last", "newReplicas", "baseReplicas", "ratioWeights", "overridden", "keepable"],
              properties: {
                group: { type: "integer", description: "the group the confirm rolls out, 1-based" },
                total: { type: "integer" },
                last: { type: "boolean", description: "the base goes to 0 replicas and the new version takes all traffic" },
                newReplicas: { type: "integer" },
                baseReplicas: { type: "integer" },
                ratioWeights: { type: "object", additionalProperties: { type: "integer" }, description: "the split by replica ratio (confirm weights \"replicas\", the default)" },
                overridden: { type: "boolean", description: "the current split differs from the replica ratio of the groups rolled out (someone set it with setTraffic)" },
                keepable: { type: "boolean", description: "confirm weights \"keep\" is possible: not the last group, the base keeps pods, routed by a VirtualService" },
              },
            },
          },
        },
        versions: { type: "array", items: { type: "object", properties: { version: { type: "string" }, role: { type: "string", enum: ["base", "new", "other"] }, image: { type: "string" }, replicas: { type: "object" }, weight: { type: ["integer", "null"] }, pods: { type: "array" } } } },
        routing: { type: "object", description: "weights per version label of the VirtualService default route (subsets read as the versions their labels select); match routes listed separately" },
        entryRoutes: {
          type: "array",
          description: "routes of gateway-bound VirtualServices (the ingress gateway's) that carry the task's weights too (spec.routing.entryRoutes \"follow\"), read live",
          items: {
            type: "object",
            required: ["id", "virtualService", "route", "gateways", "match", "weights"],
            properties: {
              id: { type: "string", description: "<virtualService>/<route name or http[i]>" },
              virtualService: { type: "string" },
              route: { type: "string", description: "the route's name, else http[i]" },
              gateways: { type: "array", items: { type: "string" } },
              match: { type: "string" },
              weights: { type: ["object", "null"], additionalProperties: { type: "integer" }, description: "live weights per version label; null when the route is gone" },
            },
          },
        },
        foreignRoutes: {
          type: "array",
          description: "routes the task does not own (any VirtualService for the host, gateway-bound ones that are not its entry routes) that still use the old version, read live; retireOld refuses (409) while one is not listed in moveRoutes, takeover/switch/confirm may move them",
          items: {
            type: "object",
            required: ["id", "virtualService", "index", "name", "gateways", "match", "destinations", "mirror", "sends"],
            properties: {
              id: { type: "string", description: "<virtualService>/<route name or http[i]>: what moveRoutes lists" },
              virtualService: { type: "string" },
              index: { type: "integer", description: "position in the VirtualService's http list" },
              name: { type: ["string", "null"] },
              gateways: { type: "array", items: { type: "string" }, description: "the VirtualService's gateways; empty for mesh routing" },
              match: {
                type: "array",
                description: "alternatives (ORed), each a list of conditions (ANDed); empty: every request",
                items: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      field: { type: "string", enum: ["header", "query", "withoutHeader", "uri", "method", "scheme", "authority", "port", "sourceLabel", "gateway", "other"] },
                      name: { type: ["string", "null"] },
                      op: { type: ["string", "null"], enum: ["exact", "prefix", "regex", "present", null] },
                      value: { type: ["string", "null"] },
                    },
                  },
                },
              },
              destinations: { type: "array", items: { type: "object", properties: { host: { type: "string" }, subset: { type: ["string", "null"] }, version: { type: ["string", "null"] }, weight: { type: "integer" } } } },
              mirror: { type: ["object", "null"], properties: { host: { type: "string" }, subset: { type: ["string", "null"] }, version: { type: ["string", "null"] }, percent: { type: "number" } } },
              sends: { type: "boolean", description: "sends requests to the old version now (a weight or mirror above 0), not only names it" },
            },
          },
        },
        drift: { type: ["object", "null"], description: "paths where the live VirtualService/DestinationRule differ from what the task wrote" },
        clusterError: { type: "string" },
      },
    },
  ],
};

const taskResponse = { type: "object", required: ["task"], properties: { task: { $ref: "#/components/schemas/TaskDetail" } } };
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "gray-console API",
      version: "1.0.0",
      description: "Grayscale releases on Kubernetes + Istio. Every request acts as the signed-in user (GC_AUTH: token | oidc | proxy | none): send Authorization: Bearer <Kubernetes token>, or use the browser session cookie with its X-CSRF-Token on changes. The Kubernetes API server's RBAC decides; the actor in history is the authenticated identity.",
    },
    paths: {
      "/api/health": { get: { summary: "Kubernetes, database and Prometheus health (always 200)", responses: { 200: { description: "health" } } } },
      "/api/cluster": { get: { summary: "Cluster version and nodes", responses: { 200: { description: "cluster" }, ...errors(503) } } },
      "/api/namespaces": { get: { summary: "Namespaces", responses: { 200: { description: "namespaces" }, ...errors(503) } } },
      "/api/namespaces/{ns}/services": {
        get: { summary: "Services with their versions and routing", parameters: [{ name: "ns", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "services" }, ...errors(400, 404, 503) } },
      },
      "/api/namespaces/{ns}/services/{name}": {
        get: { summary: "One service", parameters: [{ name: "ns", in: "path", required: true, schema: { type: "string" } }, { name: "name", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "service" }, ...errors(400, 404, 503) } },
      },
      "/api/tasks": {
        get: {
          summary: "Release tasks, newest first, paginated on the server",
          parameters: ["namespace", "state", "service", "strategy", "q", "page", "pageSize"].map((n) => ({ name: n, in: "query", schema: { type: n.startsWith("page") ? "integer" : "string" } })),
          responses: { 200: { description: "tasks", ...json({ type: "object", properties: { tasks: { type: "array", items: ref("TaskSummary") }, total: { type: "integer" }, page: { type: "integer" }, pageSize: { type: "integer" } } }) }, ...errors(400) },
        },
        post: {
          summary: "Create a release task (applies its objects to the cluster)",
          requestBody: { required: true, ...json(ref("TaskSpec")) },
          responses: { 201: { description: "created", ...json(taskResponse) }, ...errors(400, 404, 409, 422, 503) },
        },
      },
      "/api/tasks/preview": {
        post: {
          summary: "The exact objects creating the task would apply (YAML and JSON) with a diff; changes nothing",
          parameters: [
            {
              name: "check",
              in: "query",
              schema: { type: "string", enum: [...CHECK_SECTIONS] },
              description: "check only the spec's fields through this wizard section (basic: name, namespace, strategy; service: + service, baseVersion; version: + newVersion), later ones may be empty; answers {check, ok: true} or the error a create would give for those fields",
            },
          ],
          requestBody: { required: true, ...json(ref("TaskSpec")) },
          responses: { 200: { description: "preview (or, with check, {check, ok})", ...json({ type: "object", properties: { yaml: { type: "string" }, objects: { type: "array" }, diff: { type: "array" } } }) }, ...errors(400, 404, 409, 503) },
        },
      },
      "/api/tasks/{id}": {
        get: { summary: "A task with its versions, live routing and drift", parameters: [idParam], responses: { 200: { description: "task", ...json(taskResponse) }, ...errors(404) } },
        delete: { summary: "Abort: remove what the task created and restore the original routing exactly", parameters: [idParam], responses: { 200: { description: "aborted", ...json(taskResponse) }, ...errors(404, 409, 422, 503) } },
      },
      "/api/tasks/{id}/actions": {
        post: {
          summary: "setTraffic | takeover | switch | rollback | retireOld | pause | resume | confirm | resync | acceptDrift | abort",
          parameters: [idParam],
          requestBody: { required: true, ...json(ref("ActionRequest")) },
          responses: { 200: { description: "the task after the action", ...json(taskResponse) }, ...errors(400, 404, 409, 422, 503) },
        },
      },
      "/api/tasks/{id}/events": {
        get: {
          summary: "History: who, when, what, routing before/after (with the foreign routes moved so far), resourceVersions written, result; an action the task refused is recorded too, with result error and the reason",
          parameters: [idParam],
          responses: { 200: { description: "events", ...json({ type: "object", properties: { events: { type: "array", items: { type: "object", properties: { at: { type: "string" }, actor: { type: "string" }, action: { type: "string" }, before: {}, after: {}, resourceVersions: {}, result: { type: "string", enum: ["ok", "error"] }, error: { type: ["string", "null"] }, errorText: { type: ["object", "null"], description: "the error as a server catalog message {key, params}, when it has one" }, note: { type: ["string", "null"] } } } } } }) }, ...errors(404) },
        },
      },
      "/api/audit": {
        get: {
          summary: "Audit export: every recorded action of every task, oldest first (who, when, what, routing before/after, resourceVersions, result), as JSON or CSV",
          parameters: [
            { name: "namespace", in: "query", schema: { type: "string" } },
            { name: "since", in: "query", schema: { type: "string", format: "date-time" }, description: "inclusive" },
            { name: "until", in: "query", schema: { type: "string", format: "date-time" }, description: "exclusive" },
            { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"], default: "json" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 10000, default: 1000 } },
          ],
          responses: {
            200: {
              description: "events; `truncated` (JSON) or the `x-audit-truncated` header (CSV) when the limit was reached",
              content: { "application/json": { schema: { type: "object", properties: { events: { type: "array" }, truncated: { type: "boolean" } } } }, "text/csv": { schema: { type: "string" } } },
            },
            ...errors(400),
          },
        },
      },
      "/api/auth/session": {
        get: { summary: "Who the caller is (never 401), the sign-in mode, and the CSRF token a browser session sends as X-CSRF-Token", responses: { 200: { description: "session", ...json({ type: "object", required: ["mode", "user", "expiresAt", "csrfToken", "signOutUrl"], properties: { mode: { type: "string", enum: ["token", "oidc", "proxy", "none"] }, user: { type: ["object", "null"] }, expiresAt: { type: ["string", "null"] }, csrfToken: { type: ["string", "null"] }, signOutUrl: { type: ["string", "null"] } } }) } } },
      },
      "/api/auth/login": {
        post: { summary: "GC_AUTH=token: sign in with a Kubernetes bearer token (checked with a TokenReview); sets the HttpOnly session cookie", requestBody: { required: true, ...json(jsonSchema(TokenLogin)) }, responses: { 200: { description: "signed in: the session" }, ...errors(400, 401) } },
      },
      "/api/auth/logout": { post: { summary: "Ends the browser session (clears its cookie); `redirect` names the proxy's own sign-out in proxy mode", responses: { 200: { description: "signed out" } } } },
      "/api/auth/oidc/login": { get: { summary: "GC_AUTH=oidc: redirects to the OpenID provider (authorization code flow with PKCE)", parameters: [{ name: "next", in: "query", schema: { type: "string" } }], responses: { 302: { description: "to the provider" }, ...errors(400, 503) } } },
      "/api/auth/oidc/callback": { get: { summary: "The provider returns here; sets the session cookie and redirects to where sign-in began (or to /signin with the reason)", responses: { 302: { description: "signed in, or back to /signin?reason=error" } } } },
      "/api/namespaces/{ns}/permissions": {
        get: { summary: "What the caller may do in the namespace, as the API server answers SelfSubjectAccessReviews sent as the caller", parameters: [{ name: "ns", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "view.allowed, change.allowed with the denied verbs/resources and the API server's reason" }, ...errors(400, 401, 503) } },
      },
      "/api/namespaces/{ns}/notifications": {
        get: { summary: "The namespace's default notification targets (used by its tasks that list none), without secrets (secretSet) or URL credentials", parameters: [{ name: "ns", in: "path", required: true, schema: { type: "string" } }], responses: { 200: { description: "{namespace, targets: [{type, url, secretSet}], updatedBy, updatedAt}" }, ...errors(400, 401, 403) } },
        put: { summary: "Replaces them (the rights to change releases in the namespace are required)", parameters: [{ name: "ns", in: "path", required: true, schema: { type: "string" } }], requestBody: { required: true, ...json(jsonSchema(NamespaceNotificationsRequest)) }, responses: { 200: { description: "as GET" }, ...errors(400, 401, 403, 404) } },
      },
      "/api/tasks/{id}/metrics": {
        get: { summary: "Per-version rps, share, success rate, p50/p90/p99 from Prometheus, plus configured weights", parameters: [idParam, { name: "range", in: "query", schema: { type: "string" } }, { name: "step", in: "query", schema: { type: "string" } }], responses: { 200: { description: "metrics" }, 503: { description: "Prometheus unavailable" }, ...errors(400, 404) } },
      },
    },
    components: {
      schemas: {
        Error: error,
        TaskSpec: jsonSchema(TaskSpecSchema),
        ActionRequest: jsonSchema(ActionRequestSchema),
        TaskSummary: taskSummary,
        TaskDetail: taskDetail,
      },
    },
  };
}
