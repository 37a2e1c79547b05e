import "server-only";
import { randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { keyring, sameMac, type Keyring } from "./seal";

// The browser session: one sealed (AES-256-GCM), HttpOnly, SameSite=Lax cookie. Nothing is
// kept server side, so every replica that shares GC_SESSION_SECRET accepts the same cookie.
// In token mode the cookie carries the user's token (encrypted: the browser's scripts cannot
// read it, and without the secret nobody can).

export const SESSION_COOKIE = "gc_session";
export const OIDC_FLOW_COOKIE = "gc_oidc_flow";

export interface SessionData {
  /** Random id: binds the CSRF token to this sign-in. */
  sid: string;
  mode: "token" | "oidc";
  name: string;
  groups: string[];
  /** token mode only. */
  token?: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

const g = globalThis as unknown as { __grayConsoleKeyring?: Keyring };

export function sessionKeys(): Keyring {
  if (!g.__grayConsoleKeyring) {
    const configured = env().GC_SESSION_SECRET;
    if (!configured && env().GC_AUTH !== "none") {
      console.warn(
        "[auth] GC_SESSION_SECRET is not set: sessions are signed with a random key and end when this process stops; replicas must share one secret",
      );
    }
    g.__grayConsoleKeyring = keyring(configured ?? randomBytes(48).toString("base64"));
  }
  return g.__grayConsoleKeyring;
}

export function newSession(data: Omit<SessionData, "sid" | "iat" | "exp">, now = Date.now()): SessionData {
  const iat = Math.floor(now / 1000);
  return { ...data, sid: randomBytes(16).toString("base64url"), iat, exp: iat + env().GC_SESSION_SECONDS };
}

export type SessionReading = { session: SessionData } | { expired: true } | null;

/** The session in the request's cookie; `expired` when it was valid but is past its time. */
export function readSession(cookieHeader: string | null, now = Date.now()): SessionReading {
  const sealed = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!sealed) return null;
  const session = sessionKeys().open<SessionData>("session", sealed);
  if (!session || typeof session.exp !== "number" || typeof session.name !== "string") return null;
  if (session.exp * 1000 <= now) return { expired: true };
  return { session };
}

export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** Secure when the browser reached the console over https (directly or through a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return (proto ?? new URL(request.url).protocol.replace(":", "")) === "https";
}

export function cookieHeader(
  name: string,
  value: string,
  opts: { maxAgeSeconds: number; secure: boolean; path?: string },
): string {
  const attrs = [
    `${name}=${value}`,
    `Path=${opts.path ?? "/"}`,
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (opts.secure) attrs.push("Secure");
  return attrs.join("; ");
}

export function sessionCookie(session: SessionData, secure: boolean): string {
  return cookieHeader(SESSION_COOKIE, sessionKeys().seal("session", session), {
    maxAgeSeconds: session.exp - Math.floor(Date.now() / 1000),
    secure,
  });
}

/**
 * Browsers keep a cookie only up to 4096 bytes (name and value; RFC 6265 asks for at least that
 * much) and drop a bigger one without a word, which would leave the user signed out right after
 * signing in. A Set-Cookie line longer than this is not sent.
 */
export const MAX_COOKIE_CHARS = 4000;

export function fitsInBrowser(setCookie: string): boolean {
  return setCookie.length <= MAX_COOKIE_CHARS;
}

export function clearedCookie(name: string, secure: boolean): string {
  return cookieHeader(name, "", { maxAgeSeconds: 0, secure });
}

/** The CSRF token of a browser session (a MAC of what identifies it, so replicas agree without storing it). */
export function csrfTokenFor(binding: string): string {
  return sessionKeys().mac("csrf", binding);
}

export function csrfTokenMatches(binding: string, presented: string | null): boolean {
  return presented !== null && sameMac(csrfTokenFor(binding), presented);
}
