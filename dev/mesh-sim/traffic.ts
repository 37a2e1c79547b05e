// PURE (given an RNG and a registry to count into): plays one request through the simulated
// mesh as the proxies on both ends would: route it, let the serving version "work" (latency,
// errors, its own upstream calls), apply the route's timeout and retries, and count it the way
// Istio's stats filter does. Nothing is sent over a socket.
//
// Who reports what (istio/proxy istio_stats.cc; Envoy response flags):
//  - a request that reached a pod: the pod's sidecar (reporter="destination") and the caller's
//    sidecar or gateway (reporter="source") both count it, with the pod's answer;
//  - a request the caller's proxy answered by itself (no route NR, no cluster NC, no Ready
//    endpoint UH, fault abort FI): ONLY reporter="source", with destination labels "unknown";
//  - the route timeout (UT, 504): reporter="source", the peer known only from the endpoint's
//    metadata; the destination's report of the cut-off attempt is not simulated;
//  - retries: every attempt that reached a pod is a destination report; the caller reports the
//    last answer once, with URX when it ran out of retries;
//  - a mirrored (shadow) request: only the shadow's destination reports it (Envoy sends shadows
//    from the router, outside the caller's stats filter).
import { resolveProfile, sampleLatencyMs, sampleResponseCode, type Behaviour } from "./behaviour";
import { destinationLabels, sourceLabels, type Peer, type ServiceIdentity, type Workload } from "./istio-labels";
import type { IstioMetricsRegistry } from "./metrics";
import {
  type Gateway,
  gatewaysSelecting,
  pickEndpoint,
  retriable,
  routeRequest,
  versionOf,
  type CompiledMesh,
  type PodGroup,
  type Rng,
  type RouteDecision,
} from "./router";

/** The ingress gateway the simulator plays for user traffic (labels as Istio's default install). */
export const INGRESS_GATEWAY: Workload = {
  name: "istio-ingressgateway",
  namespace: "istio-system",
  labels: {
    app: "istio-ingressgateway",
    istio: "ingressgateway",
    "service.istio.io/canonical-name": "istio-ingressgateway",
    "service.istio.io/canonical-revision": "latest",
  },
  serviceAccount: "istio-ingressgateway-service-account",
};

/**
 * The in-mesh client that sends a Service's annotated direct load (mesh traffic, from its
 * namespace). It carries app and version labels like any workload, so its reports have every
 * source_* label (an empty one would be dropped by Prometheus, as on a real mesh).
 */
export function loadClient(namespace: string): Workload {
  return {
    name: "mesh-sim-client",
    namespace,
    labels: { app: "mesh-sim-client", version: "v1" },
    serviceAccount: "default",
  };
}

export function workloadOf(g: PodGroup): Workload {
  return { name: g.workload, namespace: g.namespace, labels: g.labels, serviceAccount: g.serviceAccount ?? "default" };
}

export interface SimEnv {
  mesh: CompiledMesh;
  behaviour: Behaviour;
  rng: Rng;
  registry: IstioMetricsRegistry;
}

/** Where one request went, for the product page and tests. */
export interface Hop {
  service: string;
  namespace: string;
  /** "unknown" when the caller's proxy answered. */
  workload: string;
  version: string;
}

export interface CallTrace {
  endpoint: Hop;
  /** The code the caller saw (the pod's answer, a local reply, a timeout). */
  code: number;
  /** Envoy response flags the caller's proxy reported ("UH", "FI", ...); empty = "-". */
  flags: string[];
  /** What the caller waited, in ms (injected delay + upstream time, capped by the timeout). */
  durationMs: number;
  stars: "none" | "black" | "red";
  calls: CallTrace[];
  /** Shadow copies of this request (counted by their destinations; answers discarded). */
  mirrored: Hop[];
}

export interface CallRequest {
  /** Host header as the caller writes it. */
  host: string;
  path: string;
  headers: Readonly<Record<string, string>>;
}

/** Upstream calls nested deeper than this are dropped: guards against a call cycle in the file. */
const MAX_DEPTH = 8;
/** How long a proxy takes to answer by itself (no pod involved). */
const LOCAL_REPLY_MS = 0.6;
/** Envoy's base retry back-off (25 ms). */
const RETRY_BACKOFF_MS = 25;

