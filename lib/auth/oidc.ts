import "server-only";
import * as oidc from "openid-client";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { localized } from "@/lib/i18n/localized";
import { sessionKeys } from "./session";

// GC_AUTH=oidc: the authorization code flow with PKCE (RFC 7636) through openid-client, a
// certified relying party library. The flow's secrets (PKCE verifier, state, nonce) wait in a
// sealed, short-lived cookie; the user name and groups come from the verified ID token's
// claims, with the configured prefixes, exactly as kube-apiserver's --oidc-* flags would map
// them. The console then impersonates that user.

const FLOW_SECONDS = 600;

export interface OidcFlow {
  verifier: string;
  state: string;
  nonce: string;
  next: string;
  exp: number;
}

const g = globalThis as unknown as { __grayConsoleOidc?: Promise<oidc.Configuration> };

function configuration(): Promise<oidc.Configuration> {
  const e = env();
  g.__grayConsoleOidc ??= (async () => {
    const issuer = new URL(e.GC_OIDC_ISSUER!);
    // http issuers only make sense on a laptop or in a test; openid-client refuses them unless told.
    const options = issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests] } : undefined;
    return oidc.discovery(issuer, e.GC_OIDC_CLIENT_ID!, e.GC_OIDC_CLIENT_SECRET!, undefined, options);
  })().catch((err: unknown) => {
    g.__grayConsoleOidc = undefined; // retry discovery on the next sign-in
    throw ApiError.of(
      503,
      "cluster_unreachable",
      localized("err.auth.providerUnreachable", { issuer: String(e.GC_OIDC_ISSUER), reason: (err as Error).message }),
    );
  });
  return g.__grayConsoleOidc;
}

export function callbackUrl(publicBase: string): string {
  return `${publicBase}/api/auth/oidc/callback`;
}

/** Where to send the browser to sign in, and the sealed flow state to keep in a cookie until it returns. */
export async function startSignIn(publicBase: string, next: string): Promise<{ url: string; flow: string }> {
  const config = await configuration();
  const verifier = oidc.randomPKCECodeVerifier();
  const flow: OidcFlow = {
    verifier,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    next,
    exp: Math.floor(Date.now() / 1000) + FLOW_SECONDS,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(publicBase),
    scope: env().GC_OIDC_SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, flow: sessionKeys().seal("oidc-flow", flow) };
}

export function openFlow(sealed: string | null): OidcFlow | null {
  const flow = sealed ? sessionKeys().open<OidcFlow>("oidc-flow", sealed) : null;
  return flow && flow.exp * 1000 > Date.now() ? flow : null;
}

export interface OidcUser {
  name: string;
  groups: string[];
}

/** The user of an ID token's claims, as kube-apiserver would name them (prefixes included). */
export function userFromClaims(claims: Record<string, unknown>, e = env()): OidcUser {
  const raw = claims[e.GC_OIDC_USERNAME_CLAIM];
  if (typeof raw !== "string" || raw.length === 0)
    throw new Error(`the ID token has no "${e.GC_OIDC_USERNAME_CLAIM}" claim (GC_OIDC_USERNAME_CLAIM)`);
  const groupsClaim = claims[e.GC_OIDC_GROUPS_CLAIM];
  const groups = Array.isArray(groupsClaim)
    ? groupsClaim.filter((x): x is string => typeof x === "string")
    : typeof groupsClaim === "string"
      ? [groupsClaim]
      : [];
  return { name: e.GC_AUTH_USER_PREFIX + raw, groups: groups.map((x) => e.GC_AUTH_GROUP_PREFIX + x) };
}

/** Exchanges the code (with the PKCE verifier) and checks state, nonce and the ID token; the signed-in user. */
export async function finishSignIn(publicBase: string, callbackSearch: string, flow: OidcFlow): Promise<OidcUser> {
  const config = await configuration();
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl(publicBase) + callbackSearch), {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the provider returned no ID token");
  return userFromClaims(claims as Record<string, unknown>);
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): where sign-out sends the browser
 * so the provider ends its own session too (otherwise a provider with single sign-on signs the
 * same user straight back in); null when the provider names no end_session_endpoint.
 */
export async function endSessionUrl(publicBase: string): Promise<string | null> {
  const config = await configuration();
  if (!config.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(config, {
    client_id: env().GC_OIDC_CLIENT_ID!,
    post_logout_redirect_uri: `${publicBase}/signin?reason=signed-out`,
  }).href;
}
