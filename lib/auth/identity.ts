import "server-only";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { english, localized } from "@/lib/i18n/localized";
import type { AuthMode, AuthVia } from "@/lib/api/contracts";
import type { Acting } from "@/lib/k8s/user-clients";
import { cidrMatcher } from "./cidr";
import { PEER_HEADER } from "./peer";
import { readSession, type SessionData } from "./session";
import { reviewToken } from "./token-review";

// Who is calling: the one place a request becomes an identity. The name is what the
// apiserver will see (and what history records); nothing a client merely asserts in a header
// counts, except a user header from a trusted proxy in proxy mode.

export interface Identity {
  name: string;
  groups: string[];
  via: AuthVia;
  /** How calls for this user reach the apiserver; null: as the console itself (GC_AUTH=none). */
  acting: Acting | null;
  /** The client's address: the peer, or the address a trusted proxy reports for its client. */
  source: string | null;
  /** What the CSRF token of a browser session is bound to; null for bearer-token callers. */
  csrfBinding: string | null;
  /** Cookie sessions: when they end (ms since the epoch). */
  expiresAt: number | null;
}

export const ANONYMOUS = "anonymous";

/** The console acting on its own (batch auto-advance): no user, its own ServiceAccount. */
export function systemActor(name: string): Identity {
  return { name, groups: [], via: "none", acting: null, source: null, csrfBinding: null, expiresAt: null };
}

export function authMode(): AuthMode {
  return env().GC_AUTH;
}

let trustedPeer: ((address: string | null) => boolean) | undefined;
function isTrustedProxy(address: string | null): boolean {
  trustedPeer ??= cidrMatcher(env().GC_TRUSTED_PROXIES ?? "");
  return trustedPeer(address);
}

/** The client's address: behind a trusted proxy, the last X-Forwarded-For hop it appended. */
export function sourceAddress(headers: Headers): string | null {
  const peer = headers.get(PEER_HEADER) || null;
  if (!isTrustedProxy(peer)) return peer;
  const forwarded = headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded?.at(-1) ?? peer;
}

function bearerToken(headers: Headers): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return m?.[1] ?? null;
}

function prefixed(names: string[], prefix: string): string[] {
  return names.map((n) => prefix + n);
}

function fromProxy(headers: Headers, source: string | null): Identity | null {
  const e = env();
  if (!isTrustedProxy(headers.get(PEER_HEADER) || null)) return null;
  const user = headers.get(e.GC_ACTOR_HEADER)?.trim();
  if (!user || user.length > 253) return null;
  const groups = (headers.get(e.GC_PROXY_GROUPS_HEADER) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const name = e.GC_AUTH_USER_PREFIX + user;
  const groupNames = prefixed(groups, e.GC_AUTH_GROUP_PREFIX);
  return {
    name,
    groups: groupNames,
    via: "proxy",
    acting: { impersonate: { user: name, groups: groupNames } },
    source,
    csrfBinding: `proxy\n${name}`,
    expiresAt: null,
  };
}

export class SessionExpired extends ApiError {
  constructor() {
    const text = localized("err.auth.expired");
    super(401, "unauthenticated", english(text), { reason: "expired" }, text);
  }
}

/**
 * The caller, or null when nobody is signed in. A bearer token the apiserver refuses is a 401
 * (not a fall-back to the cookie): an API client must learn its token is bad.
 */
export async function authenticate(request: Request): Promise<Identity | null> {
  const mode = authMode();
  const headers = request.headers;
  const source = sourceAddress(headers);
  if (mode === "none")
    return { name: ANONYMOUS, groups: [], via: "none", acting: null, source, csrfBinding: null, expiresAt: null };
  const token = bearerToken(headers);
  if (token) {
    const user = await reviewToken(token);
    if (!user)
      throw ApiError.of(401, "unauthenticated", localized("err.auth.bearerRejected"), { reason: "token_rejected" });
    return { ...user, via: "bearer", acting: { token }, source, csrfBinding: null, expiresAt: null };
  }
  if (mode === "proxy") return fromProxy(headers, source);
  const reading = readSession(headers.get("cookie"));
  if (!reading) return null;
  if ("expired" in reading) throw new SessionExpired();
  return sessionIdentity(reading.session, source);
}

/** The caller a session cookie stands for: the user's own token (token mode) or impersonation (oidc). */
export function sessionIdentity(s: SessionData, source: string | null): Identity {
  const acting: Acting = s.token ? { token: s.token } : { impersonate: { user: s.name, groups: s.groups } };
  return {
    name: s.name,
    groups: s.groups,
    via: "session",
    acting,
    source,
    csrfBinding: `session\n${s.sid}`,
    expiresAt: s.exp * 1000,
  };
}

export async function requireIdentity(request: Request): Promise<Identity> {
  const identity = await authenticate(request);
  if (!identity) {
    throw ApiError.of(
      401,
      "unauthenticated",
      localized(authMode() === "proxy" ? "err.auth.noProxyUser" : "err.auth.notSignedIn"),
      { reason: "no_session" },
    );
  }
  return identity;
}
