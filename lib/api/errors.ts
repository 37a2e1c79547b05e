import { z } from "zod";
import { K8sError } from "@/lib/k8s/errors";
import { ApplyError } from "@/lib/k8s/applier";
import { PlanError } from "@/lib/release/errors";
import { formatZodError } from "@/lib/release/spec";
import { MetricsUnavailableError } from "@/lib/metrics/prometheus";
import { englishMessage, localized, type Localized } from "@/lib/i18n/localized";
import { k8sErrorText } from "@/lib/k8s/error-text";
import { Conflict, UseCaseError, fieldDetail } from "@/lib/tasks/errors";

// Every error leaves the API as {error:{code,message,details}} with a status that says
// whose fault it is: 4xx the caller's (fixable), 422 the cluster refused, 503 a dependency is down.
// The use-cases throw domain errors (lib/tasks/errors.ts); this is the one place they become HTTP.
export type { ErrorCode } from "./error-codes";
import type { ErrorCode } from "./error-codes";
export { fieldDetail };

/** The body of every error answer (lib/api/contracts ErrorBody). */
export type { ApiErrorBody } from "./contracts";
import type { ApiErrorBody, FieldErrorDetail } from "./contracts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
    readonly text?: Localized,
  ) {
    super(message);
    this.name = "ApiError";
  }
  /** An error whose message comes from the server catalog. */
  static of(status: number, code: ErrorCode, text: Localized, details: unknown = null): ApiError {
    return new ApiError(status, code, englishMessage(text), details, text);
  }
  static invalid(text: Localized, details: unknown = null) {
    return ApiError.of(400, "invalid_argument", text, details);
  }
}

/** A field problem as `details` carries it: the text after the path, and its catalog key when it has one. */
export type ApiFieldError = z.infer<typeof FieldErrorDetail>;

/**
 * A PlanError about one field (details `{path}` from fieldError, `{path, key, params}` from
 * fieldErrorOf) leaves in the validation shape `[{path, message, key?, params?}]`, so a form puts
 * it beside the field; details that say more (routes, an HPA) are passed on as they are.
 */
function fieldDetails(err: PlanError): ApiFieldError[] | null {
  const d = err.details;
  if (typeof d !== "object" || d === null || Array.isArray(d)) return null;
  const { path, ...rest } = d as Record<string, unknown>;
  if (typeof path !== "string" || Object.keys(rest).some((k) => k !== "key" && k !== "params" && k !== "message"))
    return null;
  const prefix = `${path}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return [{ path, message, ...(err.text ? { key: err.text.key, params: err.text.params } : {}) }];
}

/** The cluster's own words (`err.message`) inside a sentence of ours that says what they mean here. */
function fromK8s(err: K8sError): ApiError {
  const text = k8sErrorText(err);
  const details = err.details ?? null;
  switch (err.kind) {
    case "unreachable":
    case "timeout":
      return ApiError.of(503, "cluster_unreachable", text);
    case "not_found":
      return ApiError.of(404, "not_found", text, details);
    case "conflict":
      return ApiError.of(409, "conflict", text, details);
    case "invalid":
    case "forbidden":
      return ApiError.of(422, "rejected_by_cluster", text, details);
    case "denied":
      return ApiError.of(403, "forbidden", text, details);
    case "unauthorized":
      return ApiError.of(401, "unauthenticated", text, { reason: "credentials_rejected" });
    default:
      return ApiError.of(502, "internal", text);
  }
}

/** A use-case's refusal as HTTP: invalid 400, not found 404, conflict 409 (its reason is the code), forbidden 403. */
function fromUseCase(err: UseCaseError): ApiError {
  switch (err.kind) {
    case "invalid":
      return new ApiError(400, "invalid_argument", err.message, err.details, err.text);
    case "not_found":
      return new ApiError(404, "not_found", err.message, err.details, err.text);
    case "forbidden":
      return new ApiError(403, "forbidden", err.message, err.details, err.text);
    case "conflict":
      return new ApiError(409, err instanceof Conflict ? err.reason : "conflict", err.message, err.details, err.text);
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof UseCaseError) return fromUseCase(err);
  if (err instanceof z.ZodError) {
    const { message, details, text } = formatZodError(err);
    // zod's own wording stays the English message; the catalog text is for the UI.
    return new ApiError(400, "invalid_argument", message, details, text);
  }
  if (err instanceof PlanError) {
    const status = err.code === "invalid" ? 400 : err.code === "not_found" ? 404 : 409;
    const code: ErrorCode =
      err.code === "invalid" ? "invalid_argument" : err.code === "not_found" ? "not_found" : "conflict";
    return new ApiError(status, code, err.message, fieldDetails(err) ?? err.details ?? null, err.text);
  }
  if (err instanceof ApplyError) {
    const mapped = fromK8s(err.cause);
    const text = err.compensated
      ? localized("err.apply.rolledBack", { message: err.cause.message })
      : localized("err.apply.undoFailed", { message: err.cause.message, errors: err.compensationErrors.join("; ") });
    return new ApiError(
      mapped.status,
      mapped.code,
      err.message,
      { failedOp: err.failedOp, compensated: err.compensated, compensationErrors: err.compensationErrors },
      text,
    );
  }
  if (err instanceof K8sError) return fromK8s(err);
  if (err instanceof MetricsUnavailableError)
    return ApiError.of(503, "metrics_unavailable", localized("err.metrics.unavailable", { message: err.message }), {
      reason: err.reason,
    });
  return ApiError.of(500, "internal", localized("err.internal"));
}

export function errorJson(err: ApiError): Response {
  const text = err.text
    ? { key: err.text.key, params: err.text.params, ...(err.text.path ? { path: err.text.path } : {}) }
    : {};
  const body: ApiErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      details: (err.details ?? null) as ApiErrorBody["error"]["details"],
      ...text,
    },
  };
  return Response.json(body, { status: err.status });
}