function hopOf(service: ServiceIdentity, pod: PodGroup): Hop {
  return {
    service: service.name,
    namespace: service.namespace,
    workload: pod.workload,
    version: versionOf(pod.labels),
  };
}

interface Served {
  code: number;
  durationMs: number;
  calls: CallTrace[];
  stars: CallTrace["stars"];
}

/** The serving pod's own work: its latency, its upstream calls, its answer. */
function serve(
  env: SimEnv,
  pod: PodGroup,
  service: ServiceIdentity,
  headers: Readonly<Record<string, string>>,
  depth: number,
): Served {
  const profile = resolveProfile(env.behaviour, service.namespace, service.name, versionOf(pod.labels));
  let durationMs = sampleLatencyMs(profile, env.rng);
  const calls: CallTrace[] = [];
  if (depth < MAX_DEPTH) {
    for (const c of profile.calls) {
      // Bookinfo forwards end-user, cookie and user-agent on its upstream calls, so header
      // matches on reviews/ratings see the same user as productpage did.
      const t = simulateCall(env, { host: c.service, path: c.path, headers }, workloadOf(pod), depth + 1);
      if (t) {
        calls.push(t);
        durationMs += t.durationMs;
      }
    }
  }
  // Bookinfo degrades gracefully: an upstream failure is shown on the page, not propagated.
  return { code: sampleResponseCode(profile, env.rng), durationMs, calls, stars: profile.stars };
}

function reportSource(
  env: SimEnv,
  caller: Workload,
  req: CallRequest,
  out: { code: number; flags: string[]; service: ServiceIdentity | null; peer: Peer },
  durationMs: number,
): void {
  env.registry.record(
    sourceLabels({
      caller,
      peer: out.peer,
      service: out.service,
      authority: req.host,
      code: out.code,
      flags: out.flags,
    }),
    durationMs,
  );
}

function reportDestination(
  env: SimEnv,
  caller: Workload,
  pod: PodGroup,
  service: ServiceIdentity,
  code: number,
  durationMs: number,
): void {
  env.registry.record(destinationLabels({ caller, server: workloadOf(pod), service, code }), durationMs);
}

/** The caller's proxy answers: only it reports, and nobody is behind the destination labels. */
function localReply(
  env: SimEnv,
  req: CallRequest,
  caller: Workload,
  d: Extract<RouteDecision, { kind: "local" }>,
): CallTrace {
  const durationMs = d.delayMs + LOCAL_REPLY_MS;
  reportSource(env, caller, req, { code: d.code, flags: d.flags, service: d.service, peer: null }, durationMs);
  const service = d.service ?? { host: req.host, name: req.host, namespace: caller.namespace };
  return {
    endpoint: { service: service.name, namespace: service.namespace, workload: "unknown", version: "unknown" },
    code: d.code,
    flags: d.flags,
    durationMs,
    stars: "none",
    calls: [],
    mirrored: [],
  };
}

type Forward = Extract<RouteDecision, { kind: "forward" }>;

interface UpstreamOutcome {
  code: number;
  flags: string[];
  peer: Peer;
  /** Time spent upstream, retries and back-offs included (capped by the route timeout). */
  upstreamMs: number;
  pod: PodGroup;
  served: Served;
}

/**
 * Envoy's router over one cluster: the route timeout covers every attempt ("Timeout includes
 * all retries"; it starts after the fault filter's delay, at the router), and an answer the
 * retry policy names is retried on another endpoint until the attempts run out (then URX).
 */
