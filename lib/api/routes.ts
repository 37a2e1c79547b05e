// Every route of app/api/** with its request and each response status, named by schema: the
// registry the OpenAPI document is generated from (lib/api/openapi.ts) and the integration test
// parses real answers with (test/integration/contracts.int.test.ts). A test checks that these are
// exactly the route files and their exported methods.
import { z } from "zod";
import * as c from "./contracts";

export type Method = "get" | "post" | "put" | "delete";

/** A success answer: its JSON schema, or none (a redirect); `csv`: also answers text/csv. */
export interface SuccessSpec {
  description: string;
  schema?: z.ZodType;
  csv?: boolean;
}

export interface RouteContract {
  method: Method;
  /** OpenAPI form: /api/tasks/{id} */
  path: string;
  summary: string;
  /** "public": anyone may call (no sign-in); "signed-in": 401 without a caller. */
  access: "public" | "signed-in";
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  success: Record<number, SuccessSpec>;
  /** Statuses answered with the error body (lib/api/contracts ErrorBody), beyond every route's 500. */
  errors: readonly number[];
}

/** What an error status means, whatever the route. */
export const ERROR_STATUS_TEXT: Record<number, string> = {
  400: "bad input or malformed JSON (code invalid_argument or bad_json; the message names the field), or a sign-in mode this route is not for (auth_mode)",
  401: "not signed in (no session, an expired one, or a bearer token the API server does not accept): code unauthenticated",
  403: "forbidden (Kubernetes RBAC refused the user: the API server's wording), cross_site, or csrf_token (a browser session's change without X-CSRF-Token)",
  404: "unknown task, namespace or service",
  409: "a second active task on the service, an illegal transition (illegal_transition), drift (drift), or a resourceVersion conflict",
  415: "a request body that is not application/json (unsupported_media_type)",
  422: "the cluster rejected the object (rejected_by_cluster; its reason is passed on)",
  500: "an unexpected server error (internal; the server log has the cause)",
  503: "the cluster is unreachable (cluster_unreachable), Prometheus is (metrics_unavailable), or the database is (database_unavailable)",
};

// Every handler may fail unexpectedly; a signed-in route also answers 401 and 403 (RBAC, CSRF),
// and a cluster it cannot reach with 503; a write refuses a body that is not JSON (415).
const SIGNED_IN_READ = [401, 403, 503] as const;
const SIGNED_IN_WRITE = [...SIGNED_IN_READ, 415] as const;
const PUBLIC_WRITE = [403, 415] as const;

const json = (description: string, schema: z.ZodType): SuccessSpec => ({ description, schema });

