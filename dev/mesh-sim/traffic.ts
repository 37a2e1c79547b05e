// PURE (given an RNG and a registry to count into): plays one request through the simulated
// mesh — route it, let the serving version "work" (latency, errors, its own upstream calls),
// and report it as the destination sidecar would. Nothing is sent over a socket.
import { resolveProfile, sampleLatencyMs, sampleResponseCode, type Behaviour } from "./behaviour";
import type { IstioMetricsRegistry } from "./metrics";
import { routeRequest, type CompiledMesh, type Endpoint, type Rng } from "./router";

/** Who is calling: the ingress gateway for user traffic, else the calling workload. */
export interface Source {
  workload: string;
  namespace: string;
  app: string;
  version: string;
}

export const INGRESS_SOURCE: Source = {
  workload: "istio-ingressgateway",
  namespace: "istio-system",
  app: "istio-ingressgateway",
  version: "unknown",
};

export interface SimEnv {
  mesh: CompiledMesh;
  behaviour: Behaviour;
  rng: Rng;
  registry: IstioMetricsRegistry;
}

export interface CallTrace {
  endpoint: Endpoint;
  /** The code the caller saw (routing, the version's errors, fault abort, route timeout). */
  code: number;
  /** What the caller waited, in ms (own work + upstream calls + injected delay, capped by timeout). */
  durationMs: number;
  stars: "none" | "black" | "red";
  calls: CallTrace[];
  /** Shadow copies of this request (already counted; their answers are discarded, as Envoy does). */
  mirrored: Endpoint[];
}

/** Upstream calls nested deeper than this are dropped: guards against a call cycle in the file. */
const MAX_DEPTH = 8;
/** How long a sidecar takes to answer 503/404 by itself (no pod involved). */
const LOCAL_REPLY_MS = 0.6;

function sourceOf(e: Endpoint): Source {
  return { workload: e.workload, namespace: e.namespace, app: e.app, version: e.version };
}

function count(env: SimEnv, source: Source, e: Endpoint, code: number, durationMs: number): void {
  env.registry.record(
    {
      sourceWorkload: source.workload,
      sourceWorkloadNamespace: source.namespace,
      sourceApp: source.app,
      sourceVersion: source.version,
      destinationWorkload: e.workload,
      destinationWorkloadNamespace: e.namespace,
      destinationServiceName: e.service,
      destinationServiceNamespace: e.namespace,
      destinationService: e.host,
      destinationVersion: e.version,
      destinationApp: e.app,
      responseCode: code,
    },
    durationMs,
  );
}

/** The serving pod's own work: its latency, its upstream calls, its answer. */
function serve(env: SimEnv, e: Endpoint, headers: Readonly<Record<string, string>>, depth: number) {
  const profile = resolveProfile(env.behaviour, e.namespace, e.service, e.version);
  if (e.code !== 200) return { code: e.code, durationMs: LOCAL_REPLY_MS, calls: [] as CallTrace[], stars: profile.stars };
  let durationMs = sampleLatencyMs(profile, env.rng);
  const calls: CallTrace[] = [];
  if (depth < MAX_DEPTH) {
    for (const c of profile.calls) {
      // Bookinfo forwards end-user, cookie and user-agent on its upstream calls, so header
      // matches on reviews/ratings see the same user as productpage did.
      const t = simulateCall(env, { host: c.service, path: c.path, headers }, sourceOf(e), depth + 1);
      if (t) {
        calls.push(t);
        durationMs += t.durationMs;
      }
    }
  }
  // Bookinfo degrades gracefully: an upstream failure is shown on the page, not propagated.
  return { code: sampleResponseCode(profile, env.rng), durationMs, calls, stars: profile.stars };
}

export interface CallRequest {
  host: string;
  path: string;
  headers: Readonly<Record<string, string>>;
}

/**
 * Routes and serves one request from `source`, counting it (and any shadow copies) into the
 * registry. Returns null when the host is unknown to the mesh (nothing would report it).
 */
export function simulateCall(env: SimEnv, req: CallRequest, source: Source, depth = 0): CallTrace | null {
  const decision = routeRequest(
    env.mesh,
    {
      host: req.host,
      sourceNamespace: source.namespace,
      path: req.path,
      headers: req.headers,
      sourceLabels: { app: source.app, version: source.version },
    },
    env.rng,
  );
  if (!decision.known) return null;
  const served = decision.served;
  const outcome = served.aborted
    ? { code: served.code, durationMs: LOCAL_REPLY_MS, calls: [] as CallTrace[], stars: "none" as const }
    : serve(env, served, req.headers, depth);
  let code = outcome.code;
  let durationMs = outcome.durationMs + served.delayMs;
  if (served.timeoutMs !== undefined && served.timeoutMs > 0 && durationMs > served.timeoutMs) {
    code = 504;
    durationMs = served.timeoutMs;
  }
  // One reporter for everything: the outcome the caller saw is what is counted, so a 503 for
  // "no Ready pod" still shows up under the subset's destination_version.
  count(env, source, served, code, durationMs);

  for (const m of decision.mirrored) {
    // A shadow request is real work for its destination (including its own upstream calls).
    const shadow = serve(env, m, req.headers, depth);
    count(env, source, m, shadow.code, shadow.durationMs);
  }
  return { endpoint: served, code, durationMs, stars: outcome.stars, calls: outcome.calls, mirrored: decision.mirrored };
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
  headers["cookie"] = rng() * 100 < users.betaCookiePercent ? `user=beta; ${session}` : session;
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

/** One user's visit: a request through the ingress gateway to an entry service. */
export function simulateUser(env: SimEnv, headers?: Record<string, string>): CallTrace | null {
  const entry = pickEntry(env.behaviour.entries, env.rng);
  if (!entry) return null;
  return simulateCall(
    env,
    { host: `${entry.service}.${entry.namespace}`, path: entry.path, headers: headers ?? makeUserHeaders(env.behaviour.users, env.rng) },
    INGRESS_SOURCE,
  );
}
