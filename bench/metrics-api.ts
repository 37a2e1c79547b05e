// Metrics API latency vs. asking Prometheus directly.
//
//   npx tsx bench/metrics-api.ts [--calls 100] [--port 3300] [--rps 100]
//
// A canary task (reviews v1/v2 at 80/20) in a private namespace under direct load from the
// shared mesh simulator, so every query returns real series. Interleaved, call by call:
//   console   GET /api/tasks/{id}/metrics?range=5m&step=5s: task + events from the DB, six
//             query_range (rps, share, success rate, p50/p90/p99) and two instant queries
//             (gray vs main summary), assembled onto one time grid
//   one query POST /api/v1/query_range of shareByVersion (lib/metrics/promql.ts), same
//             range and step: the baseline the brief names
//   all ten: the same ten queries the API sends, straight to Prometheus, in parallel as
//             the API sends them: what is left is the console's own overhead
import { parseArgs } from "node:util";
import {
  errorsSince,
  latencyQuantileByVersion,
  requestsSince,
  rpsByVersion,
  shareByVersion,
  successRateByVersion,
  type ServiceRef,
} from "@/lib/metrics/promql";
import { timeGrid } from "@/lib/metrics/version-metrics";
import { benchNamespace, createCanaryTask, kube, loadKubeConfig } from "./k8s";
import {
  expectHttp,
  ms,
  printFooter,
  printHeader,
  PROMETHEUS_URL,
  ratio,
  runMain,
  sleep,
  startConsole,
  stats,
  table,
  timed,
  type Stats,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "100" },
    port: { type: "string", default: "3300" },
    rps: { type: "string", default: "100" },
    warmup: { type: "string", default: "5" },
  },
});
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);
const RANGE_S = 300;
const STEP_S = 5;

async function prometheus(
  path: "/api/v1/query_range" | "/api/v1/query",
  form: Record<string, string>,
): Promise<number> {
  const res = await fetch(PROMETHEUS_URL + path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  const json = (await res.json()) as { status?: string; data?: { result?: unknown[] }; error?: string };
  if (!res.ok || json.status !== "success") throw new Error(`Prometheus ${path}: ${res.status} ${json.error ?? ""}`);
  return json.data?.result?.length ?? 0;
}

runMain(async () => {
  printHeader(`metrics API latency vs direct Prometheus queries (${CALLS} calls each)`);
  const kc = loadKubeConfig();
  const k = kube(kc);
  const app = await startConsole(Number(args.port), { dbFile: "metrics-api.db" });
  const ns = await benchNamespace(kc, k, "bench-metrics", { rps: Number(args.rps) });
  const taskId = await createCanaryTask(app.baseUrl, k, ns.name, "bench-metrics", 20);

  // Wait until both versions show up in the API, so every call carries full series.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await expectHttp(200, "GET", `${app.baseUrl}/api/tasks/${taskId}/metrics?range=5m&step=5s`);
    const chart = (v: string): unknown =>
      (r.json?.versions?.[v]?.series?.share as [number, number | null][] | undefined)?.some(([, x]) => x !== null);
    if (
      typeof r.json?.versions?.v2?.current?.rps === "number" &&
      typeof r.json?.versions?.v1?.current?.rps === "number" &&
      chart("v1") &&
      chart("v2")
    )
      break;
    if (Date.now() > deadline) throw new Error(`no traffic for both versions after 120 s: ${r.text.slice(0, 300)}`);
    await sleep(2000);
  }

  const ref: ServiceRef = { namespace: ns.name, service: "reviews" };
  const rangeForm = (query: string) => {
    const grid = timeGrid(Date.now() / 1000, RANGE_S, STEP_S);
    return { query, start: String(grid.start), end: String(grid.end), step: String(STEP_S) };
  };
  const eight = [
    rpsByVersion(ref),
    shareByVersion(ref),
    successRateByVersion(ref),
    latencyQuantileByVersion(ref, 0.5),
    latencyQuantileByVersion(ref, 0.9),
    latencyQuantileByVersion(ref, 0.99),
  ];
  // headline numbers (irate at now) and the gray-vs-main summary: instant queries
  const instant = [
    rpsByVersion(ref, { rateWindowSeconds: 60, instantaneous: true }),
    shareByVersion(ref, { rateWindowSeconds: 60, instantaneous: true }),
    requestsSince(ref, 300),
    errorsSince(ref, 300),
  ];

  const subjects = {
    console: async () => {
      const r = await expectHttp(200, "GET", `${app.baseUrl}/api/tasks/${taskId}/metrics?range=5m&step=5s`);
      if (r.json?.noTraffic !== false) throw new Error("metrics API reports no traffic mid-benchmark");
    },
    one: async () => {
      if ((await prometheus("/api/v1/query_range", rangeForm(shareByVersion(ref)))) === 0)
        throw new Error("share query returned no series");
    },
    eight: async () => {
      const at = String(Date.now() / 1000);
      await Promise.all([
        ...eight.map((q) => prometheus("/api/v1/query_range", rangeForm(q))),
        ...instant.map((q) => prometheus("/api/v1/query", { query: q, time: at })),
      ]);
    },
  };
  const names = Object.keys(subjects) as (keyof typeof subjects)[];
  const samples: Record<keyof typeof subjects, number[]> = { console: [], one: [], eight: [] };
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      const { ms: t } = await timed(subjects[name]);
      if (i >= WARMUP) samples[name].push(t);
    }
  }

  const s = { console: stats(samples.console), one: stats(samples.one), eight: stats(samples.eight) };
  const row = (label: string, x: Stats) => [label, x.n, ms(x.min), ms(x.p50), ms(x.p90), ms(x.p99), ms(x.max)];
  console.log(`\nrange 5m, step 5s (61 points per series); warm-up ${WARMUP} each, not counted\n`);
  console.log(
    table(
      ["call", "n", "min", "p50", "p90", "p99", "max"],
      [
        row("console GET /api/tasks/{id}/metrics", s.console),
        row("Prometheus: one query_range (share)", s.one),
        row("Prometheus: the API's 10 queries, parallel", s.eight),
      ],
    ),
  );
  console.log("\nratios (console ÷ baseline)\n");
  console.log(
    table(
      ["baseline", "p50 ratio", "p99 ratio"],
      [
        ["one query_range", ratio(s.console.p50, s.one.p50), ratio(s.console.p99, s.one.p99)],
        ["the 10 queries direct", ratio(s.console.p50, s.eight.p50), ratio(s.console.p99, s.eight.p99)],
      ],
    ),
  );
  printFooter();
});
