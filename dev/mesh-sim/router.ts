// PURE Istio request routing, as a sidecar (Envoy configured by istiod) would do it, computed
// from the live VirtualServices, DestinationRules, Services and Ready pods. No I/O: the caller
// hands in a snapshot and an RNG, so every decision is reproducible in tests.
//
// Semantics implemented (Istio networking.istio.io/v1):
//  - the VirtualService bound to the request's host (short hosts resolve against the VS's
//    namespace) and to the request's gateway context ("mesh" when none); several VSs for one
//    host: the oldest wins, as for sidecars (Istio merges only on gateways);
//  - first http route with no match, or with any match entry whose conditions ALL hold
//    (uri/headers/withoutHeaders/method/authority/queryParams/sourceLabels/sourceNamespace;
//    StringMatch exact/prefix/regex, regex is RE2 anchored to the whole value like Envoy's
//    safe_regex; header names are lowercase; an empty StringMatch means "present");
//  - weighted destinations (weights are relative; a lone destination gets everything),
//    subsets resolved to labels via the DestinationRule, pods = Service selector + subset labels;
//  - mirror/mirrorPercentage (100% when absent) and the newer `mirrors` list;
//  - fault abort/delay, and the route timeout (handed back; latency is the caller's business);
//  - no Ready pod behind a destination -> 503 (destination_version still the subset's version);
//    no VS -> the Service's Ready pods, weighted by count (replica-canary's replicas ratio);
//    no route matched -> 404; unknown host -> 404; unknown subset/destination host -> 503.
import type {
  Destination,
  DestinationRule,
  HTTPMatchRequest,
  HTTPRoute,
  Service,
  StringMatch,
  VirtualService,
} from "@/lib/release/types";

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

/** Ready pods sharing one label set, owned by one workload (Deployment). */
export interface PodGroup {
  namespace: string;
  /** destination_workload: the Deployment name (or the pod name when it has no owner). */
  workload: string;
  labels: Record<string, string>;
  /** Pods of this group that are Ready (not terminating). */
  ready: number;
  /** All pods of this group, Ready or not (lets a 503 still name the workload behind it). */
  total: number;
}

export interface MeshState {
  virtualServices: readonly VirtualService[];
  destinationRules: readonly DestinationRule[];
  services: readonly Service[];
  pods: readonly PodGroup[];
  clusterDomain?: string;
}

export interface MeshRequest {
  /** "reviews", "reviews.bookinfo", "reviews.bookinfo.svc.cluster.local". */
  host: string;
  /** Namespace of the caller: short hosts resolve against it, and `sourceNamespace` matches it. */
  sourceNamespace: string;
  /** Path with optional query string, e.g. "/reviews/0?x=1". */
  path: string;
  method?: string;
  /** Header names in any case; matched lowercase. */
  headers: Readonly<Record<string, string>>;
  sourceLabels?: Readonly<Record<string, string>>;
  /** Gateway the request enters through ("ns/name"); undefined = sidecar traffic ("mesh"). */
  gateway?: string;
}

/** Where one request (or its shadow copy) landed. */
export interface Endpoint {
  /** FQDN of the destination service, e.g. reviews.bookinfo.svc.cluster.local. */
  host: string;
  namespace: string;
  service: string;
  version: string;
  app: string;
  workload: string;
  /** Response code decided by routing alone (200 = reached a Ready pod; the pod's own behaviour comes later). */
  code: number;
}

export interface RouteDecision {
  served: Endpoint & {
    /** Name of the matched http route, if it has one. */
    route?: string;
    /** Injected fault delay (ms) to add to the latency the caller observes. */
    delayMs: number;
    /** True when a fault abort produced `code` without reaching a pod. */
    aborted: boolean;
    /** Route timeout (ms); the caller turns latency beyond it into a 504. */
    timeoutMs?: number;
  };
  /** Shadow copies sent by mirror/mirrors, in addition to (never instead of) `served`. */
  mirrored: Endpoint[];
  /** False when the host is no Service and no VirtualService: nothing in the mesh saw it. */
  known: boolean;
}

const UNKNOWN = "unknown";

