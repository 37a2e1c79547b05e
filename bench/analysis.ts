// Metric analysis (issue 13): how fast a failing new version is rolled back, and what analysis costs.
//
//   npx tsx bench/analysis.ts [--runs 5] [--tasks 100] [--port 3320] [--measure 120]
//
// (a) Detection. A private console (its own database and Lease). Per run: a fresh namespace with
//     reviews v1 under 40 rps of in-mesh load, a canary task v1 50 / v2 50 with background
//     analysis (interval 10s, failureLimit 2, success-rate >= 99, p99 <= 500 ms), one passed run;
//     then the simulator's behaviour overlay for that namespace makes v2 answer 30% 503s (the file
//     is polled every second), and the clock runs until the VirtualService sends 100% to v1.
//     Bound: interval x failureLimit + Prometheus' scrape interval + the run's window.
// (b) Cost. N tasks under background analysis (interval 10s) seeded into a fresh database
//     (bench/seed-analysis.ts), a console on it for `measure` seconds: its runs (from the API)
//     give the Prometheus queries per minute (4 per run: requests, 5xx, callers' failures, p99),
//     and its CPU time against the same console on an empty database for the same time.
import { execFile } from "node:child_process";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { setNamespaceBehaviour } from "../test/integration/helpers/sim-behaviour";
import { benchNamespace, defaultWeightsOf, kube, loadKubeConfig, readVirtualService } from "./k8s";
import {
  BENCH_DIR,
  cpuTicks,
  descendants,
  expectHttp,
  median,
  onCleanup,
  printFooter,
  printHeader,
  REVIEWS_V2_IMAGE,
  ROOT,
  runMain,
  sleep,
  startConsole,
  stats,
  table,
  waitSettled,
  type Console,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    tasks: { type: "string", default: "100" },
    port: { type: "string", default: "3320" },
    measure: { type: "string", default: "120" },
  },
});
const RUNS = Number(args.runs);
const TASKS = Number(args.tasks);
const MEASURE_S = Number(args.measure);
const INTERVAL_S = 10;
const FAILURE_LIMIT = 2;
const SCRAPE_S = 5;
/** lib/tasks/analysis-runner.ts MIN_WINDOW_SECONDS: the window is the interval, at least two scrapes. */
const WINDOW_S = Math.max(INTERVAL_S, 2 * SCRAPE_S);
const BOUND_S = INTERVAL_S * FAILURE_LIMIT + SCRAPE_S + WINDOW_S;
const QUERIES_PER_RUN = 4;
const run = promisify(execFile);
/** The shared cluster (a worktree has no .local/kubeconfig of its own). */
const KUBECONFIG = process.env.KUBECONFIG;

async function analysisRuns(c: Console, id: string): Promise<{ at: string; verdict: string }[]> {
  return (await expectHttp(200, "GET", `${c.baseUrl}/api/tasks/${id}/analysis`)).json.runs;
}

/** One detection run: seconds from the behaviour change to 100% base on the VirtualService. */
async function detectionRun(c: Console, i: number): Promise<number> {
  const kc = loadKubeConfig();
  const k = kube(kc);
  const ns = await benchNamespace(kc, k, `bench-analysis-${i}`, { rps: 40 });
  onCleanup(() => setNamespaceBehaviour(ns.name, "reviews", null));
  const created = await expectHttp(201, "POST", `${c.baseUrl}/api/tasks`, {
    name: "bench-analysis",
    namespace: ns.name,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: REVIEWS_V2_IMAGE, replicas: 1 },
    traffic: { weights: { v1: 50, v2: 50 } },
    analysis: {
      interval: `${INTERVAL_S}s`,
      failureLimit: FAILURE_LIMIT,
      inconclusiveLimit: 10,
      background: true,
      metrics: [
        { name: "success-rate", min: 99 },
        { name: "latency-p99", max: 500 },
      ],
    },
  });
  const id = created.json.task.id as string;
  await waitSettled(c.baseUrl, id);
  for (let t = 0; !(await analysisRuns(c, id)).some((r) => r.verdict === "pass"); t++) {
    if (t > 120) throw new Error(`run ${i}: no passed run after 60 s`);
    await sleep(500);
  }
  const start = performance.now();
  await setNamespaceBehaviour(ns.name, "reviews", { v1: {}, v2: { errorRate: 0.3, errorCode: 503 } });
  for (;;) {
    if (defaultWeightsOf(await readVirtualService(k, ns.name)).v1 === 100) break;
    if (performance.now() - start > 180_000) throw new Error(`run ${i}: not rolled back after 180 s`);
    await sleep(100);
  }
  const took = (performance.now() - start) / 1000;
  await setNamespaceBehaviour(ns.name, "reviews", null);
  await ns.delete();
  return took;
}

