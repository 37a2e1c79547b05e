import { z } from "zod";
import { K8sError } from "@/lib/k8s/errors";
import { ApplyError } from "@/lib/k8s/applier";
import { PlanError } from "@/lib/release/errors";
import { formatZodError } from "@/lib/release/spec";
import { MetricsUnavailableError } from "@/lib/metrics/prometheus";
import { english, localized, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";

// Every error leaves the API as {error:{code,message,details}} with a status that says
// whose fault it is: 4xx the caller's (fixable), 422 the cluster refused, 503 a dependency is down.
export type { ErrorCode } from "./contracts";
import type { ErrorCode } from "./contracts";

/** `key` + `params`: the message as a catalog entry (lib/i18n/messages/errors-en.ts), when it has one. */
export interface ApiErrorBody { error: { code: ErrorCode; message: string; details: unknown; key?: string; params?: MessageVars } }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string, readonly details: unknown = null, readonly text?: Localized) {
    super(message);
    this.name = "ApiError";
  }
  /** An error whose message comes from the server catalog. */
  static of(status: number, code: ErrorCode, text: Localized, details: unknown = null): ApiError {
    return new ApiError(status, code, english(text), details, text);
  }
  static invalid(message: string, details: unknown = null) { return new ApiError(400, "invalid_argument", message, details); }
  static notFound(message: string, details: unknown = null) { return new ApiError(404, "not_found", message, details); }
  static conflict(message: string, details: unknown = null, code: ErrorCode = "conflict") { return new ApiError(409, code, message, details); }
}

/** A field problem as `details` carries it: the text after the path, and its catalog key when it has one. */
export interface ApiFieldError { path: string; message: string; key?: string; params?: MessageVars }

/**
 * A PlanError about one field (details `{path}` from fieldError, `{path, key, params}` from
 * fieldErrorOf) leaves in the validation shape `[{path, message, key?, params?}]`, so a form puts
 * it beside the field; details that say more (routes, an HPA) are passed on as they are.
 */
function fieldDetails(err: PlanError): ApiFieldError[] | null {
  const d = err.details;
  if (typeof d !== "object" || d === null || Array.isArray(d)) return null;
  const { path, ...rest } = d as Record<string, unknown>;
  if (typeof path !== "string" || Object.keys(rest).some((k) => k !== "key" && k !== "params")) return null;
  const prefix = `${path}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return [{ path, message, ...(err.text ? { key: err.text.key, params: err.text.params } : {}) }];
}

function fromK8s(err: K8sError): ApiError {
  switch (err.kind) {
    case "unreachable":
    case "timeout": return new ApiError(503, "cluster_unreachable", err.message, null);
    case "not_found": return new ApiError(404, "not_found", err.message, err.details ?? null);
    case "conflict": return new ApiError(409, "conflict", `${err.message} (someone else changed it: reload and retry)`, err.details ?? null);
    case "invalid":
    case "forbidden": return new ApiError(422, "rejected_by_cluster", err.message, err.details ?? null);
    case "denied": return new ApiError(403, "forbidden", err.message, err.details ?? null);
    case "unauthorized": return new ApiError(401, "unauthenticated", `the Kubernetes API server no longer accepts your credentials: sign in again (${err.message})`, { reason: "credentials_rejected" });
    default: return new ApiError(502, "internal", err.message, null);
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) {
    const { message, details } = formatZodError(err);
    return ApiError.invalid(message, details);
  }
  if (err instanceof PlanError) {
    const status = err.code === "invalid" ? 400 : err.code === "not_found" ? 404 : 409;
    const code: ErrorCode = err.code === "invalid" ? "invalid_argument" : err.code === "not_found" ? "not_found" : "conflict";
    return new ApiError(status, code, err.message, fieldDetails(err) ?? err.details ?? null, err.text);
  }
  if (err instanceof ApplyError) {
    const mapped = fromK8s(err.cause);
    return new ApiError(mapped.status, mapped.code, err.message, { failedOp: err.failedOp, compensated: err.compensated, compensationErrors: err.compensationErrors });
  }
  if (err instanceof K8sError) return fromK8s(err);
  if (err instanceof MetricsUnavailableError) return new ApiError(503, "metrics_unavailable", `metrics unavailable: ${err.message}`, { reason: err.reason });
  return ApiError.of(500, "internal", localized("err.internal"));
}

export function errorJson(err: ApiError): Response {
  const body: ApiErrorBody = { error: { code: err.code, message: err.message, details: err.details ?? null, ...(err.text ? { key: err.text.key, params: err.text.params } : {}) } };
  return Response.json(body, { status: err.status });
}