export const ROUTES: readonly RouteContract[] = [
  {
    method: "get",
    path: "/api/health",
    summary: "Kubernetes, database, Prometheus and reconciler health (always 200)",
    access: "public",
    success: { 200: json("health", c.HealthResponse) },
    errors: [],
  },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    access: "public",
    success: { 200: json("the OpenAPI 3.1 document", z.record(z.string(), z.unknown())) },
    errors: [],
  },
  {
    method: "get",
    path: "/api/cluster",
    summary: "Cluster version and nodes",
    access: "signed-in",
    success: { 200: json("cluster", c.ClusterResponse) },
    errors: [...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces",
    summary: "Namespaces the caller may see",
    access: "signed-in",
    success: { 200: json("namespaces", c.NamespacesResponse) },
    errors: [...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/services",
    summary: "Services with their versions and routing",
    access: "signed-in",
    params: c.NamespaceParams,
    success: { 200: json("services", c.ServicesResponse) },
    errors: [400, 404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/services/{name}",
    summary: "One service",
    access: "signed-in",
    params: c.ServiceParams,
    success: { 200: json("service", c.ServiceResponse) },
    errors: [400, 404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/services/{name}/metrics",
    summary:
      "Per-version rps, share, success rate, latency of a service from Prometheus, next to its configured weights",
    access: "signed-in",
    params: c.ServiceParams,
    query: c.MetricsQuery,
    success: { 200: json("metrics", c.MetricsResponse) },
    errors: [400, 404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/permissions",
    summary:
      "What the caller may do in the namespace, as the API server answers SelfSubjectAccessReviews sent as the caller",
    access: "signed-in",
    params: c.NamespaceParams,
    success: {
      200: json(
        "view.allowed, change.allowed with the denied verbs/resources and the API server's reason",
        c.PermissionsResponse,
      ),
    },
    errors: [400, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/notifications",
    summary:
      "The namespace's default notification targets (used by its tasks that list none), without secrets (secretSet) or URL credentials",
    access: "signed-in",
    params: c.NamespaceParams,
    success: { 200: json("the targets", c.NamespaceNotificationsResponse) },
    errors: [400, ...SIGNED_IN_READ],
  },
  {
    method: "put",
    path: "/api/namespaces/{ns}/notifications",
    summary: "Replaces the namespace's default notification targets (the rights to change releases there are required)",
    access: "signed-in",
    params: c.NamespaceParams,
    body: c.NamespaceNotificationsRequest,
    success: { 200: json("the targets, as GET", c.NamespaceNotificationsResponse) },
    errors: [400, 404, ...SIGNED_IN_WRITE],
  },
  {
    method: "get",
    path: "/api/namespaces/{ns}/step-templates",
    summary: "Step plan templates for the wizard: the built-in ones, then the namespace's saved ones",
    access: "signed-in",
    params: c.NamespaceParams,
    success: { 200: json("the templates", c.StepTemplatesResponse) },
    errors: [400, ...SIGNED_IN_READ],
  },
  {
    method: "post",
    path: "/api/namespaces/{ns}/step-templates",
    summary: "Saves a step plan template for the namespace (the rights to change releases there are required)",
    access: "signed-in",
    params: c.NamespaceParams,
    body: c.StepTemplateRequest,
    success: { 201: json("the saved template", c.StepTemplateResponse) },
    errors: [400, 404, 409, ...SIGNED_IN_WRITE],
  },
  {
    method: "delete",
    path: "/api/namespaces/{ns}/step-templates/{name}",
    summary: "Deletes one of the namespace's saved step plan templates (built-in ones cannot be: 400)",
    access: "signed-in",
    params: c.StepTemplateParams,
    success: { 204: { description: "deleted" } },
    errors: [400, 404, ...SIGNED_IN_WRITE],
  },
  {
    method: "get",
    path: "/api/tasks",
    summary: "Release tasks, newest first, paginated on the server",
    access: "signed-in",
    query: c.TaskListQuery,
    success: { 200: json("tasks", c.TaskListResponse) },
    errors: [400, ...SIGNED_IN_READ],
  },
  {
    method: "post",
    path: "/api/tasks",
    summary: "Create a release task (applies its objects to the cluster)",
    access: "signed-in",
    body: c.TaskSpec,
    success: { 201: json("created", c.TaskResponse) },
    errors: [400, 404, 409, 422, ...SIGNED_IN_WRITE],
  },
  {
    method: "post",
    path: "/api/tasks/preview",
    summary:
      "The exact objects creating the task would apply (YAML and JSON) with a diff; changes nothing. With ?check=<section>, only whether the spec's fields through that wizard section pass",
    access: "signed-in",
    query: c.PreviewQuery,
    body: c.TaskSpec,
    success: {
      200: json("the preview, or with check {check, ok: true}", z.union([c.PreviewResponse, c.PreviewCheckResponse])),
    },
    errors: [400, 404, 409, ...SIGNED_IN_WRITE],
  },
  {
    method: "get",
    path: "/api/tasks/{id}",
    summary: "A task with its versions, live routing and drift",
    access: "signed-in",
    params: c.TaskParams,
    success: { 200: json("task", c.TaskResponse) },
    errors: [404, ...SIGNED_IN_READ],
  },
  {
    method: "delete",
    path: "/api/tasks/{id}",
    summary: "Abort: remove what the task created and restore the original routing exactly",
    access: "signed-in",
    params: c.TaskParams,
    success: { 200: json("aborted", c.TaskResponse) },
    errors: [404, 409, 422, ...SIGNED_IN_WRITE],
  },
  {
    method: "post",
    path: "/api/tasks/{id}/actions",
    summary:
      "setTraffic | takeover | switch | rollback | retireOld | pause | resume | confirm | resync | acceptDrift | abort",
    access: "signed-in",
    params: c.TaskParams,
    body: c.ActionRequest,
    success: { 200: json("the task after the action", c.TaskResponse) },
    errors: [400, 404, 409, 422, ...SIGNED_IN_WRITE],
  },
  {
    method: "get",
    path: "/api/tasks/{id}/events",
    summary:
      "History: who, when, what, routing before/after, resourceVersions written, result; a refused action is recorded too, with the reason",
    access: "signed-in",
    params: c.TaskParams,
    success: { 200: json("events", c.TaskEventsResponse) },
    errors: [404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/tasks/{id}/metrics",
    summary:
      "Per-version rps, share, success rate, p50/p90/p99 of the task's versions from Prometheus, plus configured weights",
    access: "signed-in",
    params: c.TaskParams,
    query: c.MetricsQuery,
    success: { 200: json("metrics", c.MetricsResponse) },
    errors: [400, 404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/tasks/{id}/analysis",
    summary:
      "The task's metric analysis: every run with each metric's measurement, threshold, verdict, request count and reason",
    access: "signed-in",
    params: c.TaskParams,
    success: { 200: json("analysis", c.AnalysisResponse) },
    errors: [404, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "Audit export: every recorded action of every task the caller may read, oldest first, as JSON or CSV",
    access: "signed-in",
    query: c.AuditQuery,
    success: {
      200: {
        description: "events; `truncated` (JSON) or the `x-audit-truncated` header (CSV) when the limit was reached",
        schema: c.AuditResponse,
        csv: true,
      },
    },
    errors: [400, ...SIGNED_IN_READ],
  },
  {
    method: "get",
    path: "/api/auth/session",
    summary:
      "Who the caller is (never 401), the sign-in mode, and the CSRF token a browser session sends as X-CSRF-Token",
    access: "public",
    success: { 200: json("session", c.AuthSessionResponse) },
    errors: [],
  },
  {
    method: "post",
    path: "/api/auth/login",
    summary:
      "GC_AUTH=token: sign in with a Kubernetes bearer token (checked with a TokenReview); sets the HttpOnly session cookie",
    access: "public",
    body: c.TokenLogin,
    success: { 200: json("signed in: the session", c.AuthSessionResponse) },
    errors: [400, 401, ...PUBLIC_WRITE],
  },
  {
    method: "post",
    path: "/api/auth/logout",
    summary: "Ends the browser session (clears its cookie); `redirect` names the proxy's or provider's own sign-out",
    access: "public",
    success: { 200: json("signed out", c.LogoutResponse) },
    errors: [...PUBLIC_WRITE],
  },
  {
    method: "get",
    path: "/api/auth/oidc/login",
    summary: "GC_AUTH=oidc: redirects to the OpenID provider (authorization code flow with PKCE)",
    access: "public",
    query: c.OidcLoginQuery,
    success: { 302: { description: "to the provider" } },
    errors: [400, 503],
  },
  {
    method: "get",
    path: "/api/auth/oidc/callback",
    summary:
      "The provider returns here; sets the session cookie and redirects to where sign-in began (or to /signin with the reason)",
    access: "public",
    query: c.OidcCallbackQuery,
    success: { 302: { description: "signed in, or back to /signin?reason=error" } },
    errors: [],
  },
];

/** Every status a route answers: its successes, its errors, and 500. */
export function statusesOf(r: RouteContract): number[] {
  return [...new Set([...Object.keys(r.success).map(Number), ...r.errors, 500])].sort((a, b) => a - b);
}

/** The schema a route's answer with `status` must parse with; undefined for an undocumented status or a body-less redirect. */
export function responseSchema(r: RouteContract, status: number): z.ZodType | undefined {
  const ok = r.success[status];
  if (ok) return ok.schema;
  return statusesOf(r).includes(status) ? c.ErrorBody : undefined;
}

export function routeOf(method: string, path: string): RouteContract | undefined {
  return ROUTES.find((r) => r.method === method.toLowerCase() && r.path === path);
}
