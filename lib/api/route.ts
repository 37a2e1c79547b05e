import "server-only";
import type { z } from "zod";
import { ApiError, errorJson, toApiError } from "./errors";
import { env } from "@/lib/env";
import { contentTypeRefusal, crossSiteRefusal } from "./same-origin";

// The one wrapper every route handler goes through: parses input, names the actor, maps
// errors in one place (validation -> 400, unknown -> 404, conflicts -> 409, cluster -> 422/503),
// and refuses state-changing requests a browser sent from another site (403) or without a JSON
// body type (415) before any of them runs.
export interface RouteContext<P> { params: P; actor: string; request: Request }

type Handler<P> = (ctx: RouteContext<P>) => Promise<Response>;

export function route<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const refusal = crossSiteRefusal(request.method, request.headers, request.url) ?? contentTypeRefusal(request.method, request.headers);
      if (refusal) throw refusal;
      const params = (await ctx?.params) ?? ({} as P);
      return await handler({ params, actor: actorOf(request), request });
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500 && apiErr.code === "internal") console.error(`[api] ${request.method} ${new URL(request.url).pathname}:`, err);
      return errorJson(apiErr);
    }
  };
}

/** X-Forwarded-User from a fronting auth proxy (oauth2-proxy), else "anonymous". */
export function actorOf(request: Request): string {
  const raw = request.headers.get(env().GC_ACTOR_HEADER)?.trim();
  return raw && raw.length <= 253 ? raw : "anonymous";
}

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  const text = await request.text();
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "bad_json", `request body is not valid JSON: ${(e as Error).message}`);
  }
  return schema.parse(body);
}

export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return schema.parse(params);
}
