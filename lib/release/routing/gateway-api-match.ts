// The console's match rules as Gateway API HTTPRouteMatches, and HTTPRouteMatches back in the
// words the UI already has for Istio's (routing.ts describeMatch/matchConditions). PURE.
// The rules go through buildMatchRequest first, so both routers get the very same conditions
// (one uri, at most two user-agent presets, cookies as one regex over the Cookie header, the
// form Istio's samples use); only the spelling differs. Every defaulted field (path, header
// type) is written out, so what the API server stores and returns equals what was written.
import { escapeRegex, buildMatchRequest } from "../match";
import type { MatchRule } from "../spec";
import type { HTTPMatchRequest, StringMatch } from "../types";
import type { HTTPHeaderMatch, HTTPPathMatch, HTTPRouteMatch } from "./gateway-api-types";

/** The match of every request: the API server's default for a rule without matches, written out. */
export const MATCH_ALL: HTTPRouteMatch = { path: { type: "PathPrefix", value: "/" } };

/**
 * Istio's prefix header match as a RegularExpression: Gateway API header matches are Exact or
 * RegularExpression only; the pattern is whole-value (Envoy safe_regex, RE2), as match.ts writes them.
 */
function headerMatch(name: string, sm: StringMatch): HTTPHeaderMatch {
  if (sm.exact !== undefined) return { type: "Exact", name, value: sm.exact };
  if (sm.prefix !== undefined) return { type: "RegularExpression", name, value: `${escapeRegex(sm.prefix)}.*` };
  return { type: "RegularExpression", name, value: sm.regex ?? ".*" };
}

/**
 * Istio's uri match as a path match. PathPrefix matches whole path elements ("/api" matches
 * "/api/v1", not "/apiv1"; HTTPPathMatch in the spec), a stricter prefix than Istio's.
 */
function pathMatch(uri: StringMatch | undefined): HTTPPathMatch {
  if (uri?.exact !== undefined) return { type: "Exact", value: uri.exact };
  if (uri?.prefix !== undefined) return { type: "PathPrefix", value: uri.prefix };
  if (uri?.regex !== undefined) return { type: "RegularExpression", value: uri.regex };
  return { type: "PathPrefix", value: "/" };
}

/** One alternative's rules (ANDed) as one HTTPRouteMatch; `fieldPath` names the spec field in errors. */
export function gatewayMatch(rules: readonly MatchRule[], fieldPath: string): HTTPRouteMatch {
  const m = buildMatchRequest(rules, fieldPath);
  const out: HTTPRouteMatch = { path: pathMatch(m.uri) };
  const headers = Object.entries(m.headers ?? {}).map(([name, sm]) => headerMatch(name, sm));
  if (headers.length > 0) out.headers = headers;
  return out;
}

/** A rule's matches (ORed alternatives). */
export function gatewayMatches(alternatives: readonly (readonly MatchRule[])[], fieldPath: string): HTTPRouteMatch[] {
  return alternatives.map((rules) => gatewayMatch(rules, fieldPath));
}

function stringMatchOf(type: string | undefined, value: string | undefined, prefixType: string): StringMatch {
  if (type === "RegularExpression") return { regex: value ?? "" };
  if (type === prefixType) return { prefix: value ?? "/" };
  return { exact: value ?? "" };
}

/**
 * An HTTPRouteMatch in Istio's HTTPMatchRequest shape, for describeMatch/matchConditions: the UI
 * words both routers' conditions with the same catalog. The catch-all path "/" is left out.
 */
export function asMatchRequest(m: HTTPRouteMatch): HTTPMatchRequest {
  const out: HTTPMatchRequest = {};
  const path = m.path;
  const isRoot = !path || ((path.type ?? "PathPrefix") === "PathPrefix" && (path.value ?? "/") === "/");
  if (!isRoot) out.uri = stringMatchOf(path?.type, path?.value, "PathPrefix");
  if (m.headers && m.headers.length > 0)
    out.headers = Object.fromEntries(m.headers.map((h) => [h.name.toLowerCase(), stringMatchOf(h.type, h.value, "")]));
  if (m.queryParams && m.queryParams.length > 0)
    out.queryParams = Object.fromEntries(m.queryParams.map((q) => [q.name, stringMatchOf(q.type, q.value, "")]));
  if (m.method !== undefined) out.method = { exact: m.method };
  return out;
}

/** A match that any request meets: no match at all, {} or only the root path prefix. */
export function matchesEverything(m: HTTPRouteMatch): boolean {
  return (
    Object.keys(asMatchRequest(m)).length === 0 &&
    Object.keys(m).every((k) => k === "path" || k === "headers" || k === "queryParams")
  );
}
