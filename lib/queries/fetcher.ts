// The one way the UI talks to the REST API. Every non-2xx answer becomes an ApiError that
// keeps the server's status, code and field details, so a form can put each message beside
// the field it names and a page can tell "cluster down" from "you typed it wrong".
import { ERROR_CODES, type ErrorCode } from "@/lib/api/contracts";

/** Server codes plus the two failures only a client sees. */
export type ClientErrorCode = ErrorCode | "network" | "bad_response";

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details: unknown = null,
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

export function fieldErrorsOf(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is FieldError =>
      typeof d === "object" && d !== null && typeof (d as FieldError).path === "string" && typeof (d as FieldError).message === "string",
  );
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

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
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (err && typeof err === "object" && typeof err.message === "string") {
    const code = typeof err.code === "string" && KNOWN_CODES.has(err.code) ? (err.code as ErrorCode) : "internal";
    return new ApiError(status, code, err.message, err.details ?? null);
  }
  const snippet = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return new ApiError(status, status === 503 ? "cluster_unreachable" : "bad_response", snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status}`);
}

export interface ApiRequest {
  method?: "GET" | "POST" | "DELETE";
  /** Serialised as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export async function apiFetch<T>(path: string, req: ApiRequest = {}, fetchImpl: FetchLike = (i, init) => fetch(i, init)): Promise<T> {
  const init: RequestInit = { method: req.method ?? "GET", headers: { accept: "application/json" }, signal: req.signal, cache: "no-store" };
  if (req.body !== undefined) {
    init.body = JSON.stringify(req.body);
    init.headers = { accept: "application/json", "content-type": "application/json" };
  }
  let res: Response;
  try {
    res = await fetchImpl(path, init);
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, "network", `cannot reach the console server: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw parseErrorBody(res.status, text);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, "bad_response", `the server answered HTTP ${res.status} with a body that is not JSON`);
  }
}
