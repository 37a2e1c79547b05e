// The local mesh traffic simulator: routes a steady synthetic Bookinfo load exactly as Istio
// would (from the live cluster objects) and exposes Istio's standard metrics for Prometheus.
// Services an HTTPRoute attaches to (GAMMA, parentRef kind Service) are routed by it, as a Gateway
// API mesh implementation would (./gateway-api.ts); the rest by their VirtualServices.
// User load enters through the ingress gateway the simulator plays (the VirtualServices bound
// to the Gateways selecting `istio: ingressgateway`); annotated direct load is mesh traffic
// from an in-mesh client in the Service's namespace.
//
//   npx tsx dev/mesh-sim/main.ts [--rps 50] [--port 15090] [--host 127.0.0.1]
//       [--namespaces bookinfo,...] [--behaviour dev/mesh-sim/behaviour.json]
//       [--kubeconfig .local/kubeconfig] [--ticks 10] [--seed N]
//
// Endpoints: /metrics (Prometheus text), /healthz (JSON), /productpage[?user=jason] (HTML page
// rendered from one request routed like the synthetic ones, through the ingress gateway; it is
// counted too).
//
// Services can opt into direct load (e.g. a test namespace's app) with the annotation
// `mesh-sim.gray-console.io/rps: "20"` (and optional `mesh-sim.gray-console.io/path`). A Gateway
// the ingress gateway serves gets user load through the ingress with the same annotations, plus
// `mesh-sim.gray-console.io/authority` (default: its first server host without a wildcard).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseBehaviour, type Behaviour } from "./behaviour";
import { ClusterWatcher } from "./cluster";
import { IstioMetricsRegistry } from "./metrics";
import { renderProductPage } from "./page";
import type { Service } from "@/lib/release/types";
import { compileMesh, seededRng, type CompiledMesh } from "./router";
import {
  ANNOTATION_PATH,
  ANNOTATION_RPS,
  gatewayLoads,
  ingressMode,
  loadClient,
  makeUserHeaders,
  simulateCall,
  simulateEntry,
  simulateGatewayUser,
  simulateUser,
  type GatewayLoad,
  type SimEnv,
} from "./traffic";

const { values: args } = parseArgs({
  options: {
    rps: { type: "string", default: "50" },
    port: { type: "string", default: "15090" },
    host: { type: "string", default: "127.0.0.1" },
    namespaces: { type: "string" },
    // Relative to the repo root, where dev/scripts/mesh-sim.sh runs us.
    behaviour: { type: "string", default: "dev/mesh-sim/behaviour.json" },
    kubeconfig: { type: "string", default: ".local/kubeconfig" },
    ticks: { type: "string", default: "10" },
    seed: { type: "string" },
  },
  strict: true,
});

