// One error type for everything the Kubernetes adapter can fail with, classified so the
// API layer maps it without knowing client-node: unreachable -> 503, NotFound -> 404,
// Conflict (resourceVersion precondition) -> 409, Invalid/Forbidden by admission -> 422.
/**
 * "timeout": no answer in time; unlike "unreachable", a write may still have landed.
 * "unauthorized": the apiserver no longer accepts the caller's credentials (a revoked token).
 * "denied": RBAC (the authorizer) refused the caller; "forbidden" is an admission refusal (quota, policy).
 */
export type K8sErrorKind =
  | "unreachable"
  | "timeout"
  | "not_found"
  | "conflict"
  | "invalid"
  | "forbidden"
  | "denied"
  | "unauthorized"
  | "unknown";

/** The authorizer's refusal, as k8s.io/apiserver words it: `User "x" cannot patch resource "y" ...`. */
const AUTHORIZER_REFUSAL = /\bcannot [a-z]+ (resource|path) /;

export class K8sError extends Error {
  constructor(
    readonly kind: K8sErrorKind,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "K8sError";
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: unknown;
  code?: number;
}

function parseBody(body: unknown): StatusBody | undefined {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === "object" ? (body as StatusBody) : undefined;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Turns whatever client-node threw (ApiException, FetchError, timeout) into a K8sError. */
export function toK8sError(err: unknown, what?: string): K8sError {
  if (err instanceof K8sError) return err;
  const e = err as {
    code?: unknown;
    body?: unknown;
    message?: string;
    name?: string;
    errno?: string;
    type?: string;
    cause?: { code?: string };
  };
  const prefix = what ? `${what}: ` : "";
  if (typeof e?.code === "number") {
    const body = parseBody(e.body);
    const msg = body?.message ?? e.message ?? `HTTP ${e.code}`;
    const kind: K8sErrorKind =
      e.code === 404
        ? "not_found"
        : e.code === 409
          ? "conflict"
          : e.code === 422 || e.code === 400
            ? "invalid"
            : e.code === 401
              ? "unauthorized"
              : e.code === 403
                ? AUTHORIZER_REFUSAL.test(msg)
                  ? "denied"
                  : "forbidden"
                : e.code >= 500
                  ? "unreachable"
                  : "unknown";
    return new K8sError(kind, prefix + msg, e.code, body?.details);
  }
  const code = typeof e?.code === "string" ? e.code : (e?.errno ?? e?.cause?.code);
  if (
    (code && NETWORK_CODES.has(code)) ||
    e?.type === "system" ||
    e?.type === "request-timeout" ||
    e?.name === "AbortError"
  ) {
    return new K8sError(
      "unreachable",
      `${prefix}Kubernetes API server is unreachable (${code ?? e?.message ?? "no response"})`,
    );
  }
  return new K8sError("unknown", prefix + (e?.message ?? String(err)));
}
