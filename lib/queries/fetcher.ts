// The one way the UI talks to the REST API. Every non-2xx answer becomes an ApiError that
// keeps the server's status, code and field details, so a form can put each message beside
// the field it names and a page can tell "cluster down" from "you typed it wrong".
import { ERROR_CODES, type ErrorCode } from "@/lib/api/error-codes";
import type { AuthSessionResponse } from "@/lib/api/contracts";
import { expiredRedirect } from "./signin";
import type { MessageVars } from "@/lib/i18n/format";

/** Server codes plus the two failures only a client sees. */
export type ClientErrorCode = ErrorCode | "network" | "bad_response";

/** `key` + `params`: the message after the path as a catalog entry, when the server sent one. */
export interface FieldError {
  path: string;
  message: string;
  key?: string;
  params?: MessageVars;
}

/**
 * A server message as catalog key + params (the UI renders it with errorText / fieldErrorText);
 * `path`: the request field it is about.
 */
export interface ErrorText {
  key: string;
  params: MessageVars;
  path?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details: unknown = null,
    readonly text: ErrorText | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** `details` when it is the validation shape `[{path, message}]`, else []. */
  get fieldErrors(): FieldError[] {
    return fieldErrorsOf(this.details);
  }

  get clusterUnreachable(): boolean {
    return this.code === "cluster_unreachable";
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function isFieldError(d: unknown): d is FieldError {
  return (
    typeof d === "object" &&
    d !== null &&
    typeof (d as FieldError).path === "string" &&
    typeof (d as FieldError).message === "string"
  );
}

/** Validation details (`[{path, message, key?, params?}]`), or the one field a planner error names. */
export function fieldErrorsOf(details: unknown): FieldError[] {
  if (Array.isArray(details)) return details.filter(isFieldError);
  return isFieldError(details) ? [details] : [];
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

function isVars(v: unknown): v is MessageVars {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string" || typeof x === "number")
  );
}

function textOf(key: unknown, params: unknown, path: unknown): ErrorText | null {
  if (typeof key !== "string") return null;
  return { key, params: isVars(params) ? params : {}, ...(typeof path === "string" && path !== "" ? { path } : {}) };
}

/**
 * Turns an error response body into an ApiError. Bodies that are not our JSON envelope
 * (a proxy's HTML 502 page, an empty 500) still yield a readable message.
 */
export function parseErrorBody(status: number, text: string): ApiError {
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const err = (
    body as
      | {
          error?: {
            code?: unknown;
            message?: unknown;
            details?: unknown;
            key?: unknown;
            params?: unknown;
            path?: unknown;
          };
        }
      | undefined
  )?.error;
  if (err && typeof err === "object" && typeof err.message === "string") {
    const code = typeof err.code === "string" && KNOWN_CODES.has(err.code) ? (err.code as ErrorCode) : "internal";
    return new ApiError(status, code, err.message, err.details ?? null, textOf(err.key, err.params, err.path));
  }
  const snippet = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  const message = snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}`;
  // Someone else's words (a proxy's error page): quoted inside a sentence of ours.
  const said: ErrorText = snippet
    ? { key: "err.client.httpSaid", params: { status, snippet } }
    : { key: "err.client.http", params: { status } };
  return new ApiError(status, status === 503 ? "cluster_unreachable" : "bad_response", message, null, said);
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** Serialised as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

// ---- the session's CSRF token ----
// A cookie session needs proof that a state-changing request comes from our own pages: the
// token GET /api/auth/session hands out, echoed in a header another site cannot set.
// useSession() fills this holder; every POST/DELETE below carries it.

export const CSRF_HEADER = "X-CSRF-Token";
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

// ---- what a 401 does ----

/** Called when a request is answered 401 unauthenticated (the session expired); gets the request path. */
export type UnauthenticatedHandler = (path: string) => void;

let redirecting = false;
/** Full navigation to /signin?reason=expired&next=<here>, once, and never from /signin itself. */
const redirectToSignin: UnauthenticatedHandler = () => {
  if (typeof window === "undefined" || redirecting) return;
  const target = expiredRedirect(window.location);
  if (!target) return;
  redirecting = true;
  window.location.assign(target);
};
let onUnauthenticated: UnauthenticatedHandler = redirectToSignin;

/** Replaces the 401 reaction (tests); null restores the redirect to the sign-in page. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler | null): void {
  onUnauthenticated = handler ?? redirectToSignin;
}

/** /api/auth/* answers 401 as part of signing in (a rejected token): the caller handles it. */
function isAuthPath(path: string): boolean {
  return path === "/api/auth" || path.startsWith("/api/auth/") || path.startsWith("/api/auth?");
}

export async function apiFetch<T>(
  path: string,
  req: ApiRequest = {},
  fetchImpl: FetchLike = (i, init) => fetch(i, init),
): Promise<T> {
  const method = req.method ?? "GET";
  const send = async (): Promise<Response> => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (req.body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET" && csrfToken) headers[CSRF_HEADER] = csrfToken;
    const init: RequestInit = { method, headers, signal: req.signal, cache: "no-store" };
    if (req.body !== undefined) init.body = JSON.stringify(req.body);
    try {
      return await fetchImpl(path, init);
    } catch (e) {
      if ((e as Error).name === "AbortError") throw e;
      const reason = (e as Error).message;
      throw new ApiError(0, "network", `cannot reach the console server: ${reason}`, null, {
        key: "err.client.network",
        params: { reason },
      });
    }
  };
  let res = await send();
  let text = await res.text();
  let err = res.ok ? null : parseErrorBody(res.status, text);
  // A token from before a new sign-in (another tab signed out and in again): take the
  // current one and try once more.
  if (err?.code === "csrf_token" && method !== "GET" && !isAuthPath(path) && (await refreshCsrfToken(fetchImpl))) {
    res = await send();
    text = await res.text();
    err = res.ok ? null : parseErrorBody(res.status, text);
  }
  if (err) {
    if (err.status === 401 && err.code === "unauthenticated" && !isAuthPath(path)) onUnauthenticated(path);
    throw err;
  }
  // 204 No Content (a DELETE that has nothing to say) is a success without a body.
  if (res.status === 204) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      res.status,
      "bad_response",
      `the server answered HTTP ${res.status} with a body that is not JSON`,
      null,
      { key: "err.client.notJson", params: { status: res.status } },
    );
  }
}

/** Reads the session's current CSRF token into the holder; false when there is none or it did not change. */
async function refreshCsrfToken(fetchImpl: FetchLike): Promise<boolean> {
  const before = csrfToken;
  try {
    const session = await apiFetch<AuthSessionResponse>("/api/auth/session", {}, fetchImpl);
    setCsrfToken(session.csrfToken);
  } catch {
    return false;
  }
  return csrfToken !== null && csrfToken !== before;
}