function num(name: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number >= ${min} (got ${v})`);
    process.exit(2);
  }
  return n;
}

const rps = num("rps", args.rps, 0);
const port = num("port", args.port, 0);
const ticksPerSecond = num("ticks", args.ticks, 1);
const seed = args.seed !== undefined ? num("seed", args.seed, 0) : Math.floor(Math.random() * 2 ** 31);
const namespaces = args.namespaces
  ? args.namespaces
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
  : null;
const behaviourPath = path.resolve(args.behaviour);

function log(msg: string): void {
  console.log(`${new Date().toISOString()} mesh-sim: ${msg}`);
}

// ---------------------------------------------------------------- behaviour (hot-reloaded)

let behaviour: Behaviour;
let behaviourError: string | null = null;
function loadBehaviour(initial: boolean): void {
  try {
    behaviour = parseBehaviour(JSON.parse(fs.readFileSync(behaviourPath, "utf8")));
    behaviourError = null;
    log(`${initial ? "loaded" : "reloaded"} behaviour from ${behaviourPath}`);
  } catch (err) {
    behaviourError = err instanceof Error ? err.message : String(err);
    if (initial) {
      console.error(`cannot load behaviour ${behaviourPath}: ${behaviourError}`);
      process.exit(2);
    }
    log(`keeping the previous behaviour: ${behaviourError}`);
  }
}
loadBehaviour(true);
// Polling (not fs.watch): editors replace files by rename, which inotify watches lose.
fs.watchFile(behaviourPath, { interval: 1000 }, (cur, prev) => {
  if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size) loadBehaviour(false);
});

// ---------------------------------------------------------------- cluster -> mesh

let dirty = true;
let mesh: CompiledMesh = compileMesh({
  virtualServices: [],
  destinationRules: [],
  services: [],
  pods: [],
  gateways: [],
});
let lastSummary = "";
let directTargets: DirectTarget[] = [];
let gatewayTargets: GatewayLoad[] = [];
const watcher = new ClusterWatcher({
  kubeconfigPath: path.resolve(args.kubeconfig),
  namespaces,
  log,
  onChange: () => {
    dirty = true;
  },
});

function refreshMesh(): void {
  if (!dirty) return;
  dirty = false;
  const state = watcher.snapshot();
  mesh = compileMesh(state);
  directTargets = annotatedTargets(state.services);
  gatewayTargets = gatewayLoads(state.gateways ?? []);
  const readyPods = state.pods.reduce((s, g) => s + g.ready, 0);
  const ingress = ingressMode(mesh);
  const summary = `${state.services.length} services, ${state.virtualServices.length} virtualservices, ${state.destinationRules.length} destinationrules, ${state.gateways?.length ?? 0} gateways, ${state.httpRoutes?.length ?? 0} httproutes, ${readyPods} ready pods; user traffic ${ingress.fallback ? "enters as mesh traffic (no Gateway selects istio=ingressgateway)" : `through ${ingress.gateways.join(",")}`}`;
  if (summary !== lastSummary) log(`mesh: ${summary}`);
  lastSummary = summary;
}

// ---------------------------------------------------------------- load

const rng = seededRng(seed);
const registry = new IstioMetricsRegistry();
const env = (): SimEnv => ({ mesh, behaviour, rng, registry });

interface DirectTarget {
  host: string;
  namespace: string;
  path: string;
  rps: number;
}

/** Services that asked for direct load through the annotation. */
function annotatedTargets(services: readonly Service[]): DirectTarget[] {
  const out: DirectTarget[] = [];
  for (const svc of services) {
    const v = svc.metadata.annotations?.[ANNOTATION_RPS];
    const r = v === undefined ? NaN : Number(v);
    if (!Number.isFinite(r) || r <= 0) continue;
    out.push({
      host: `${svc.metadata.name}.${svc.metadata.namespace ?? "default"}`,
      namespace: svc.metadata.namespace ?? "default",
      path: svc.metadata.annotations?.[ANNOTATION_PATH] ?? "/",
      rps: r,
    });
  }
  return out;
}

const carry = new Map<string, number>();
/** Requests due for `key` after `seconds` at `rate`, carrying fractions to the next tick. */
function due(key: string, rate: number, seconds: number): number {
  const exact = (carry.get(key) ?? 0) + rate * seconds;
  const n = Math.floor(exact);
  carry.set(key, exact - n);
  return n;
}

let lastTick = performance.now();
function tick(): void {
  const now = performance.now();
  // After a stall (suspended laptop, long GC) do not fire a burst: at most 2 s worth.
  const seconds = Math.min(2, (now - lastTick) / 1000);
  lastTick = now;
  // Until every kind has listed once, the view is partial (e.g. a VirtualService whose
  // DestinationRule is not in yet would 503): istiod does not push such a config either.
  if (!watcher.isSynced()) return;
  refreshMesh();
  const e = env();
  for (let i = due("users", rps, seconds); i > 0; i--) simulateUser(e);
  for (const t of directTargets) {
    for (let i = due(t.host, t.rps, seconds); i > 0; i--) {
      simulateCall(
        e,
        { host: t.host, path: t.path, headers: makeUserHeaders(behaviour.users, rng) },
        loadClient(t.namespace),
      );
    }
  }
  for (const g of gatewayTargets) {
    for (let i = due(`gateway ${g.gateway}`, g.rps, seconds); i > 0; i--)
      simulateGatewayUser(e, g, makeUserHeaders(behaviour.users, rng));
  }
}

// ---------------------------------------------------------------- HTTP

const startedAt = Date.now();
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  if (url.pathname === "/metrics") {
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(registry.exposition());
    return;
  }
  if (url.pathname === "/healthz") {
    const cluster = watcher.status();
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        status: "ok",
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        rps,
        seed,
        mesh: lastSummary,
        totalRequests: registry.totalRequests,
        series: registry.seriesCount,
        behaviour: { file: behaviourPath, error: behaviourError },
        directTargets,
        gatewayTargets,
        ingress: ingressMode(mesh),
        cluster,
      }),
    );
    return;
  }
  if (url.pathname === "/productpage" || url.pathname === "/") {
    refreshMesh();
    const user = url.searchParams.get("user") ?? header(req, "end-user");
    const headers: Record<string, string> = { "user-agent": header(req, "user-agent") ?? "mesh-sim" };
    if (user) headers["end-user"] = user;
    const cookie = header(req, "cookie");
    if (cookie) headers.cookie = cookie;
    const entry = behaviour.entries.find((x) => x.service === "productpage") ?? behaviour.entries[0];
    const trace = entry ? simulateEntry(env(), entry, headers) : null;
    res
      .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
      .end(renderProductPage(trace, user));
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /productpage, /metrics or /healthz\n");
});

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join("; ") : v;
}

server.on("error", (err) => {
  console.error(`cannot serve on ${args.host}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, args.host, () => {
  log(`serving /metrics, /healthz and /productpage on http://${args.host}:${port} (rps ${rps}, seed ${seed})`);
});

watcher.start();
const timer = setInterval(tick, 1000 / ticksPerSecond);

function shutdown(signal: string): void {
  log(`${signal}: stopping`);
  clearInterval(timer);
  fs.unwatchFile(behaviourPath);
  watcher.stop();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
