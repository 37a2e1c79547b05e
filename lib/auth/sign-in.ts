import "server-only";
import { ApiError, fieldDetail } from "@/lib/api/errors";
import { localized, english, type Localized } from "@/lib/i18n/localized";
import type { AuthSessionResponse, LogoutResponse } from "@/lib/api/contracts";
import { env } from "@/lib/env";
import { authenticate, authMode, SessionExpired, sessionIdentity, type Identity } from "./identity";
import { endSessionUrl, finishSignIn, openFlow, startSignIn } from "./oidc";
import { publicBase } from "./public-url";
import { safeNextPath, signinPath } from "@/lib/queries/signin";
import {
  clearedCookie,
  cookieValue,
  csrfTokenFor,
  fitsInBrowser,
  isHttps,
  newSession,
  OIDC_FLOW_COOKIE,
  SESSION_COOKIE,
  sessionCookie,
  cookieHeader,
} from "./session";
import { reviewToken } from "./token-review";
import type { z } from "zod";
import { TokenLogin } from "./sign-in-contract";

// The sign-in use-cases: who am I, sign in with a token, sign in with OpenID Connect, sign out.

function sessionView(identity: Identity | null): AuthSessionResponse {
  return {
    mode: authMode(),
    user: identity ? { name: identity.name, groups: identity.groups, via: identity.via } : null,
    expiresAt: identity?.expiresAt ? new Date(identity.expiresAt).toISOString() : null,
    csrfToken: identity?.csrfBinding ? csrfTokenFor(identity.csrfBinding) : null,
    signOutUrl: authMode() === "proxy" ? env().GC_PROXY_SIGN_OUT_URL : null,
  };
}

export async function currentSession(request: Request): Promise<AuthSessionResponse> {
  try {
    return sessionView(await authenticate(request));
  } catch (err) {
    if (err instanceof SessionExpired) return sessionView(null);
    throw err;
  }
}

export { TokenLogin };

/** Token mode: the apiserver must accept the token (TokenReview); the answer sets the session cookie. */
export async function signInWithToken(request: Request, input: z.infer<typeof TokenLogin>): Promise<Response> {
  if (authMode() !== "token")
    throw ApiError.of(400, "auth_mode", localized("err.auth.notTokenMode", { mode: authMode() }), { mode: authMode() });
  const user = await reviewToken(input.token);
  if (!user)
    throw ApiError.of(401, "unauthenticated", localized("err.auth.tokenRejected"), { reason: "token_rejected" });
  const session = newSession({ mode: "token", name: user.name, groups: user.groups, token: input.token });
  const cookie = sessionCookie(session, isHttps(request));
  // A token whose sealed session would not fit in a cookie must be sent as a bearer header instead.
  if (!fitsInBrowser(cookie))
    throw ApiError.invalid(localized("err.auth.tokenTooLong"), [
      fieldDetail("token", localized("err.auth.tokenTooLongField")),
    ]);
  return Response.json(sessionView(sessionIdentity(session, null)), { headers: { "set-cookie": cookie } });
}

/** Where the browser goes after the cookie is cleared: the proxy's sign-out, the provider's end of session, or (null) the sign-in page. */
async function afterSignOut(request: Request): Promise<string | null> {
  const mode = authMode();
  if (mode === "proxy") return env().GC_PROXY_SIGN_OUT_URL;
  if (mode !== "oidc") return null;
  try {
    return await endSessionUrl(publicBase(request));
  } catch (err) {
    // The console's own session ends regardless; the provider's may outlive it, and the log says why.
    console.warn(
      `[auth] sign-out: the OpenID provider's end_session_endpoint is unknown (${(err as Error).message}); only the console's session ended`,
    );
    return null;
  }
}

export async function signOut(request: Request): Promise<Response> {
  const body: LogoutResponse = { signedOut: true, redirect: await afterSignOut(request) };
  return Response.json(body, { headers: { "set-cookie": clearedCookie(SESSION_COOKIE, isHttps(request)) } });
}

function redirect(location: string, cookies: string[]): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const c of cookies) headers.append("set-cookie", c);
  return new Response(null, { status: 302, headers });
}

/** To the sign-in page with the reason: our own in the catalog's words, an unexpected one as it came. */
function signInError(base: string, reason: Localized | string): Response {
  const text = typeof reason === "string" ? undefined : reason;
  const message = typeof reason === "string" ? reason : english(reason);
  return redirect(
    `${base}${signinPath({ reason: "error", message: message.slice(0, 300), ...(text ? { text } : {}) })}`,
    [],
  );
}

export async function beginOidcSignIn(request: Request): Promise<Response> {
  if (authMode() !== "oidc")
    throw ApiError.of(400, "auth_mode", localized("err.auth.oidcNotConfigured", { mode: authMode() }), {
      mode: authMode(),
    });
  const base = publicBase(request);
  const next = safeNextPath(new URL(request.url).searchParams.get("next"));
  const { url, flow } = await startSignIn(base, next);
  return redirect(url, [
    cookieHeader(OIDC_FLOW_COOKIE, flow, { maxAgeSeconds: 600, secure: isHttps(request), path: "/api/auth/oidc" }),
  ]);
}

export async function completeOidcSignIn(request: Request): Promise<Response> {
  const base = publicBase(request);
  if (authMode() !== "oidc") return signInError(base, localized("err.auth.oidcNotConfigured", { mode: authMode() }));
  const url = new URL(request.url);
  const providerError = url.searchParams.get("error");
  if (providerError)
    return signInError(
      base,
      localized("err.auth.providerError", {
        error: providerError,
        description: url.searchParams.get("error_description") ?? "",
      }),
    );
  const flow = openFlow(cookieValue(request.headers.get("cookie"), OIDC_FLOW_COOKIE));
  if (!flow) return signInError(base, localized("err.auth.flowExpired"));
  try {
    const user = await finishSignIn(base, url.search, flow);
    const session = newSession({ mode: "oidc", name: user.name, groups: user.groups });
    const secure = isHttps(request);
    const cookie = sessionCookie(session, secure);
    // The browser would drop it and the user would land on the sign-in page again with no word why.
    if (!fitsInBrowser(cookie)) {
      console.warn(
        `[auth] OpenID Connect sign-in of ${user.name} refused: ${user.groups.length} groups make a ${cookie.length}-character session cookie`,
      );
      return signInError(base, localized("err.auth.tooManyGroups", { count: user.groups.length }));
    }
    return redirect(`${base}${flow.next}`, [
      cookie,
      cookieHeader(OIDC_FLOW_COOKIE, "", { maxAgeSeconds: 0, secure, path: "/api/auth/oidc" }),
    ]);
  } catch (err) {
    console.warn(`[auth] OpenID Connect sign-in failed: ${(err as Error).message}`);
    return signInError(base, (err as Error).message);
  }
}
