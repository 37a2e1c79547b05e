// PURE Gateway API mesh routing (GAMMA), as Istio does it for an HTTPRoute whose parentRef is a
// Service (gateway.networking.k8s.io/v1, standard channel of sigs.k8s.io/gateway-api v1.6.3):
// which routes attach to a service, which rule (and match) a request takes by the spec's
// precedence, and the rule's mirror. router.ts plays the chosen rule (weights, endpoints).
//
// Precedence (HTTPRouteRule.matches in the spec): "Across all rules specified on applicable
// Routes, precedence must be given to the match having: 'Exact' path match. 'Prefix' path match
// with largest number of characters. Method match. Largest number of header matches. Largest
// number of query param matches." Then "the oldest Route based on creation timestamp", "the Route
// appearing first in alphabetical order by {namespace}/{name}", and within a route "the FIRST
// matching rule (in list order)". RegularExpression paths are implementation-specific: ranked
// here right after Exact ones.
import type { HTTPRouteMatch, HTTPRouteObject, HTTPRouteRule } from "@/lib/release/routing/gateway-api-types";
import { fullMatch } from "./regex";

/** What a match is tested against (router.ts's MatchContext has it all). */
export interface GatewayMatchContext {
  path: string;
  query: URLSearchParams;
  method: string;
  /** Lowercase names. */
  headers: Readonly<Record<string, string>>;
}

/** Mesh routes by the FQDN of the Service they attach to (parentRefs of kind Service, group ""). */
export function indexMeshRoutes(routes: readonly HTTPRouteObject[], domain: string): Map<string, HTTPRouteObject[]> {
  const out = new Map<string, HTTPRouteObject[]>();
  for (const route of routes) {
    const ns = route.metadata.namespace ?? "default";
    const parents = new Set<string>();
    for (const p of route.spec?.parentRefs ?? []) {
      if (p.kind !== "Service" || (p.group ?? "") !== "") continue;
      parents.add(`${p.name}.${p.namespace ?? ns}.svc.${domain}`);
    }
    for (const fqdn of parents) out.set(fqdn, [...(out.get(fqdn) ?? []), route]);
  }
  return out;
}

/** PathPrefix matches whole path elements: "/foo" matches "/foo" and "/foo/bar", not "/foobar"; a trailing "/" is ignored. */
export function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (p === "/") return true;
  return path === p || path.startsWith(`${p}/`);
}

function pathMatches(m: HTTPRouteMatch, path: string): boolean {
  const type = m.path?.type ?? "PathPrefix";
  const value = m.path?.value ?? "/";
  if (type === "Exact") return path === value;
  if (type === "RegularExpression") return fullMatch(value, path);
  return prefixMatches(value, path);
}

function valueMatches(type: string | undefined, expected: string, actual: string | undefined | null): boolean {
  if (actual === undefined || actual === null) return false;
  return type === "RegularExpression" ? fullMatch(expected, actual) : actual === expected;
}

/** Every condition of one HTTPRouteMatch holds (header names compare case-insensitively). */
export function matchHolds(m: HTTPRouteMatch, ctx: GatewayMatchContext): boolean {
  if (!pathMatches(m, ctx.path)) return false;
  if (m.method !== undefined && m.method !== ctx.method) return false;
  if (!(m.headers ?? []).every((h) => valueMatches(h.type, h.value, ctx.headers[h.name.toLowerCase()]))) return false;
  return (m.queryParams ?? []).every((q) => valueMatches(q.type, q.value, ctx.query.get(q.name)));
}

export interface GatewayCandidate {
  route: HTTPRouteObject;
  rule: HTTPRouteRule;
  ruleIndex: number;
  match: HTTPRouteMatch;
  matchIndex: number;
}

/** The API server defaults a rule without matches to one PathPrefix "/" match. */
function matchesOf(rule: HTTPRouteRule): HTTPRouteMatch[] {
  return rule.matches && rule.matches.length > 0 ? rule.matches : [{ path: { type: "PathPrefix", value: "/" } }];
}

function pathRank(m: HTTPRouteMatch): [number, number] {
  const type = m.path?.type ?? "PathPrefix";
  if (type === "Exact") return [0, 0];
  if (type === "RegularExpression") return [1, 0];
  return [2, -(m.path?.value ?? "/").length];
}

function routeOrder(r: HTTPRouteObject): string {
  const ts = typeof r.metadata.creationTimestamp === "string" ? r.metadata.creationTimestamp : "";
  return `${ts}\u0000${r.metadata.namespace ?? ""}/${r.metadata.name}`;
}

/** Negative when `a` takes precedence over `b`. */
export function comparePrecedence(a: GatewayCandidate, b: GatewayCandidate): number {
  const [at, al] = pathRank(a.match);
  const [bt, bl] = pathRank(b.match);
  const keys: [number, number][] = [
    [at, bt],
    [al, bl],
    [a.match.method === undefined ? 1 : 0, b.match.method === undefined ? 1 : 0],
    [-(a.match.headers?.length ?? 0), -(b.match.headers?.length ?? 0)],
    [-(a.match.queryParams?.length ?? 0), -(b.match.queryParams?.length ?? 0)],
  ];
  for (const [x, y] of keys) if (x !== y) return x - y;
  const order = routeOrder(a.route).localeCompare(routeOrder(b.route));
  if (order !== 0) return order;
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

/** The rule a request takes among the routes attached to its service, or undefined (404 NR). */
export function selectRule(routes: readonly HTTPRouteObject[], ctx: GatewayMatchContext): GatewayCandidate | undefined {
  let best: GatewayCandidate | undefined;
  for (const route of routes) {
    (route.spec?.rules ?? []).forEach((rule, ruleIndex) => {
      matchesOf(rule).forEach((match, matchIndex) => {
        if (!matchHolds(match, ctx)) return;
        const c = { route, rule, ruleIndex, match, matchIndex };
        if (!best || comparePrecedence(c, best) < 0) best = c;
      });
    });
  }
  return best;
}

/** RequestMirror filters of a rule: the Service mirrored to and the share (percent, or fraction; neither = 100%). */
export function mirrorsOfRule(
  rule: HTTPRouteRule,
  namespace: string,
): { service: string; namespace: string; percent: number }[] {
  return (rule.filters ?? []).flatMap((f) => {
    const m = f.type === "RequestMirror" ? f.requestMirror : undefined;
    if (!m?.backendRef || (m.backendRef.kind ?? "Service") !== "Service" || (m.backendRef.group ?? "") !== "")
      return [];
    const fr = m.fraction;
    const percent = m.percent ?? (fr ? (100 * fr.numerator) / (fr.denominator ?? 100) : 100);
    return [{ service: m.backendRef.name, namespace: m.backendRef.namespace ?? namespace, percent }];
  });
}
