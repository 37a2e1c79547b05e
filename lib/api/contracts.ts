// The REST contract, one source: zod schemas for every request and response of app/api/**,
// TypeScript types inferred from them. The shapes the use-cases answer live beside them
// (lib/tasks/views.ts, lib/tasks/metrics-views.ts, lib/inventory/views.ts: lib/api imports
// them, never the other way round); request bodies are the validators the handlers parse with
// (lib/release/spec.ts, lib/auth/sign-in-contract.ts). lib/api/routes.ts names the schema of
// every route and status; lib/api/openapi.ts generates GET /api/openapi.json from it.
// Fields may be added, never renamed.
import { z } from "zod";
import { ERROR_CODES } from "./error-codes";
import { CHECK_SECTIONS } from "@/lib/release/spec-sections";

export { ERROR_CODES, type ErrorCode } from "./error-codes";
export * from "@/lib/inventory/views";
export * from "@/lib/tasks/views";
export { MetricsResponse } from "@/lib/tasks/metrics-views";
export { AnalysisResponse } from "@/lib/tasks/analysis-views";
export { ActionRequestSchema, TaskSpecSchema } from "@/lib/release/spec";
import { ActionRequestSchema } from "@/lib/release/spec";
export { TokenLogin } from "@/lib/auth/sign-in-contract";
export {
  DeliveryView,
  NamespaceNotificationsRequest,
  NamespaceNotificationsResponse,
  TargetView,
} from "@/lib/notify/schema";
export { AuditQuery, TaskListQuery } from "@/lib/tasks/requests";
export { NamespaceParams, ServiceParams, StepTemplateParams, TaskParams } from "./params";
export {
  StepTemplateRequest,
  StepTemplateResponse,
  StepTemplateView,
  StepTemplatesResponse,
} from "@/lib/release/step-templates";

/** POST /api/tasks/:id/actions: the validator runAction parses with, as the OpenAPI component ActionRequest. */
export const ActionRequest = ActionRequestSchema.meta({ id: "ActionRequest" });

// ---- errors ----

const messageParams = z.record(z.string(), z.union([z.string(), z.number()]));
/** Any JSON value, present (null when there is nothing to say). */
const jsonValue = z.union([
  z.null(),
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

/** Every 4xx/5xx answer: `{error:{code,message,details,key,params,path?}}`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().describe("English, for scripts and logs"),
      details: jsonValue.describe(
        "field errors [{path,message,key,params}], drift, or the failed/compensated operation; null when none",
      ),
      key: z
        .string()
        .optional()
        .describe("the message as a catalog key (lib/i18n/messages/errors-en.ts), for a UI in another language"),
      params: messageParams
        .optional()
        .describe("values of the key's {placeholders}; a name ending in Key holds the key of a word"),
      path: z
        .string()
        .optional()
        .describe("the request field the message is about (the catalog text is what follows '<path>: ')"),
    }),
  })
  .meta({ id: "Error" });
export type ApiErrorBody = z.infer<typeof ErrorBody>;

/** A field problem as `details` carries it: the text after the path, and its catalog key when it has one. */
export const FieldErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
  key: z.string().optional(),
  params: messageParams.optional(),
});

// ---- queries ----

export const MetricsQuery = z.object({
  range: z.string().optional().describe('a duration such as 15m or 6h; on a task also "task" (from its start to now)'),
  step: z.string().optional().describe("the series' resolution, e.g. 30s"),
});
export const PreviewQuery = z.object({
  check: z
    .enum(CHECK_SECTIONS, { error: `must be one of ${CHECK_SECTIONS.join(", ")}` })
    .optional()
    .describe(
      "check only the spec's fields through this wizard section (later ones may be empty); answers {check, ok: true} or the error a create would give",
    ),
});
export const OidcLoginQuery = z.object({
  next: z.string().optional().describe("the console path to return to after sign-in"),
});
export const OidcCallbackQuery = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

// ---- sign-in and permissions (issue 10) ----

export const AuthMode = z.enum(["token", "oidc", "proxy", "none"]);
export type AuthMode = z.infer<typeof AuthMode>;
/** How the caller of this request was recognised. */
export const AuthVia = z.enum(["session", "bearer", "proxy", "none"]);
export type AuthVia = z.infer<typeof AuthVia>;
export const SessionUser = z.object({
  name: z
    .string()
    .describe("the Kubernetes user name the apiserver sees (e.g. system:serviceaccount:bookinfo:deployer)"),
  groups: z.array(z.string()),
  via: AuthVia,
});
export type SessionUser = z.infer<typeof SessionUser>;

/** GET /api/auth/session: never 401; says whether (and as whom) the caller is signed in. */
export const AuthSessionResponse = z
  .object({
    mode: AuthMode,
    user: SessionUser.nullable(),
    expiresAt: z
      .string()
      .nullable()
      .describe("when the session cookie stops being accepted; null without a cookie session"),
    csrfToken: z.string().nullable().describe("send as X-CSRF-Token on every POST/DELETE made with the session cookie"),
    signOutUrl: z
      .string()
      .nullable()
      .describe("where the sign-out button goes after POST /api/auth/logout (proxy mode)"),
  })
  .meta({ id: "AuthSession" });
export type AuthSessionResponse = z.infer<typeof AuthSessionResponse>;

export const LogoutResponse = z
  .object({ signedOut: z.literal(true), redirect: z.string().nullable() })
  .meta({ id: "LogoutResponse" });
export type LogoutResponse = z.infer<typeof LogoutResponse>;

export const AccessCheck = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  allowed: z.boolean(),
  reason: z.string().nullable(),
});
export type AccessCheck = z.infer<typeof AccessCheck>;
const decision = { allowed: z.boolean(), reason: z.string().nullable() };

/** GET /api/namespaces/:ns/permissions: what the caller may do there, as the apiserver answers (SelfSubjectAccessReview). */
export const PermissionsResponse = z
  .object({
    namespace: z.string(),
    user: z.string(),
    view: z.object(decision).describe("may see services, versions and release tasks there"),
    change: z
      .object({ ...decision, denied: z.array(AccessCheck) })
      .describe("may create and drive release tasks there (every write a release makes)"),
    checks: z.array(AccessCheck),
  })
  .meta({ id: "PermissionsResponse" });
export type PermissionsResponse = z.infer<typeof PermissionsResponse>;