async function seed(file: string): Promise<void> {
  await run(
    process.execPath,
    ["--import", "tsx", "bench/seed-analysis.ts", path.join(BENCH_DIR, file), String(TASKS), `${INTERVAL_S}s`],
    { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: "--conditions=react-server" }, maxBuffer: 1 << 20 },
  );
}

/** CPU seconds the console's process tree used over `seconds`. */
async function cpuOver(c: Console, seconds: number): Promise<number> {
  const ticks = () => [c.pid, ...descendants(c.pid)].reduce((s, p) => s + cpuTicks(p), 0);
  const before = ticks();
  await sleep(seconds * 1000);
  return (ticks() - before) / 100;
}

async function cost(port: number): Promise<string[][]> {
  await seed("analysis-cost.db");
  const loaded = await startConsole(port, { dbFile: "analysis-cost.db", keepDb: true, kubeconfig: KUBECONFIG });
  // One interval to settle (the first pass measures every task at once), then the window.
  await sleep(INTERVAL_S * 1000);
  const from = Date.now();
  const cpu = await cpuOver(loaded, MEASURE_S);
  const to = Date.now();
  const ids = (await expectHttp(200, "GET", `${loaded.baseUrl}/api/tasks?pageSize=200`)).json.tasks.map(
    (t: { id: string }) => t.id,
  );
  let runs = 0;
  for (const id of ids)
    runs += (await analysisRuns(loaded, id)).filter((r) => Date.parse(r.at) >= from && Date.parse(r.at) < to).length;
  await loaded.stop();
  const idle = await startConsole(port, { dbFile: "analysis-idle.db", kubeconfig: KUBECONFIG });
  await sleep(INTERVAL_S * 1000);
  const idleCpu = await cpuOver(idle, MEASURE_S);
  await idle.stop();
  const perMin = (n: number) => (n * 60) / MEASURE_S;
  return [
    [
      `${ids.length} tasks under analysis`,
      String(perMin(runs).toFixed(0)),
      String(perMin(runs * QUERIES_PER_RUN).toFixed(0)),
      `${((100 * cpu) / MEASURE_S).toFixed(1)} %`,
    ],
    ["no task (same console, empty database)", "0", "0", `${((100 * idleCpu) / MEASURE_S).toFixed(1)} %`],
  ];
}

runMain(async () => {
  printHeader(`metric analysis: detection (${RUNS} runs) and cost (${TASKS} tasks, ${MEASURE_S} s)`);
  const port = Number(args.port);
  const c = await startConsole(port, { dbFile: "analysis.db", kubeconfig: KUBECONFIG });
  const took: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    took.push(await detectionRun(c, i));
    console.log(`run ${i + 1}: 30% 5xx -> VirtualService 100% v1 after ${took.at(-1)!.toFixed(1)} s`);
  }
  await c.stop();
  const s = stats(took);
  console.log(
    `\n${table(
      ["from 30% 5xx to 100% base", "n", "min", "median", "max", "bound"],
      [["seconds", s.n, s.min.toFixed(1), median(took).toFixed(1), s.max.toFixed(1), String(BOUND_S)]],
    )}`,
  );
  console.log(
    `bound: interval ${INTERVAL_S} s x failureLimit ${FAILURE_LIMIT} + scrape ${SCRAPE_S} s + window ${WINDOW_S} s = ${BOUND_S} s`,
  );
  console.log(
    `\n${table([`cost over ${MEASURE_S} s`, "runs/min", "Prometheus queries/min", "console CPU (one core)"], await cost(port))}`,
  );
  printFooter();
});