interface CompiledService {
  namespace: string;
  name: string;
  fqdn: string;
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
  readonly exactVs: ReadonlyMap<string, CompiledVs[]>;
  readonly wildcardVs: readonly { suffix: string; vs: CompiledVs }[];
  readonly destinationRules: ReadonlyMap<string, DestinationRule[]>;
  readonly podsByNamespace: ReadonlyMap<string, PodGroup[]>;
  /** Memoised pod selection per (namespace, labels) — the hot path of routing. */
  readonly selectionCache: Map<string, PodGroup[]>;
}

/** Expands a host the way Istio does relative to `namespace`. Wildcards are kept as written. */
export function toFqdn(host: string, namespace: string, domain = "cluster.local"): string {
  const h = host.trim().toLowerCase();
  if (h.includes("*")) return h;
  const parts = h.split(".");
  if (parts.length === 1) return `${h}.${namespace}.svc.${domain}`;
  if (parts.length === 2) return `${h}.svc.${domain}`;
  if (parts.length === 3 && parts[2] === "svc") return `${h}.${domain}`;
  return h;
}

function creationOrder(a: { metadata: { creationTimestamp?: unknown; namespace?: string; name: string } }): string {
  const ts = typeof a.metadata.creationTimestamp === "string" ? a.metadata.creationTimestamp : "";
  return `${ts}\u0000${a.metadata.namespace ?? ""}/${a.metadata.name}`;
}

function appliesToContext(gateways: unknown, vsNamespace: string, gateway: string | undefined): boolean {
  const list = Array.isArray(gateways) ? gateways.filter((g): g is string => typeof g === "string") : [];
  if (gateway === undefined) return list.length === 0 || list.includes("mesh");
  return list.some((g) => g === gateway || (!g.includes("/") && `${vsNamespace}/${g}` === gateway));
}

/** Indexes a snapshot once so each routed request is a few map lookups. */
export function compileMesh(state: MeshState): CompiledMesh {
  const domain = state.clusterDomain ?? "cluster.local";
  const services = new Map<string, CompiledService>();
  for (const s of state.services) {
    const namespace = s.metadata.namespace ?? "default";
    const fqdn = `${s.metadata.name}.${namespace}.svc.${domain}`;
    const selector = s.spec.selector && Object.keys(s.spec.selector).length > 0 ? s.spec.selector : null;
    services.set(fqdn, { namespace, name: s.metadata.name, fqdn, selector });
  }

  const sortedVs = [...state.virtualServices].sort((a, b) => creationOrder(a).localeCompare(creationOrder(b)));
  const exactVs = new Map<string, CompiledVs[]>();
  const wildcardVs: { suffix: string; vs: CompiledVs }[] = [];
  sortedVs.forEach((vs, order) => {
    const namespace = vs.metadata.namespace ?? "default";
    const compiled: CompiledVs = { vs, namespace, order };
    for (const host of vs.spec.hosts ?? []) {
      const fqdn = toFqdn(host, namespace, domain);
      if (fqdn.startsWith("*")) {
        wildcardVs.push({ suffix: fqdn.slice(1), vs: compiled });
      } else {
        const list = exactVs.get(fqdn) ?? [];
        list.push(compiled);
        exactVs.set(fqdn, list);
      }
    }
  });
  // Most specific wildcard first, as Envoy's virtual host selection does.
  wildcardVs.sort((a, b) => b.suffix.length - a.suffix.length || a.vs.order - b.vs.order);

  const destinationRules = new Map<string, DestinationRule[]>();
  for (const dr of [...state.destinationRules].sort((a, b) => creationOrder(a).localeCompare(creationOrder(b)))) {
    const fqdn = toFqdn(dr.spec.host, dr.metadata.namespace ?? "default", domain);
    const list = destinationRules.get(fqdn) ?? [];
    list.push(dr);
    destinationRules.set(fqdn, list);
  }

  const podsByNamespace = new Map<string, PodGroup[]>();
  for (const g of state.pods) {
    const list = podsByNamespace.get(g.namespace) ?? [];
    list.push(g);
    podsByNamespace.set(g.namespace, list);
  }

  return { domain, services, exactVs, wildcardVs, destinationRules, podsByNamespace, selectionCache: new Map() };
}

