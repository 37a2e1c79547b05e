// PURE Istio request routing, as a sidecar or the ingress gateway (Envoy configured by istiod)
// would do it, computed from the live VirtualServices, DestinationRules, Gateways, Services and
// Ready pods. No I/O: the caller hands in a snapshot and an RNG, so every decision is
// reproducible in tests.
//
// Semantics implemented (Istio networking.istio.io/v1):
//  - which VirtualServices apply: `gateways` omitted or containing "mesh" = every sidecar;
//    otherwise only the named gateways ("ns/name", or a bare name = the VirtualService's own
//    namespace). istio/api VirtualService.gateways: "When this field is omitted, the default
//    gateway (mesh) will be used ... If a list of gateway names is provided, the rules will
//    apply only to the gateways. To apply the rules to both gateways and sidecars, specify mesh
//    as one of the gateway names." A gateway-bound VirtualService therefore never routes
//    sidecar traffic, and a mesh one never routes what enters through the ingress gateway.
//  - hosts as istiod reads them (./hosts.ts). On a sidecar the oldest VirtualService for a host
//    wins; on a gateway, VirtualServices with the same host are merged in creation order
//    (istio.io IST0109: "Istio supports merging of virtual services that are attached to the
//    ingress gateways") and the most specific host wins (exact, then longest wildcard, then "*").
//    On a gateway that host is the intersection of the Gateway server's host and the
//    VirtualService's (istiod: a "*" VirtualService behind a `shop.example.com` server serves
//    `shop.example.com`), so two Gateways on one ingress with different hosts do not mix.
//  - first http route whose match list is empty or has one entry whose conditions ALL hold
//    (uri/headers/withoutHeaders/method/authority/queryParams/sourceLabels/sourceNamespace/
//    gateways); StringMatch regexes are RE2 full matches (./regex.ts); header names lowercase.
//  - `delegate` routes (one level, as Istio supports): the delegate VirtualService (no hosts)
//    contributes its routes, each matching only where the root's match also holds.
//  - weighted destinations (relative weights), subsets via the DestinationRule, endpoints =
//    Service selector + subset labels, Ready pods only.
//  - fault delay/abort apply only to the percentage given: "If left unspecified, no request
//    will be delayed" / "no request will be aborted" (istio/api HTTPFaultInjection). An
//    aborted request never reaches the router, so it is not mirrored either.
//  - local replies by the caller's proxy, with Envoy's response flags: no route matched -> 404
//    NR; no such cluster (unknown subset or host) -> 503 NC; no Ready endpoint -> 503 UH;
//    fault abort -> FI (+DI when also delayed); direct responses and redirects.
//  - the route timeout and retry policy are handed to the caller (./traffic.ts plays them).
//  - Gateway API mesh routes (GAMMA: HTTPRoutes whose parentRef is the Service) route the
//    service's sidecar traffic instead of its VirtualService, as a Gateway API mesh
//    implementation does (./gateway-api.ts: the rule by the spec's precedence, weighted
//    backendRefs (weight defaults to 1), RequestMirror, timeouts.request). A backendRef to no
//    Service, or a rule whose weights are all 0, answers 500 ("If all entries in BackendRefs are
//    invalid ... all traffic which matches this rule MUST receive a 500 status code").
import type { HTTPBackendRef, HTTPRouteObject } from "@/lib/release/routing/gateway-api-types";
import { indexMeshRoutes, mirrorsOfRule, selectRule, type GatewayCandidate } from "./gateway-api";
import type {
  Destination,
  DestinationRule,
  HTTPMatchRequest,
  HTTPRoute,
  K8sObject,
  Service,
  StringMatch,
  VirtualService,
} from "@/lib/release/types";
import { DEFAULT_DOMAIN, hostMatches, hostSpecificity, requestHostToFqdn, resolveShortname, stripPort } from "./hosts";
import type { ServiceIdentity } from "./istio-labels";
import { fullMatch } from "./regex";

/** Uniform in [0, 1). Injected so routing is deterministic under test. */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for traffic splitting; seedable for reproducible runs. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pods sharing one label set, owned by one workload (Deployment). */
export interface PodGroup {
  namespace: string;
  /** destination_workload: the Deployment name (or the pod name when it has no owner). */
  workload: string;
  labels: Record<string, string>;
  /** The pods' service account (their SPIFFE identity); "default" when absent. */
  serviceAccount?: string;
  /** Pods of this group that are Ready (not terminating). */
  ready: number;
  /** All pods of this group, Ready or not. */
  total: number;
}

export interface GatewayServer {
  port?: { number?: number; protocol?: string; name?: string };
  /** "host", or "namespace/host" restricting which namespaces' VirtualServices may bind. */
  hosts?: string[];
}
export interface Gateway extends K8sObject {
  spec: { selector?: Record<string, string>; servers?: GatewayServer[]; [k: string]: unknown };
}

