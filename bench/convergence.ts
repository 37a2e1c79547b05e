// Traffic-shift convergence: how long after `setTraffic` the console's metrics API shows the
// new split, i.e. the observed v2 share is within ±5 pp of the configured weight.
//
//   npx tsx bench/convergence.ts [--runs 5] [--port 3300] [--rps 100]
//
// A private namespace gets reviews v1 + v2 under steady direct load from the shared mesh
// simulator (annotation mesh-sim.gray-console.io/rps), a canary task starts at 50/50 and
// settles; then each run sets v2 to 20, 50, 20, ... (30 pp steps), polls every 1 s and, once
// converged, waits until the 30 s rate window has fully rolled over before the next run.
//
// The console's headline share is irate() over the last two scrapes at the real "now"
// (lib/metrics/version-metrics.ts). Baselines, polled in the same ticks: (1) Prometheus'
// irate() queried directly, the fastest any scrape-based view can report a change; (2) the
// chart's last point, rate() over 30 s aligned to the 5 s step: the headline as it was before.
import { parseArgs } from "node:util";
import { PrometheusClient } from "@/lib/metrics/prometheus";
import { istioSelector } from "@/lib/metrics/promql";
import { DEFAULT_RATE_WINDOW_SECONDS } from "@/lib/metrics/promql";
import { benchNamespace, createCanaryTask, kube, loadKubeConfig } from "./k8s";
import {
  expectHttp,
  median,
  printFooter,
  printHeader,
  PROMETHEUS_URL,
  ratio,
  runMain,
  sleep,
  startConsole,
  table,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    port: { type: "string", default: "3300" },
    rps: { type: "string", default: "100" },
  },
});
const RUNS = Number(args.runs);
const RPS = Number(args.rps);
const TOLERANCE_PP = 5;
const POLL_MS = 1000;
const TIMEOUT_MS = 90_000;
/** A full rate window plus two scrapes after the change: the share is at its new steady state. */
const SETTLE_MS = (DEFAULT_RATE_WINDOW_SECONDS + 2 * 5) * 1000;
const SCRAPE_S = 5; // dev/prometheus/prometheus.yml
const STEP_S = 5; // the step the UI asks for (?step=5s)
const TARGET_S = 15;

interface Run {
  from: number;
  to: number;
  setMs: number;
  consoleS: number | null;
  irateS: number | null;
  chartS: number | null;
  trace: string;
}