function attemptUpstream(env: SimEnv, req: CallRequest, caller: Workload, d: Forward, depth: number): UpstreamOutcome {
  let pod = d.endpoint;
  let elapsed = 0;
  for (let attempt = 0; ; attempt++) {
    const served = serve(env, pod, d.cluster.service, req.headers, depth);
    if (d.timeoutMs !== undefined && elapsed + served.durationMs > d.timeoutMs) {
      // The caller gave up: 504 UT, and the peer is known only by the endpoint's metadata.
      return {
        code: 504,
        flags: ["UT"],
        peer: { kind: "endpoint", workload: workloadOf(pod) },
        upstreamMs: d.timeoutMs,
        pod,
        served,
      };
    }
    elapsed += served.durationMs;
    reportDestination(env, caller, pod, d.cluster.service, served.code, served.durationMs);
    const wantsRetry = d.retry !== null && retriable(d.retry, served.code);
    const next = wantsRetry && attempt < d.retry!.attempts ? pickEndpoint(d.cluster, env.rng) : undefined;
    if (!next) {
      return {
        code: served.code,
        flags: wantsRetry ? ["URX"] : [],
        peer: { kind: "exchanged", workload: workloadOf(pod) },
        upstreamMs: elapsed,
        pod,
        served,
      };
    }
    elapsed += RETRY_BACKOFF_MS;
    pod = next;
  }
}

/** Shadow copies: real work for their destinations, counted only there. */
function playMirrors(
  env: SimEnv,
  req: CallRequest,
  caller: Workload,
  mirrors: Forward["mirrors"],
  depth: number,
): Hop[] {
  return mirrors.map((m) => {
    const shadow = serve(env, m.endpoint, m.cluster.service, req.headers, depth);
    reportDestination(env, caller, m.endpoint, m.cluster.service, shadow.code, shadow.durationMs);
    return hopOf(m.cluster.service, m.endpoint);
  });
}

function forward(env: SimEnv, req: CallRequest, caller: Workload, d: Forward, depth: number): CallTrace {
  const out = attemptUpstream(env, req, caller, d, depth);
  const flags = [...d.flags, ...out.flags];
  const durationMs = d.delayMs + out.upstreamMs;
  reportSource(env, caller, req, { code: out.code, flags, service: d.cluster.service, peer: out.peer }, durationMs);
  const mirrored = playMirrors(env, req, caller, d.mirrors, depth);
  return {
    endpoint: hopOf(d.cluster.service, out.pod),
    code: out.code,
    flags,
    durationMs,
    stars: out.served.stars,
    calls: out.served.calls,
    mirrored,
  };
}

/**
 * Routes and plays one request from `caller` (a pod's sidecar, or a gateway when `gateways`
 * names the Gateways it serves), counting it into the registry. Null when the host is unknown
 * to the mesh (nothing would report it).
 */
export function simulateCall(
  env: SimEnv,
  req: CallRequest,
  caller: Workload,
  depth = 0,
  gateways?: readonly string[],
): CallTrace | null {
  const decision = routeRequest(
    env.mesh,
    {
      host: req.host,
      sourceNamespace: caller.namespace,
      path: req.path,
      headers: req.headers,
      sourceLabels: caller.labels,
      ...(gateways ? { gateways } : {}),
    },
    env.rng,
  );
  if (decision.kind === "unknown") return null;
  if (decision.kind === "local") return localReply(env, req, caller, decision);
  return forward(env, req, caller, decision, depth);
}

// ---------------------------------------------------------------- synthetic users

const USER_AGENTS: readonly string[] = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.0.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/131.0.0.0 Mobile/15E148 Safari/605.1.15",
];

/**
 * One synthetic user's request headers. jason (Bookinfo's logged-in test user) sends
 * `end-user: jason`; beta users carry `user=beta` as their first cookie, which is what the
 * usual Istio cookie regexes (`^(.*?;)?(user=beta)(;.*)?$`) expect.
 */
export function makeUserHeaders(users: Behaviour["users"], rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": USER_AGENTS[Math.floor(rng() * USER_AGENTS.length)] ?? (USER_AGENTS[0] as string),
  };
  if (rng() * 100 < users.jasonPercent) headers["end-user"] = "jason";
  const session = `session=${Math.floor(rng() * 1e9).toString(36)}`;
  headers.cookie = rng() * 100 < users.betaCookiePercent ? `user=beta; ${session}` : session;
  return headers;
}