export interface MeshState {
  virtualServices: readonly VirtualService[];
  destinationRules: readonly DestinationRule[];
  services: readonly Service[];
  pods: readonly PodGroup[];
  gateways?: readonly Gateway[];
  /** gateway.networking.k8s.io/v1 HTTPRoutes; those attached to a Service (GAMMA) route its mesh traffic. */
  httpRoutes?: readonly HTTPRouteObject[];
  clusterDomain?: string;
}

export interface MeshRequest {
  /** The Host header as the caller wrote it: "reviews", "reviews.bookinfo:9080", "bookinfo.example.com". */
  host: string;
  /** Namespace of the caller: short hosts resolve against it, and `sourceNamespace` matches it. */
  sourceNamespace: string;
  /** Path with optional query string, e.g. "/reviews/0?x=1". */
  path: string;
  method?: string;
  /** Header names in any case; matched lowercase. */
  headers: Readonly<Record<string, string>>;
  sourceLabels?: Readonly<Record<string, string>>;
  /** Gateways ("ns/name") whose VirtualServices route this request; undefined = a sidecar ("mesh"). */
  gateways?: readonly string[];
}

/** One Envoy cluster: a service (and subset) with the endpoints it balances over. */
export interface UpstreamCluster {
  service: ServiceIdentity;
  subset?: string;
  /** Pod groups with at least one Ready pod: Envoy's healthy endpoints. */
  endpoints: readonly PodGroup[];
}

/** Envoy's retry policy as istiod renders HTTPRetry (attempts = retries after the first try). */
export interface RetryPolicy {
  attempts: number;
  /** retry_on "5xx": any 5xx answer. */
  on5xx: boolean;
  /** retry_on "gateway-error": 502, 503, 504. */
  onGatewayError: boolean;
  /** retry_on "retriable-4xx": 409. */
  on4xx: boolean;
  /** retriable-status-codes. */
  codes: readonly number[];
}

export type RouteDecision =
  /** Nothing in the mesh knows the host: no proxy reports it. */
  | { kind: "unknown" }
  /** The caller's proxy answers by itself; no pod sees the request. */
  | { kind: "local"; code: number; flags: string[]; service: ServiceIdentity | null; route?: string; delayMs: number }
  /** Sent to `endpoint`, a pod group of `cluster`. */
  | {
      kind: "forward";
      cluster: UpstreamCluster;
      endpoint: PodGroup;
      route?: string;
      /** Injected fault delay (ms) before the request leaves the caller's proxy. */
      delayMs: number;
      /** "DI" when delayed. */
      flags: string[];
      timeoutMs?: number;
      retry: RetryPolicy | null;
      /** Shadow copies (already sampled by mirrorPercentage), each to a cluster with endpoints. */
      mirrors: { cluster: UpstreamCluster; endpoint: PodGroup }[];
    };

const UNKNOWN = "unknown";

interface CompiledService {
  identity: ServiceIdentity;
  selector: Record<string, string> | null;
}

interface CompiledVs {
  vs: VirtualService;
  namespace: string;
  order: number;
}

export interface CompiledMesh {
  readonly domain: string;
  readonly services: ReadonlyMap<string, CompiledService>;
  /** Mesh (sidecar) VirtualServices by resolved host, oldest first. */
  readonly exactVs: ReadonlyMap<string, CompiledVs[]>;
  readonly wildcardVs: readonly { suffix: string; vs: CompiledVs }[];
  /** Gateway-bound VirtualServices by gateway ("ns/name"), oldest first. */
  readonly gatewayVs: ReadonlyMap<string, CompiledVs[]>;
  /** Every VirtualService by "ns/name", for delegation. */
  readonly vsByName: ReadonlyMap<string, CompiledVs>;
  readonly gateways: readonly Gateway[];
  /** GAMMA HTTPRoutes by the FQDN of the Service they attach to. */
  readonly meshRoutes: ReadonlyMap<string, HTTPRouteObject[]>;
  readonly destinationRules: ReadonlyMap<string, DestinationRule[]>;
  readonly podsByNamespace: ReadonlyMap<string, PodGroup[]>;
  /** Memoised pod selection per (namespace, labels): the hot path of routing. */
  readonly selectionCache: Map<string, PodGroup[]>;
}

function creationOrder(a: { metadata: { creationTimestamp?: unknown; namespace?: string; name: string } }): string {
  const ts = typeof a.metadata.creationTimestamp === "string" ? a.metadata.creationTimestamp : "";
  return `${ts}\u0000${a.metadata.namespace ?? ""}/${a.metadata.name}`;
}