runMain(async () => {
  printHeader(`convergence of the observed v2 share after setTraffic (${RUNS} runs, ${RPS} rps direct load)`);
  const kc = loadKubeConfig();
  const k = kube(kc);
  const prom = new PrometheusClient({ baseUrl: PROMETHEUS_URL });
  const app = await startConsole(Number(args.port), { dbFile: "convergence.db" });
  const ns = await benchNamespace(kc, k, "bench-conv", { rps: RPS });
  const taskId = await createCanaryTask(app.baseUrl, k, ns.name, "bench-convergence", 50);

  const sel = istioSelector({ namespace: ns.name, service: "reviews" });
  const irateShareQuery = `100 * sum by (destination_version) (irate(istio_requests_total${sel}[30s])) / on() group_left() sum(irate(istio_requests_total${sel}[30s]))`;
  let lastChart: number | null = null;
  const consoleShare = async (): Promise<number | null> => {
    const r = await expectHttp(200, "GET", `${app.baseUrl}/api/tasks/${taskId}/metrics?range=5m&step=${STEP_S}s`);
    const v: unknown = r.json?.versions?.v2?.current?.share;
    const series: [number, number | null][] = r.json?.versions?.v2?.series?.share ?? [];
    lastChart = [...series].reverse().find(([, x]) => x !== null)?.[1] ?? null;
    return typeof v === "number" ? v : null;
  };
  const irateShare = async (): Promise<number | null> => {
    const series = await prom.query(irateShareQuery);
    return series.find((s) => s.labels.destination_version === "v2")?.point[1] ?? null;
  };
  const near = (v: number | null, target: number, tol: number) => v !== null && Math.abs(v - target) <= tol;

  // Settle at 50/50 first: both versions need a full window of traffic before the first step.
  const settleStart = Date.now();
  for (;;) {
    const v = await consoleShare();
    if (near(v, 50, 3) && Date.now() - settleStart > SETTLE_MS) break;
    if (Date.now() - settleStart > 180_000)
      throw new Error(`v2 share did not settle at 50 ± 3 % within 180 s (last ${v})`);
    await sleep(2000);
  }
  console.log(`\nsettled at 50/50 after ${((Date.now() - settleStart) / 1000).toFixed(0)} s; runs follow`);

  const runs: Run[] = [];
  let current = 50;
  for (let i = 0; i < RUNS; i++) {
    const target = i % 2 === 0 ? 20 : 50;
    const t0 = performance.now();
    await expectHttp(200, "POST", `${app.baseUrl}/api/tasks/${taskId}/actions`, {
      action: "setTraffic",
      weights: { v1: 100 - target, v2: target },
    });
    const setMs = performance.now() - t0;
    let consoleS: number | null = null;
    let irateS: number | null = null;
    let chartS: number | null = null;
    const trace: string[] = [];
    for (
      let tick = 1;
      (consoleS === null || irateS === null || chartS === null) && performance.now() - t0 < TIMEOUT_MS;
      tick++
    ) {
      const [c, r] = await Promise.all([consoleShare(), irateShare()]);
      const at = (performance.now() - t0) / 1000;
      if (consoleS === null && near(c, target, TOLERANCE_PP)) consoleS = at;
      if (irateS === null && near(r, target, TOLERANCE_PP)) irateS = at;
      if (chartS === null && near(lastChart, target, TOLERANCE_PP)) chartS = at;
      if (tick % 5 === 0 || consoleS === at) trace.push(`${at.toFixed(0)}s:${c === null ? "-" : c.toFixed(0)}`);
      // Poll on a fixed 1 s schedule from the setTraffic call, however long a poll took.
      const next = t0 + tick * POLL_MS;
      await sleep(Math.max(0, next - performance.now()));
    }
    runs.push({ from: current, to: target, setMs, consoleS, irateS, chartS, trace: trace.join(" ") });
    console.log(
      `run ${i + 1}: ${current} -> ${target}: console ${consoleS?.toFixed(1) ?? "TIMEOUT"} s, irate ${irateS?.toFixed(1) ?? "TIMEOUT"} s, chart rate[30s] ${chartS?.toFixed(1) ?? "TIMEOUT"} s`,
    );
    current = target;
    // Let the window roll over completely so the next run starts from a steady share, plus a
    // random 0-5 s so the runs fall at different phases of the 5 s scrape and step grid
    // (without it every run would hit the same phase and the median would be one sample).
    await sleep(Math.max(0, t0 + SETTLE_MS + Math.random() * SCRAPE_S * 1000 - performance.now()));
  }

  console.log("\nper run (time from the setTraffic call until the share first read within ±5 pp)\n");
  const fmt = (x: number | null) => (x === null ? "timeout" : `${x.toFixed(1)} s`);
  console.log(
    table(
      [
        "run",
        "v2 from -> to",
        "setTraffic call",
        "console metrics API",
        "baseline: Prometheus irate",
        "baseline: chart rate[30s]",
        "console share trace (s:%)",
      ],
      runs.map((r, i) => [
        i + 1,
        `${r.from} -> ${r.to}`,
        `${r.setMs.toFixed(0)} ms`,
        fmt(r.consoleS),
        fmt(r.irateS),
        fmt(r.chartS),
        r.trace,
      ]),
    ),
  );
  const consoleTimes = runs.map((r) => r.consoleS ?? TIMEOUT_MS / 1000);
  const irateTimes = runs.map((r) => r.irateS ?? TIMEOUT_MS / 1000);
  const mc = median(consoleTimes);
  const mi = median(irateTimes);

  const mr = median(runs.map((r) => r.chartS ?? TIMEOUT_MS / 1000));

  // The bound of the headline (irate = the rate between the last two scrapes). After a step of
  // Δ pp at time c (setTraffic + the simulator's watch: < 1 s), the first scrape s1 in (c, c+5]
  // closes an interval that holds both splits and reads old + Δ·(s1 - c)/5; the second scrape,
  // 5 s later, reads the new split exactly. Within e pp therefore by c + (0..5 s) + 5·(1 - e/Δ) s
  // at the latest, plus the 1 s poll. The chart's rate() over 30 s needs 25·(1 - e/Δ) s of new
  // samples instead (6 scrapes span 25 s), plus its alignment of "now" down to the 5 s step.
  const irateBound = (delta: number) => ({
    min: 0,
    max: 1 + SCRAPE_S + SCRAPE_S * (1 - TOLERANCE_PP / delta) + POLL_MS / 1000,
  });
  const span = DEFAULT_RATE_WINDOW_SECONDS - SCRAPE_S;
  const rateBound = (delta: number) => ({
    min: span * (1 - TOLERANCE_PP / delta),
    max: span * (1 - TOLERANCE_PP / delta) + 1 + SCRAPE_S + STEP_S + POLL_MS / 1000,
  });
  console.log("\nmedians\n");
  console.log(
    table(
      ["measure", "median", "ratio to irate baseline"],
      [
        ["console metrics API (headline: irate at now)", `${mc.toFixed(1)} s`, ratio(mc, mi)],
        ["baseline: Prometheus irate queried directly", `${mi.toFixed(1)} s`, "1.00×"],
        ["baseline: chart point, rate[30s] at step-aligned now", `${mr.toFixed(1)} s`, ratio(mr, mi)],
      ],
    ),
  );
  console.log(
    `\nbound for a ${TOLERANCE_PP} pp tolerance (scrape ${SCRAPE_S} s, poll 1 s; chart: rate window ${DEFAULT_RATE_WINDOW_SECONDS} s, step ${STEP_S} s):`,
  );
  console.log(
    table(
      ["step size", "headline (irate) at most", "chart rate[30s] range"],
      [10, 20, 30, 50].map((d) => {
        const a = irateBound(d);
        const b = rateBound(d);
        return [`${d} pp`, `${a.max.toFixed(1)} s`, `${b.min.toFixed(1)} – ${b.max.toFixed(1)} s`];
      }),
    ),
  );
  console.log(
    `\ntarget median <= ${TARGET_S} s: ${mc <= TARGET_S ? "MET" : "NOT MET"} (${mc.toFixed(1)} s for 30 pp steps)`,
  );
  printFooter();
});