/** Picks an entry point by weight. */
export function pickEntry(entries: Behaviour["entries"], rng: Rng): Behaviour["entries"][number] | undefined {
  const total = entries.reduce((s, e) => s + e.weight, 0);
  if (total <= 0) return undefined;
  let r = rng() * total;
  for (const e of entries) {
    if (r < e.weight) return e;
    r -= e.weight;
  }
  return entries[entries.length - 1];
}

/** How user traffic enters: through the Gateways that select the ingress gateway, or (none) as mesh traffic. */
export function ingressMode(mesh: CompiledMesh): { gateways: string[]; fallback: boolean } {
  const gateways = gatewaysSelecting(mesh, INGRESS_GATEWAY.labels);
  return { gateways, fallback: gateways.length === 0 };
}

/**
 * One user request to an entry, through the ingress gateway: routed by the VirtualServices
 * bound to the Gateways that select it (a mesh VirtualService does not apply there). With no
 * such Gateway in the cluster the request is sent to the entry service as mesh traffic, so a
 * cluster without a Gateway still gets load (/healthz says which).
 */
export function simulateEntry(
  env: SimEnv,
  entry: Behaviour["entries"][number],
  headers: Record<string, string>,
): CallTrace | null {
  const { gateways, fallback } = ingressMode(env.mesh);
  if (fallback)
    return simulateCall(
      env,
      { host: `${entry.service}.${entry.namespace}`, path: entry.path, headers },
      INGRESS_GATEWAY,
    );
  const authority = entry.authority ?? `${entry.service}.${entry.namespace}`;
  return simulateCall(env, { host: authority, path: entry.path, headers }, INGRESS_GATEWAY, 0, gateways);
}

/** Annotations that give a Service direct (mesh) load, or a Gateway user load through the ingress gateway. */
export const ANNOTATION_RPS = "mesh-sim.gray-console.io/rps";
export const ANNOTATION_PATH = "mesh-sim.gray-console.io/path";
/** Gateways only: the Host header the users send (default: the Gateway's first server host without a wildcard). */
export const ANNOTATION_AUTHORITY = "mesh-sim.gray-console.io/authority";

/** Users a Gateway asked for: `rps` requests per second for `authority` + `path` through the ingress gateway. */
export interface GatewayLoad {
  gateway: string;
  authority: string;
  path: string;
  rps: number;
}

/**
 * The user load annotated Gateways ask for (a test namespace's own entry, next to Bookinfo's):
 * only Gateways the ingress gateway serves, and only with a Host their servers can answer.
 */
export function gatewayLoads(gateways: readonly Gateway[]): GatewayLoad[] {
  return gateways.flatMap((g) => {
    const a = g.metadata.annotations ?? {};
    const rps = Number(a[ANNOTATION_RPS]);
    const serves = Object.entries(g.spec.selector ?? {}).every(([k, v]) => INGRESS_GATEWAY.labels[k] === v);
    const named = (g.spec.servers ?? [])
      .flatMap((s) => s.hosts ?? [])
      .map((h) => h.slice(h.indexOf("/") + 1))
      .find((h) => !h.includes("*"));
    const authority = a[ANNOTATION_AUTHORITY] ?? named;
    if (!serves || !Number.isFinite(rps) || rps <= 0 || authority === undefined) return [];
    return [
      {
        gateway: `${g.metadata.namespace ?? "default"}/${g.metadata.name}`,
        authority,
        path: a[ANNOTATION_PATH] ?? "/",
        rps,
      },
    ];
  });
}

/** One synthetic user's request for a Gateway's load: routed by every Gateway on the ingress, as Envoy merges them. */
export function simulateGatewayUser(env: SimEnv, load: GatewayLoad, headers: Record<string, string>): CallTrace | null {
  const { gateways } = ingressMode(env.mesh);
  return simulateCall(env, { host: load.authority, path: load.path, headers }, INGRESS_GATEWAY, 0, gateways);
}

/** One user's visit: a request through the ingress gateway to an entry service. */
export function simulateUser(env: SimEnv, headers?: Record<string, string>): CallTrace | null {
  const entry = pickEntry(env.behaviour.entries, env.rng);
  if (!entry) return null;
  return simulateEntry(env, entry, headers ?? makeUserHeaders(env.behaviour.users, env.rng));
}