// ---------------------------------------------------------------- string matching

const regexCache = new Map<string, RegExp | null>();

/**
 * Compiles an RE2 pattern as a JS RegExp anchored to the whole input, as Envoy's safe_regex
 * does. RE2's leading `(?i)` becomes the `i` flag. Patterns JS rejects (or RE2-only syntax)
 * never match: istiod would have refused such a VirtualService anyway.
 */
export function compileFullMatchRegex(pattern: string): RegExp | null {
  const cached = regexCache.get(pattern);
  if (cached !== undefined) return cached;
  let body = pattern;
  let flags = "";
  if (body.startsWith("(?i)")) {
    body = body.slice(4);
    flags = "i";
  }
  let re: RegExp | null;
  try {
    re = new RegExp(`^(?:${body})$`, flags);
  } catch {
    re = null;
  }
  if (regexCache.size > 10_000) regexCache.clear();
  regexCache.set(pattern, re);
  return re;
}

/** An empty StringMatch ({}) matches any present value. */
export function matchString(m: StringMatch | undefined, value: string, ignoreCase = false): boolean {
  if (!m) return true;
  if (m.exact !== undefined) return ignoreCase ? value.toLowerCase() === m.exact.toLowerCase() : value === m.exact;
  if (m.prefix !== undefined) return ignoreCase ? value.toLowerCase().startsWith(m.prefix.toLowerCase()) : value.startsWith(m.prefix);
  if (m.regex !== undefined) {
    const re = compileFullMatchRegex(m.regex);
    return re !== null && re.test(value);
  }
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

interface MatchContext {
  path: string;
  query: URLSearchParams;
  method: string;
  authority: string;
  headers: Record<string, string>;
  sourceNamespace: string;
  sourceLabels: Readonly<Record<string, string>>;
  gateway: string | undefined;
  vsNamespace: string;
}

/** One HTTPMatchRequest: every condition it states must hold. */
export function matchEntry(m: HTTPMatchRequest, ctx: MatchContext): boolean {
  const ignoreUriCase = m.ignoreUriCase === true;
  if (m.uri && !matchString(m.uri, ctx.path, ignoreUriCase)) return false;
  const method = asStringMatch(m.method);
  if (method && !matchString(method, ctx.method)) return false;
  const authority = asStringMatch(m.authority);
  if (authority && !matchString(authority, ctx.authority)) return false;
  if (m.headers) {
    for (const [name, sm] of Object.entries(m.headers)) {
      const value = ctx.headers[name.toLowerCase()];
      if (value === undefined || !matchString(sm, value)) return false;
    }
  }
  const without = asStringMatchMap(m.withoutHeaders);
  if (without) {
    for (const [name, sm] of Object.entries(without)) {
      const value = ctx.headers[name.toLowerCase()];
      if (value !== undefined && matchString(sm, value)) return false;
    }
  }
  const queryParams = asStringMatchMap(m.queryParams);
  if (queryParams) {
    for (const [name, sm] of Object.entries(queryParams)) {
      const value = ctx.query.get(name);
      if (value === null || !matchString(sm, value)) return false;
    }
  }
  if (m.sourceLabels && typeof m.sourceLabels === "object") {
    for (const [k, v] of Object.entries(m.sourceLabels as Record<string, string>)) {
      if (ctx.sourceLabels[k] !== v) return false;
    }
  }
  if (typeof m.sourceNamespace === "string" && m.sourceNamespace !== ctx.sourceNamespace) return false;
  if (Array.isArray(m.gateways) && m.gateways.length > 0 && !appliesToContext(m.gateways, ctx.vsNamespace, ctx.gateway)) return false;
  return true;
}

/** A route with no match list matches everything; otherwise any entry (OR of ANDs). */
export function routeMatches(route: HTTPRoute, ctx: MatchContext): boolean {
  if (!route.match || route.match.length === 0) return true;
  return route.match.some((m) => matchEntry(m, ctx));
}

// ---------------------------------------------------------------- destinations

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export function versionOf(labels: Record<string, string> | undefined): string {
  return labels?.["version"] ?? labels?.["app.kubernetes.io/version"] ?? UNKNOWN;
}

function appOf(labels: Record<string, string> | undefined, fallback: string): string {
  return labels?.["app"] ?? labels?.["app.kubernetes.io/name"] ?? fallback;
}

function selectPods(mesh: CompiledMesh, namespace: string, selector: Record<string, string>): PodGroup[] {
  const key = `${namespace}\u0000${Object.entries(selector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;
  const hit = mesh.selectionCache.get(key);
  if (hit) return hit;
  const groups = (mesh.podsByNamespace.get(namespace) ?? []).filter((g) => labelsMatch(selector, g.labels));
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

function findDestinationRule(mesh: CompiledMesh, fqdn: string, serviceNamespace: string): DestinationRule | undefined {
  const list = mesh.destinationRules.get(fqdn);
  if (!list || list.length === 0) return undefined;
  // Istio prefers the DR in the service's own namespace over ones elsewhere.
  return list.find((dr) => dr.metadata.namespace === serviceNamespace) ?? list[0];
}

function splitFqdn(fqdn: string): { service: string; namespace: string } {
  const [service = fqdn, namespace = UNKNOWN] = fqdn.split(".");
  return { service, namespace };
}

/** Resolves one Destination to the pod group that answers (or the reason nobody does). */
export function resolveDestination(mesh: CompiledMesh, dest: Destination, contextNamespace: string, rng: Rng): Endpoint {
  const fqdn = toFqdn(dest.host, contextNamespace, mesh.domain);
  const svc = mesh.services.get(fqdn);
  if (!svc) {
    const { service, namespace } = splitFqdn(fqdn);
    return { host: fqdn, namespace, service, version: UNKNOWN, app: service, workload: UNKNOWN, code: 503 };
  }
  const base = { host: fqdn, namespace: svc.namespace, service: svc.name };
  let selector = svc.selector;
  let subsetVersion: string | undefined;
  if (dest.subset !== undefined) {
    const dr = findDestinationRule(mesh, fqdn, svc.namespace);
    const subset = dr?.spec.subsets?.find((s) => s.name === dest.subset);
    if (!subset) {
      // Envoy has no cluster for an undefined subset: 503 (NR), and nobody behind it.
      return { ...base, version: UNKNOWN, app: svc.name, workload: UNKNOWN, code: 503 };
    }
    subsetVersion = subset.labels?.["version"] ?? subset.labels?.["app.kubernetes.io/version"];
    selector = selector ? { ...selector, ...(subset.labels ?? {}) } : null;
  }
  // A Service without a selector has no pods we can see (endpoints are managed by hand).
  const groups = selector ? selectPods(mesh, svc.namespace, selector) : [];
  const chosen = pickWeighted(
    groups.filter((g) => g.ready > 0),
    (g) => g.ready,
    rng,
  );
  if (!chosen) {
    const behind = groups[0];
    return {
      ...base,
      version: subsetVersion ?? (behind ? versionOf(behind.labels) : UNKNOWN),
      app: appOf(behind?.labels, svc.name),
      workload: behind?.workload ?? UNKNOWN,
      code: 503,
    };
  }
  return {
    ...base,
    version: versionOf(chosen.labels) === UNKNOWN && subsetVersion ? subsetVersion : versionOf(chosen.labels),
    app: appOf(chosen.labels, svc.name),
    workload: chosen.workload,
    code: 200,
  };
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
  if (v && typeof v === "object" && typeof (v as { value?: unknown }).value === "number") {
    return (v as { value: number }).value;
  }
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

function findVirtualService(mesh: CompiledMesh, fqdn: string, gateway: string | undefined): CompiledVs | undefined {
  const exact = mesh.exactVs.get(fqdn)?.find((c) => appliesToContext(c.vs.spec.gateways, c.namespace, gateway));
  if (exact) return exact;
  return mesh.wildcardVs.find(
    (w) => (w.suffix === "" || fqdn.endsWith(w.suffix)) && appliesToContext(w.vs.vs.spec.gateways, w.vs.namespace, gateway),
  )?.vs;
}

function directResponseCode(route: HTTPRoute): number | undefined {
  const dr = route.directResponse as { status?: unknown } | undefined;
  if (dr && typeof dr.status === "number") return dr.status;
  if (route.redirect && typeof route.redirect === "object") {
    const code = (route.redirect as { redirectCode?: unknown }).redirectCode;
    return typeof code === "number" ? code : 301;
  }
  return undefined;
}

/** Routes one request through the mesh snapshot. */
export function routeRequest(mesh: CompiledMesh, req: MeshRequest, rng: Rng): RouteDecision {
  const fqdn = toFqdn(req.host, req.sourceNamespace, mesh.domain);
  const headers = lowerHeaders(req.headers);
  const q = req.path.indexOf("?");
  const path = q >= 0 ? req.path.slice(0, q) : req.path;
  const query = new URLSearchParams(q >= 0 ? req.path.slice(q + 1) : "");
  const svc = mesh.services.get(fqdn);
  const compiledVs = findVirtualService(mesh, fqdn, req.gateway);
  const { service: hostService, namespace: hostNamespace } = splitFqdn(fqdn);

  const nowhere = (code: number, known: boolean): RouteDecision => ({
    served: {
      host: fqdn,
      namespace: svc?.namespace ?? hostNamespace,
      service: svc?.name ?? hostService,
      version: UNKNOWN,
      app: svc?.name ?? hostService,
      workload: UNKNOWN,
      code,
      delayMs: 0,
      aborted: false,
    },
    mirrored: [],
    known,
  });

  if (!compiledVs) {
    if (!svc) return nowhere(404, false);
    // No VirtualService: plain Kubernetes load balancing over the Service's Ready pods.
    const ep = resolveDestination(mesh, { host: fqdn }, req.sourceNamespace, rng);
    return { served: { ...ep, delayMs: 0, aborted: false }, mirrored: [], known: true };
  }

  const ctx: MatchContext = {
    path,
    query,
    method: (req.method ?? "GET").toUpperCase(),
    authority: headers[":authority"] ?? headers["host"] ?? req.host,
    headers,
    sourceNamespace: req.sourceNamespace,
    sourceLabels: req.sourceLabels ?? {},
    gateway: req.gateway,
    vsNamespace: compiledVs.namespace,
  };
  const route = (compiledVs.vs.spec.http ?? []).find((r) => routeMatches(r, ctx));
  if (!route) return nowhere(404, true);

  const direct = directResponseCode(route);
  if (direct !== undefined) {
    const decision = nowhere(direct, true);
    decision.served.route = route.name;
    return decision;
  }

  const destinations = route.route ?? [];
  const picked =
    destinations.length === 1
      ? destinations[0]
      : pickWeighted(destinations, (d) => d.weight ?? 0, rng);
  if (!picked) return nowhere(503, true);

  const endpoint = resolveDestination(mesh, picked.destination, compiledVs.namespace, rng);
  let code = endpoint.code;
  let aborted = false;
  let delayMs = 0;
  const fault = route.fault as
    | { abort?: { httpStatus?: number; percentage?: { value: number } }; delay?: { fixedDelay?: string; percentage?: { value: number }; percent?: number } }
    | undefined;
  if (fault?.delay) {
    const ms = parseDurationMs(fault.delay.fixedDelay);
    const pct = percentOf(fault.delay.percentage, typeof fault.delay.percent === "number" ? fault.delay.percent : 100);
    if (ms !== undefined && chance(pct, rng)) delayMs = ms;
  }
  if (fault?.abort && typeof fault.abort.httpStatus === "number" && chance(percentOf(fault.abort.percentage, 100), rng)) {
    code = fault.abort.httpStatus;
    aborted = true;
  }

  const mirrored: Endpoint[] = [];
  for (const m of mirrorsOf(route)) {
    if (chance(m.percent, rng)) mirrored.push(resolveDestination(mesh, m.destination, compiledVs.namespace, rng));
  }

  return {
    served: {
      ...endpoint,
      code,
      route: route.name,
      delayMs,
      aborted,
      timeoutMs: parseDurationMs(route.timeout),
    },
    mirrored,
    known: true,
  };
}