function gatewayList(gateways: unknown): string[] {
  return Array.isArray(gateways) ? gateways.filter((g): g is string => typeof g === "string") : [];
}

/** "ns/name" of a gateway reference made from a VirtualService in `vsNamespace`. */
function gatewayKey(ref: string, vsNamespace: string): string {
  return ref.includes("/") ? ref : `${vsNamespace}/${ref}`;
}

/** Does a `gateways` list (VirtualService or match entry) apply to this proxy? */
function appliesTo(list: readonly string[], vsNamespace: string, gateways: readonly string[] | undefined): boolean {
  if (gateways === undefined) return list.length === 0 || list.includes("mesh");
  return list.some((g) => g !== "mesh" && gateways.includes(gatewayKey(g, vsNamespace)));
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexVirtualServices(sorted: readonly VirtualService[], domain: string) {
  const exactVs = new Map<string, CompiledVs[]>();
  const wildcardVs: { suffix: string; vs: CompiledVs }[] = [];
  const gatewayVs = new Map<string, CompiledVs[]>();
  const vsByName = new Map<string, CompiledVs>();
  sorted.forEach((vs, order) => {
    const namespace = vs.metadata.namespace ?? "default";
    const compiled: CompiledVs = { vs, namespace, order };
    vsByName.set(`${namespace}/${vs.metadata.name}`, compiled);
    const gws = gatewayList(vs.spec.gateways);
    for (const g of gws) if (g !== "mesh") pushTo(gatewayVs, gatewayKey(g, namespace), compiled);
    if (!appliesTo(gws, namespace, undefined)) return;
    for (const host of vs.spec.hosts ?? []) {
      const h = resolveShortname(host, namespace, domain);
      if (h.startsWith("*")) wildcardVs.push({ suffix: h.slice(1), vs: compiled });
      else pushTo(exactVs, h, compiled);
    }
  });
  // Most specific wildcard first, as Envoy's virtual host selection does.
  wildcardVs.sort((a, b) => b.suffix.length - a.suffix.length || a.vs.order - b.vs.order);
  return { exactVs, wildcardVs, gatewayVs, vsByName };
}

/** Indexes a snapshot once so each routed request is a few map lookups. */
export function compileMesh(state: MeshState): CompiledMesh {
  const domain = state.clusterDomain ?? DEFAULT_DOMAIN;
  const services = new Map<string, CompiledService>();
  for (const s of state.services) {
    const namespace = s.metadata.namespace ?? "default";
    const host = `${s.metadata.name}.${namespace}.svc.${domain}`;
    const selector = s.spec.selector && Object.keys(s.spec.selector).length > 0 ? s.spec.selector : null;
    services.set(host, { identity: { host, name: s.metadata.name, namespace }, selector });
  }
  const sortedVs = [...state.virtualServices].sort((a, b) => creationOrder(a).localeCompare(creationOrder(b)));
  const destinationRules = new Map<string, DestinationRule[]>();
  for (const dr of [...state.destinationRules].sort((a, b) => creationOrder(a).localeCompare(creationOrder(b)))) {
    const host = resolveShortname(dr.spec.host, dr.metadata.namespace ?? "default", domain);
    pushTo(destinationRules, host, dr);
  }
  const podsByNamespace = new Map<string, PodGroup[]>();
  for (const g of state.pods) pushTo(podsByNamespace, g.namespace, g);
  return {
    domain,
    services,
    ...indexVirtualServices(sortedVs, domain),
    gateways: state.gateways ?? [],
    meshRoutes: indexMeshRoutes(state.httpRoutes ?? [], domain),
    destinationRules,
    podsByNamespace,
    selectionCache: new Map(),
  };
}

// ---------------------------------------------------------------- string matching

/** An empty StringMatch ({}) matches any present value. */
export function matchString(m: StringMatch | undefined, value: string, ignoreCase = false): boolean {
  if (!m) return true;
  if (m.exact !== undefined) return ignoreCase ? value.toLowerCase() === m.exact.toLowerCase() : value === m.exact;
  if (m.prefix !== undefined)
    return ignoreCase ? value.toLowerCase().startsWith(m.prefix.toLowerCase()) : value.startsWith(m.prefix);
  if (m.regex !== undefined) return fullMatch(ignoreCase ? `(?i)${m.regex}` : m.regex, value);
  return true;
}

function asStringMatch(v: unknown): StringMatch | undefined {
  return v && typeof v === "object" ? (v as StringMatch) : undefined;
}

function asStringMatchMap(v: unknown): Record<string, StringMatch> | undefined {
  return v && typeof v === "object" ? (v as Record<string, StringMatch>) : undefined;
}

function lowerHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

export interface MatchContext {
  path: string;
  query: URLSearchParams;
  method: string;
  authority: string;
  headers: Record<string, string>;
  sourceNamespace: string;
  sourceLabels: Readonly<Record<string, string>>;
  gateways: readonly string[] | undefined;
}

function matchHeaders(m: HTTPMatchRequest, ctx: MatchContext): boolean {
  for (const [name, sm] of Object.entries(m.headers ?? {})) {
    const value = ctx.headers[name.toLowerCase()];
    if (value === undefined || !matchString(sm, value)) return false;
  }
  for (const [name, sm] of Object.entries(asStringMatchMap(m.withoutHeaders) ?? {})) {
    const value = ctx.headers[name.toLowerCase()];
    if (value !== undefined && matchString(sm, value)) return false;
  }
  for (const [name, sm] of Object.entries(asStringMatchMap(m.queryParams) ?? {})) {
    const value = ctx.query.get(name);
    if (value === null || !matchString(sm, value)) return false;
  }
  return true;
}

/** One HTTPMatchRequest of a VirtualService in `vsNamespace`: every condition it states must hold. */
export function matchEntry(m: HTTPMatchRequest, ctx: MatchContext, vsNamespace: string): boolean {
  if (m.uri && !matchString(m.uri, ctx.path, m.ignoreUriCase === true)) return false;
  const method = asStringMatch(m.method);
  if (method && !matchString(method, ctx.method)) return false;
  const authority = asStringMatch(m.authority);
  if (authority && !matchString(authority, ctx.authority)) return false;
  if (!matchHeaders(m, ctx)) return false;
  if (m.sourceLabels && typeof m.sourceLabels === "object") {
    for (const [k, v] of Object.entries(m.sourceLabels as Record<string, string>))
      if (ctx.sourceLabels[k] !== v) return false;
  }
  if (typeof m.sourceNamespace === "string" && m.sourceNamespace !== ctx.sourceNamespace) return false;
  const gws = gatewayList(m.gateways);
  if (gws.length > 0 && !appliesTo(gws, vsNamespace, ctx.gateways)) return false;
  return true;
}

/** A route with no match list matches everything; otherwise any entry (OR of ANDs). */
export function routeMatches(
  matches: readonly HTTPMatchRequest[] | undefined,
  ctx: MatchContext,
  vsNamespace: string,
): boolean {
  if (!matches || matches.length === 0) return true;
  return matches.some((m) => matchEntry(m, ctx, vsNamespace));
}

// ---------------------------------------------------------------- which routes apply

/** An http route together with where it came from; a delegated route also carries its root's match. */
interface BoundRoute {
  route: HTTPRoute;
  /** Namespace its destinations resolve against (the VirtualService that wrote them). */
  namespace: string;
  /** The root's match list (with its namespace) that must ALSO hold, for a delegated route. */
  rootMatch?: { match: HTTPMatchRequest[] | undefined; namespace: string };
}

function boundRoutes(c: CompiledVs): BoundRoute[] {
  return (c.vs.spec.http ?? []).map((route) => ({ route, namespace: c.namespace }));
}

/**
 * Replaces each route that delegates by the delegate VirtualService's routes. Only one level,
 * and only a delegate without hosts counts (istio/api HTTPRoute.delegate, VirtualService.hosts
 * "must be empty for a delegate VirtualService"); otherwise the route has no effect.
 */
function expandDelegates(mesh: CompiledMesh, routes: readonly BoundRoute[]): BoundRoute[] {
  return routes.flatMap((b) => {
    const d = b.route.delegate as { name?: unknown; namespace?: unknown } | undefined;
    if (!d || typeof d.name !== "string") return [b];
    const ns = typeof d.namespace === "string" && d.namespace !== "" ? d.namespace : b.namespace;
    const target = mesh.vsByName.get(`${ns}/${d.name}`);
    if (!target || (target.vs.spec.hosts ?? []).length > 0) return [];
    return boundRoutes(target)
      .filter((child) => child.route.delegate === undefined)
      .map((child) => ({ ...child, rootMatch: { match: b.route.match, namespace: b.namespace } }));
  });
}

function findMeshVs(mesh: CompiledMesh, host: string): CompiledVs | undefined {
  const exact = mesh.exactVs.get(host)?.[0];
  if (exact) return exact;
  return mesh.wildcardVs.find((w) => w.suffix === "" || host.endsWith(w.suffix))?.vs;
}

/** The hosts of a Gateway's servers that a VirtualService in `vsNamespace` may bind to ("ns/host": only that namespace's). */
function serverHostsFor(gw: Gateway, vsNamespace: string): string[] {
  const gatewayNamespace = gw.metadata.namespace ?? "default";
  return (gw.spec.servers ?? []).flatMap((s) =>
    (s.hosts ?? []).flatMap((server) => {
      const slash = server.indexOf("/");
      const ns = slash >= 0 ? server.slice(0, slash) : "*";
      const h = slash >= 0 ? server.slice(slash + 1) : server;
      const nsOk = ns === "*" || ns === vsNamespace || (ns === "." && vsNamespace === gatewayNamespace);
      return nsOk ? [h.toLowerCase()] : [];
    }),
  );
}

/** Does host pattern `a` cover `b` (a concrete name or a narrower wildcard)? */
function covers(a: string, b: string): boolean {
  if (a === "*") return true;
  if (a.startsWith("*.")) return b.endsWith(a.slice(1));
  return a === b;
}

/**
 * istiod's virtual host for a Gateway server host and a VirtualService host: the more specific
 * of the two when one covers the other (a `*` VirtualService behind a `shop.example.com` server
 * serves `shop.example.com` only); null when they do not intersect.
 */
export function intersectHosts(server: string, vsHost: string): string | null {
  if (covers(server, vsHost)) return vsHost;
  if (covers(vsHost, server)) return server;
  return null;
}

/**
 * The gateway's routes for `host`: the most specific virtual host (server host x VirtualService
 * host) that matches it, merged oldest first across the Gateways and VirtualServices that share it.
 */
function gatewayRoutes(mesh: CompiledMesh, gateways: readonly string[], host: string): BoundRoute[] {
  const candidates: { c: CompiledVs; pattern: string }[] = [];
  for (const key of gateways) {
    const gw = mesh.gateways.find((g) => `${g.metadata.namespace ?? "default"}/${g.metadata.name}` === key);
    if (!gw) continue;
    for (const c of mesh.gatewayVs.get(key) ?? []) {
      const servers = serverHostsFor(gw, c.namespace);
      const vsHosts = (c.vs.spec.hosts ?? []).map((h) => resolveShortname(h, c.namespace, mesh.domain));
      const hosts = servers
        .flatMap((sh) => vsHosts.map((vh) => intersectHosts(sh, vh)))
        .filter((h): h is string => h !== null && hostMatches(h, host));
      const best = hosts.sort((a, b) => hostSpecificity(b) - hostSpecificity(a))[0];
      if (best !== undefined && !candidates.some((x) => x.c === c)) candidates.push({ c, pattern: best });
    }
  }
  if (candidates.length === 0) return [];
  const top = Math.max(...candidates.map((x) => hostSpecificity(x.pattern)));
  const winner = candidates.filter((x) => hostSpecificity(x.pattern) === top).sort((a, b) => a.c.order - b.c.order);
  const pattern = winner[0]!.pattern;
  return winner.filter((x) => x.pattern === pattern).flatMap((x) => boundRoutes(x.c));
}

/** Keys ("ns/name") of the Gateways that select a proxy with these labels. */
export function gatewaysSelecting(mesh: CompiledMesh, proxyLabels: Readonly<Record<string, string>>): string[] {
  return mesh.gateways
    .filter((g) => Object.entries(g.spec.selector ?? {}).every(([k, v]) => proxyLabels[k] === v))
    .map((g) => `${g.metadata.namespace ?? "default"}/${g.metadata.name}`);
}

// ---------------------------------------------------------------- destinations

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function versionOf(labels: Record<string, string> | undefined): string {
  return labels?.version ?? labels?.["app.kubernetes.io/version"] ?? UNKNOWN;
}

function selectPods(mesh: CompiledMesh, namespace: string, selector: Record<string, string>): PodGroup[] {
  const key = `${namespace}\u0000${Object.entries(selector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;
  const hit = mesh.selectionCache.get(key);
  if (hit) return hit;
  const groups = (mesh.podsByNamespace.get(namespace) ?? []).filter(
    (g) => g.ready > 0 && labelsMatch(selector, g.labels),
  );
  mesh.selectionCache.set(key, groups);
  return groups;
}

function pickWeighted<T>(items: readonly T[], weight: (t: T) => number, rng: Rng): T | undefined {
  if (items.length <= 1) return items[0];
  let total = 0;
  for (const it of items) total += Math.max(0, weight(it));
  if (total <= 0) return undefined;
  let r = rng() * total;
  for (const it of items) {
    const w = Math.max(0, weight(it));
    if (r < w) return it;
    r -= w;
  }
  // Floating-point leftovers land on the last positive-weight item.
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i] as T;
    if (weight(it) > 0) return it;
  }
  return undefined;
}

/** One endpoint of a cluster, by Ready pod count (Envoy's round robin over pods, in aggregate). */
export function pickEndpoint(cluster: UpstreamCluster, rng: Rng): PodGroup | undefined {
  return pickWeighted(cluster.endpoints, (g) => g.ready, rng);
}

function findDestinationRule(mesh: CompiledMesh, host: string, serviceNamespace: string): DestinationRule | undefined {
  const list = mesh.destinationRules.get(host);
  if (!list || list.length === 0) return undefined;
  // Istio prefers the DR in the service's own namespace over ones elsewhere.
  return list.find((dr) => dr.metadata.namespace === serviceNamespace) ?? list[0];
}

/** The Envoy cluster for a destination, or null when istiod made none (unknown host or subset). */
export function resolveCluster(
  mesh: CompiledMesh,
  dest: Destination,
  contextNamespace: string,
): UpstreamCluster | null {
  const svc = mesh.services.get(resolveShortname(dest.host, contextNamespace, mesh.domain));
  if (!svc) return null;
  let selector = svc.selector;
  if (dest.subset !== undefined) {
    const dr = findDestinationRule(mesh, svc.identity.host, svc.identity.namespace);
    const subset = dr?.spec.subsets?.find((s) => s.name === dest.subset);
    if (!subset) return null;
    selector = selector ? { ...selector, ...(subset.labels ?? {}) } : null;
  }
  // A Service without a selector has no pods we can see (endpoints are managed by hand).
  const endpoints = selector ? selectPods(mesh, svc.identity.namespace, selector) : [];
  return { service: svc.identity, ...(dest.subset !== undefined ? { subset: dest.subset } : {}), endpoints };
}

/** Istio durations: "5s", "0.5s", "100ms", "1m". */
export function parseDurationMs(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  return unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000;
}

function percentOf(v: unknown, fallback: number): number {
  if (v && typeof v === "object" && typeof (v as { value?: unknown }).value === "number")
    return (v as { value: number }).value;
  return fallback;
}

/** True with probability pct/100; consumes the RNG only when the outcome is uncertain. */
function chance(pct: number, rng: Rng): boolean {
  if (pct >= 100) return true;
  if (pct <= 0) return false;
  return rng() * 100 < pct;
}

interface MirrorSpec {
  destination: Destination;
  percent: number;
}

/** mirror (+ mirrorPercentage, 100% when absent) and the newer `mirrors` list. */
function mirrorsOf(route: HTTPRoute): MirrorSpec[] {
  const out: MirrorSpec[] = [];
  if (route.mirror) {
    const legacy = typeof route.mirrorPercent === "number" ? route.mirrorPercent : 100;
    out.push({ destination: route.mirror, percent: percentOf(route.mirrorPercentage, legacy) });
  }
  if (Array.isArray(route.mirrors)) {
    for (const m of route.mirrors as { destination?: Destination; percentage?: { value: number } }[]) {
      if (m?.destination) out.push({ destination: m.destination, percent: percentOf(m.percentage, 100) });
    }
  }
  return out;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 2, on5xx: false, onGatewayError: false, on4xx: false, codes: [] };

/**
 * istiod's retry.ConvertPolicy: no `retries` -> the default (2 retries on connect-failure,
 * refused-stream, unavailable, cancelled, retriable-status-codes with no codes, i.e. never on
 * an answer a pod gave); attempts <= 0 -> none; else the attempts and retryOn given (status
 * codes listed in retryOn imply retriable-status-codes).
 */
export function retryPolicyOf(retries: unknown): RetryPolicy | null {
  if (!retries || typeof retries !== "object") return DEFAULT_RETRY;
  const r = retries as { attempts?: unknown; retryOn?: unknown };
  const attempts = typeof r.attempts === "number" ? r.attempts : 0;
  if (attempts <= 0) return null;
  if (typeof r.retryOn !== "string" || r.retryOn.trim() === "") return { ...DEFAULT_RETRY, attempts };
  const parts = r.retryOn.split(",").map((p) => p.trim());
  const codes = parts.filter((p) => /^\d{3}$/.test(p)).map(Number);
  return {
    attempts,
    on5xx: parts.includes("5xx"),
    onGatewayError: parts.includes("gateway-error"),
    on4xx: parts.includes("retriable-4xx"),
    codes,
  };
}

/** Would Envoy retry an upstream answer with this code? */
export function retriable(policy: RetryPolicy, code: number): boolean {
  if (policy.on5xx && code >= 500) return true;
  if (policy.onGatewayError && (code === 502 || code === 503 || code === 504)) return true;
  if (policy.on4xx && code === 409) return true;
  return policy.codes.includes(code);
}

// ---------------------------------------------------------------- the route

function directResponseCode(route: HTTPRoute): number | undefined {
  const dr = route.directResponse as { status?: unknown } | undefined;
  if (dr && typeof dr.status === "number") return dr.status;
  if (route.redirect && typeof route.redirect === "object") {
    const code = (route.redirect as { redirectCode?: unknown }).redirectCode;
    return typeof code === "number" ? code : 301;
  }
  return undefined;
}

interface FaultOutcome {
  delayMs: number;
  abortCode?: number;
}

/** HTTPFaultInjection: each fault applies only to the percentage given (none when absent). */
export function sampleFault(fault: unknown, rng: Rng): FaultOutcome {
  const f = fault as
    | {
        abort?: { httpStatus?: unknown; percentage?: unknown };
        delay?: { fixedDelay?: unknown; percentage?: unknown; percent?: unknown };
      }
    | undefined;
  let delayMs = 0;
  if (f?.delay) {
    const ms = parseDurationMs(f.delay.fixedDelay);
    const pct = percentOf(f.delay.percentage, typeof f.delay.percent === "number" ? f.delay.percent : 0);
    if (ms !== undefined && chance(pct, rng)) delayMs = ms;
  }
  if (f?.abort && typeof f.abort.httpStatus === "number" && chance(percentOf(f.abort.percentage, 0), rng)) {
    return { delayMs, abortCode: f.abort.httpStatus };
  }
  return { delayMs };
}

function local(
  code: number,
  flags: string[],
  service: ServiceIdentity | null,
  route: string | undefined,
  delayMs: number,
): RouteDecision {
  return { kind: "local", code, flags, service, ...(route !== undefined ? { route } : {}), delayMs };
}

function sampleMirrors(mesh: CompiledMesh, route: HTTPRoute, namespace: string, rng: Rng) {
  const out: { cluster: UpstreamCluster; endpoint: PodGroup }[] = [];
  for (const m of mirrorsOf(route)) {
    if (!chance(m.percent, rng)) continue;
    const cluster = resolveCluster(mesh, m.destination, namespace);
    const endpoint = cluster ? pickEndpoint(cluster, rng) : undefined;
    // A shadow to a cluster without endpoints fails inside the caller's proxy: nobody reports it.
    if (cluster && endpoint) out.push({ cluster, endpoint });
  }
  return out;
}

/** Plays one matched route: destination choice, faults, endpoint, mirrors. */
function playRoute(mesh: CompiledMesh, b: BoundRoute, rng: Rng): RouteDecision {
  const route = b.route;
  const direct = directResponseCode(route);
  if (direct !== undefined) return local(direct, [], null, route.name, 0);
  const destinations = route.route ?? [];
  const picked = destinations.length === 1 ? destinations[0] : pickWeighted(destinations, (d) => d.weight ?? 0, rng);
  const cluster = picked ? resolveCluster(mesh, picked.destination, b.namespace) : null;
  const fault = sampleFault(route.fault, rng);
  const delayFlags = fault.delayMs > 0 ? ["DI"] : [];
  if (fault.abortCode !== undefined)
    return local(fault.abortCode, [...delayFlags, "FI"], cluster?.service ?? null, route.name, fault.delayMs);
  if (!cluster) return local(503, [...delayFlags, "NC"], null, route.name, fault.delayMs);
  const endpoint = pickEndpoint(cluster, rng);
  if (!endpoint) return local(503, ["UH", ...delayFlags], cluster.service, route.name, fault.delayMs);
  const timeoutMs = parseDurationMs(route.timeout);
  return {
    kind: "forward",
    cluster,
    endpoint,
    ...(route.name !== undefined ? { route: route.name } : {}),
    delayMs: fault.delayMs,
    flags: delayFlags,
    ...(timeoutMs !== undefined && timeoutMs > 0 ? { timeoutMs } : {}),
    retry: retryPolicyOf(route.retries),
    mirrors: sampleMirrors(mesh, route, b.namespace, rng),
  };
}

function matchContext(req: MeshRequest): MatchContext {
  const headers = lowerHeaders(req.headers);
  const q = req.path.indexOf("?");
  return {
    path: q >= 0 ? req.path.slice(0, q) : req.path,
    query: new URLSearchParams(q >= 0 ? req.path.slice(q + 1) : ""),
    method: (req.method ?? "GET").toUpperCase(),
    authority: headers[":authority"] ?? headers.host ?? req.host,
    headers,
    sourceNamespace: req.sourceNamespace,
    sourceLabels: req.sourceLabels ?? {},
    gateways: req.gateways,
  };
}

function firstMatching(routes: readonly BoundRoute[], ctx: MatchContext): BoundRoute | undefined {
  return routes.find(
    (b) =>
      (!b.rootMatch || routeMatches(b.rootMatch.match, ctx, b.rootMatch.namespace)) &&
      routeMatches(b.route.match, ctx, b.namespace),
  );
}

/** The plain Kubernetes Service, no VirtualService: every Ready pod, default retries. */
function serviceDefault(mesh: CompiledMesh, svc: CompiledService, rng: Rng): RouteDecision {
  const cluster = resolveCluster(mesh, { host: svc.identity.host }, svc.identity.namespace)!;
  const endpoint = pickEndpoint(cluster, rng);
  if (!endpoint) return local(503, ["UH"], cluster.service, undefined, 0);
  return { kind: "forward", cluster, endpoint, delayMs: 0, flags: [], retry: DEFAULT_RETRY, mirrors: [] };
}

/** Routes one request through the mesh snapshot, from a sidecar or (with `gateways`) a gateway. */
export function routeRequest(mesh: CompiledMesh, req: MeshRequest, rng: Rng): RouteDecision {
  const ctx = matchContext(req);
  if (req.gateways !== undefined) {
    const routes = expandDelegates(mesh, gatewayRoutes(mesh, req.gateways, stripPort(req.host)));
    const hit = firstMatching(routes, ctx);
    return hit ? playRoute(mesh, hit, rng) : local(404, ["NR"], null, undefined, 0);
  }
  const fqdn = requestHostToFqdn(req.host, req.sourceNamespace, mesh.domain);
  const svc = mesh.services.get(fqdn);
  const gamma = mesh.meshRoutes.get(fqdn);
  if (svc && gamma && gamma.length > 0) {
    const hit = selectRule(gamma, ctx);
    return hit ? playGatewayRule(mesh, hit, rng) : local(404, ["NR"], null, undefined, 0);
  }
  // A VirtualService host that names no Service (e.g. "reviews.other" as written) gets its own
  // virtual host under exactly that name.
  const vs = findMeshVs(mesh, fqdn) ?? mesh.exactVs.get(stripPort(req.host))?.[0];
  if (!vs) return svc ? serviceDefault(mesh, svc, rng) : { kind: "unknown" };
  const hit = firstMatching(expandDelegates(mesh, boundRoutes(vs)), ctx);
  return hit ? playRoute(mesh, hit, rng) : local(404, ["NR"], null, undefined, 0);
}

// ---------------------------------------------------------------- Gateway API (GAMMA) rules

function serviceHost(mesh: CompiledMesh, name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${mesh.domain}`;
}

/** A backendRef's cluster: a core Service of the route's namespace (or the one it names); null for anything else. */
function backendCluster(mesh: CompiledMesh, ref: HTTPBackendRef, namespace: string): UpstreamCluster | null {
  if ((ref.group ?? "") !== "" || (ref.kind ?? "Service") !== "Service") return null;
  return resolveCluster(mesh, { host: serviceHost(mesh, ref.name, ref.namespace ?? namespace) }, namespace);
}

function gatewayMirrors(mesh: CompiledMesh, c: GatewayCandidate, namespace: string, rng: Rng) {
  const out: { cluster: UpstreamCluster; endpoint: PodGroup }[] = [];
  for (const m of mirrorsOfRule(c.rule, namespace)) {
    if (!chance(m.percent, rng)) continue;
    const cluster = resolveCluster(mesh, { host: serviceHost(mesh, m.service, m.namespace) }, namespace);
    const endpoint = cluster ? pickEndpoint(cluster, rng) : undefined;
    if (cluster && endpoint) out.push({ cluster, endpoint });
  }
  return out;
}

/** Plays one HTTPRoute rule: a backendRef by weight, its endpoint, the rule's mirrors and request timeout. */
function playGatewayRule(mesh: CompiledMesh, c: GatewayCandidate, rng: Rng): RouteDecision {
  const namespace = c.route.metadata.namespace ?? "default";
  const name = c.rule.name;
  const refs = c.rule.backendRefs ?? [];
  const picked = refs.some((r) => (r.weight ?? 1) > 0) ? pickWeighted(refs, (r) => r.weight ?? 1, rng) : undefined;
  const cluster = picked ? backendCluster(mesh, picked, namespace) : null;
  if (!cluster) return local(500, [], null, name, 0);
  const endpoint = pickEndpoint(cluster, rng);
  if (!endpoint) return local(503, ["UH"], cluster.service, name, 0);
  const timeouts = c.rule.timeouts as { request?: unknown } | undefined;
  const timeoutMs = parseDurationMs(timeouts?.request);
  return {
    kind: "forward",
    cluster,
    endpoint,
    ...(name !== undefined ? { route: name } : {}),
    delayMs: 0,
    flags: [],
    ...(timeoutMs !== undefined && timeoutMs > 0 ? { timeoutMs } : {}),
    // istiod gives routes it builds from an HTTPRoute its default retry policy too.
    retry: DEFAULT_RETRY,
    mirrors: gatewayMirrors(mesh, c, namespace, rng),
  };
}
