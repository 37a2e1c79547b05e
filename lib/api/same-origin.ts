import { ApiError } from "./errors";
import { localized } from "@/lib/i18n/localized";

// A browser lets any web site send a POST to the console (a form, or a fetch in no-cors mode
// with a text/plain body). What tells such a request apart is what the browser adds and the
// page cannot forge: Sec-Fetch-Site (Fetch Metadata) and Origin. Scripts and CLIs send neither,
// and are not refused. A JSON body must also be labelled JSON: a cross-site form cannot send
// `application/json` without a CORS preflight, which the console never grants.

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function isMutating(method: string): boolean {
  return MUTATING.has(method.toUpperCase());
}
const SAME_ORIGIN_FETCH = new Set(["same-origin", "none"]);

/** The host:port the caller addressed (behind a proxy, the one the proxy was asked for). */
function addressedHost(headers: Headers, requestUrl: string): string {
  return (
    headers.get("x-forwarded-host")?.split(",")[0]?.trim() ||
    headers.get("host") ||
    new URL(requestUrl).host
  ).toLowerCase();
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/** 403 for a state-changing request a browser sent from another site; null when it may proceed. */
export function crossSiteRefusal(method: string, headers: Headers, requestUrl: string): ApiError | null {
  if (!MUTATING.has(method.toUpperCase())) return null;
  const site = headers.get("sec-fetch-site");
  if (site && !SAME_ORIGIN_FETCH.has(site)) {
    return ApiError.of(403, "cross_site", localized("err.api.crossSite", { site }), { secFetchSite: site });
  }
  const origin = headers.get("origin");
  if (origin === null) return null;
  const host = addressedHost(headers, requestUrl);
  if (originHost(origin) !== host) {
    return ApiError.of(403, "cross_site", localized("err.api.foreignOrigin", { origin, host }), { origin, host });
  }
  return null;
}

/** 415 for a request body that is not labelled application/json (a form post, text/plain). */
export function contentTypeRefusal(method: string, headers: Headers): ApiError | null {
  if (!MUTATING.has(method.toUpperCase())) return null;
  const length = headers.get("content-length");
  const hasBody = (length !== null && length !== "0") || headers.has("transfer-encoding");
  if (!hasBody) return null;
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || /^application\/[a-z0-9.+-]*\+json$/.test(type)) return null;
  const text = type ? localized("err.api.notJson", { type }) : localized("err.api.noContentType");
  return ApiError.of(415, "unsupported_media_type", text, { contentType: type || null });
}
