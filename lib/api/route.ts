import "server-only";
import type { z } from "zod";
import { ApiError, errorJson, toApiError } from "./errors";
import { localized } from "@/lib/i18n/localized";
import { actingAs } from "@/lib/auth/context";
import { requireIdentity, type Identity } from "@/lib/auth/identity";
import { csrfTokenMatches } from "@/lib/auth/session";
import { contentTypeRefusal, crossSiteRefusal, isMutating } from "./same-origin";

// The one wrapper every route handler goes through: refuses state-changing requests a browser
// sent from another site (403) or without a JSON body type (415), names the caller (401 when
// nobody is signed in), checks a browser session's CSRF token (403), runs the handler AS the
// caller (its Kubernetes calls carry the user's identity), and maps errors in one place
// (validation -> 400, unknown -> 404, conflicts -> 409, cluster -> 422/503).
export interface RouteContext<P> {
  params: P;
  actor: Identity;
  request: Request;
}

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response>;

export const CSRF_HEADER = "x-csrf-token";

/** 403 for a browser-session write without the session's CSRF token (API clients with a bearer token need none). */
function csrfRefusal(request: Request, identity: Identity): ApiError | null {
  if (!isMutating(request.method) || !identity.csrfBinding) return null;
  if (csrfTokenMatches(identity.csrfBinding, request.headers.get(CSRF_HEADER))) return null;
  return ApiError.of(403, "csrf_token", localized("err.api.csrf"), { header: "X-CSRF-Token" });
}

function guarded<P>(run: (request: Request, params: P) => Promise<Response>) {
  return async (request: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const refusal =
        crossSiteRefusal(request.method, request.headers, request.url) ??
        contentTypeRefusal(request.method, request.headers);
      if (refusal) throw refusal;
      return await run(request, (await ctx?.params) ?? ({} as P));
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500 && apiErr.code === "internal")
        console.error(`[api] ${request.method} ${new URL(request.url).pathname}:`, err);
      return errorJson(apiErr);
    }
  };
}

/** A handler for signed-in callers only. */
export function route<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return guarded<P>(async (request, params) => {
    const identity = await requireIdentity(request);
    const csrf = csrfRefusal(request, identity);
    if (csrf) throw csrf;
    return actingAs(identity, () => handler({ params, actor: identity, request }));
  });
}

/** A handler anyone may call (health probes, sign-in itself): same refusals and error mapping, no caller required. */
export function publicRoute<P extends Record<string, string> = Record<string, never>>(
  handler: (ctx: { params: P; request: Request }) => Promise<Response>,
) {
  return guarded<P>((request, params) => handler({ params, request }));
}

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  const text = await request.text();
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch (e) {
    throw ApiError.of(400, "bad_json", localized("err.api.badJson", { reason: (e as Error).message }));
  }
  return schema.parse(body);
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return schema.parse(params);
}
