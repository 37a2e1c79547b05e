// Where the UI sends the browser to sign in, and where it may send it back. PURE: the fetcher
// (a 401 mid-session), the sign-in page and the header share these rules.

/** Why /signin is shown; the page words each one. */
export const SIGNIN_REASONS = ["expired", "signed-out", "error"] as const;
export type SigninReason = (typeof SIGNIN_REASONS)[number];

export function isSigninReason(v: unknown): v is SigninReason {
  return typeof v === "string" && (SIGNIN_REASONS as readonly string[]).includes(v);
}

export const SIGNIN_PATH = "/signin";

// Any fixed origin works: a relative path resolves against it, anything that leaves it is foreign.
const BASE = "http://console.invalid";

/**
 * `raw` when it is a path on this site, else "/". An open redirect would let a crafted link
 * (`/signin?next=//evil.example`) send a freshly signed-in user elsewhere, so only relative
 * paths that still resolve to this origin pass; browsers read `/\evil` and `/<tab>/evil` as
 * `//evil`, hence the URL parse rather than a prefix check alone. /signin itself becomes "/"
 * (signing in must not loop back to the sign-in page).
 */
export function safeNextPath(raw: string | null | undefined): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  // URL parsers drop tabs and newlines before reading the path: "/\t/evil" is "//evil".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  // Dot segments can rebuild a "//" once resolved: "/a/../..//evil" is the path "//evil".
  if (url.pathname.startsWith("//")) return "/";
  if (url.pathname === SIGNIN_PATH || url.pathname.startsWith(`${SIGNIN_PATH}/`)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A sign-in error as catalog key + params (the page words it in the reader's language). */
export interface SigninText {
  key: string;
  params: Record<string, string | number>;
}

/**
 * `/signin?reason=expired&next=%2Freleases%2Fabc`; `next` is left out when it would be "/".
 * An error's English `message` goes along with its `key` + `params` (JSON) when it has them.
 */
export function signinPath(
  opts: { reason?: SigninReason; next?: string | null; message?: string; text?: SigninText } = {},
): string {
  const params = new URLSearchParams();
  if (opts.reason) params.set("reason", opts.reason);
  if (opts.message) params.set("message", opts.message);
  if (opts.text) {
    params.set("key", opts.text.key);
    params.set("params", JSON.stringify(opts.text.params));
  }
  const next = safeNextPath(opts.next);
  if (next !== "/") params.set("next", next);
  const qs = params.toString();
  return qs ? `${SIGNIN_PATH}?${qs}` : SIGNIN_PATH;
}

/**
 * Where a request answered 401 (session expired) sends the browser, or null when it is
 * already on the sign-in page (the page's own requests must not reload it in a loop).
 */
export function expiredRedirect(location: { pathname: string; search: string }): string | null {
  if (location.pathname === SIGNIN_PATH || location.pathname.startsWith(`${SIGNIN_PATH}/`)) return null;
  return signinPath({ reason: "expired", next: `${location.pathname}${location.search}` });
}

/** A pasted token as the login endpoint wants it: no surrounding space, no "Bearer " in front. */
export function cleanToken(raw: string): string {
  return raw
    .trim()
    .replace(/^bearer\s+/i, "")
    .trim();
}

/** The `key` + `params` of a sign-in error URL, or null when absent or malformed (the page then shows `message`). */
export function signinTextOf(key: string | undefined, params: string | undefined): SigninText | null {
  if (!key || !/^err\.[A-Za-z0-9.-]+$/.test(key)) return null;
  let parsed: unknown = {};
  try {
    parsed = params ? JSON.parse(params) : {};
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const entries = Object.entries(parsed).filter(([, v]) => typeof v === "string" || typeof v === "number") as [
    string,
    string | number,
  ][];
  return { key, params: Object.fromEntries(entries.map(([k, v]) => [k, typeof v === "string" ? v.slice(0, 300) : v])) };
}
