// Every error code the API answers with (`{error:{code,message,details}}`): the one list for the
// server, the client (lib/queries/fetcher) and the OpenAPI document. Zod-free, so the browser
// bundle can import it.
export const ERROR_CODES = [
  "invalid_argument",
  "bad_json",
  "cross_site",
  "csrf_token",
  "unauthenticated",
  "forbidden",
  "auth_mode",
  "unsupported_media_type",
  "not_found",
  "conflict",
  "illegal_transition",
  "drift",
  "rejected_by_cluster",
  "cluster_unreachable",
  "metrics_unavailable",
  "database_unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
