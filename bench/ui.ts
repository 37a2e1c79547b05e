// The UI's weight and speed: first-load JS per route, time to interactive of the task detail,
// and the jobs list with 10,000 tasks.
//
//   npx tsx bench/ui.ts [--runs 10] [--calls 30] [--tasks 10000]
//
// (a) first-load JS, gzip: each page's HTML from a private production console, its
//     <script src> chunks fetched and gzipped (node:zlib, default level 6) and summed.
//     Baseline: the chunks every measured route loads (framework + root layout).
//     Target: < 250 kB for the jobs list (/releases), the task detail (/releases/<id>) and the
//     create wizard (/releases/new).
// (b) time to interactive, Playwright + Debian's chromium, a fresh browser context (empty
//     cache) per load: navigation start until the traffic slider of the task detail is visible
//     and enabled (it renders only once the page hydrated and fetched the task). Baseline: the
//     namespace page until the reviews row is visible. Loads alternate between the two.
// (c) the jobs list on 10,000 tasks vs 10 tasks: two fresh SQLite databases seeded through the
//     repository (bench/seed-tasks.ts), a console on each, then GET /api/tasks?page=1,
//     ?page=500, ?state=completed&namespace=team-03 and the /releases page until its first row
//     is visible, alternating between the two consoles.
import { execFile } from "node:child_process";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { TASK_STATES } from "@/lib/release/types";
import { benchNamespace, createCanaryTask, kube, loadKubeConfig } from "./k8s";
import {
  BENCH_DIR,
  expectHttp,
  kB,
  ms,
  printFooter,
  printHeader,
  ratio,
  ROOT,
  runMain,
  startConsole,
  stats,
  table,
  timed,
} from "./lib";

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "10" },
    calls: { type: "string", default: "30" },
    tasks: { type: "string", default: "10000" },
  },
});
const RUNS = Number(args.runs);
const CALLS = Number(args.calls);
const TASKS = Number(args.tasks);
const SMALL = 10;
const BUDGET_GZIP = 250_000;
const SEED_NAMESPACES = 20; // bench/seed-tasks.ts: team-00..team-19, task i in team-(i % 20)
const FILTER_NS = "team-03";
const CHROMIUM = process.env.GC_CHROMIUM ?? "/usr/bin/chromium";

// ------------------------------------------------------------------ (a) first-load JS

interface RouteJs {
  route: string;
  chunks: string[];
  raw: number;
  gzip: number;
}

async function firstLoadJs(baseUrl: string, routes: string[]): Promise<{ routes: RouteJs[]; shared: RouteJs }> {
  const sizes = new Map<string, { raw: number; gzip: number }>();
  const chunkSize = async (src: string) => {
    let s = sizes.get(src);
    if (!s) {
      const res = await fetch(new URL(src, baseUrl));
      if (!res.ok) throw new Error(`GET ${src}: ${res.status}`);
      const body = Buffer.from(await res.arrayBuffer());
      s = { raw: body.length, gzip: gzipSync(body).length };
      sizes.set(src, s);
    }
    return s;
  };
  const out: RouteJs[] = [];
  for (const route of routes) {
    const html = (await expectHttp(200, "GET", baseUrl + route)).text;
    const chunks = [
      ...new Set([...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"))),
    ];
    if (chunks.length === 0) throw new Error(`${route}: no <script src> in the HTML`);
    let raw = 0;
    let gzip = 0;
    for (const c of chunks) {
      const s = await chunkSize(c);
      raw += s.raw;
      gzip += s.gzip;
    }
    out.push({ route, chunks, raw, gzip });
  }
  const common = out.map((r) => r.chunks).reduce((acc, cs) => acc.filter((c) => cs.includes(c)));
  const shared: RouteJs = { route: "shared by all", chunks: common, raw: 0, gzip: 0 };
  for (const c of common) {
    shared.raw += sizes.get(c)!.raw;
    shared.gzip += sizes.get(c)!.gzip;
  }
  return { routes: out, shared };
}

// ------------------------------------------------------------------ (b)/(c) browser timing

/**
 * Milliseconds from navigation start (the page's performance.timeOrigin) until `selector` is
 * visible (and, with `enabled`, neither aria-disabled nor a disabled `enabledAlso` input), in
 * a fresh context: no cache, no cookies.
 */
async function timeToElement(
  browser: Browser,
  url: string,
  selector: string,
  opts: { enabled?: boolean; enabledAlso?: string } = {},
): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "commit", timeout: 60_000 });
    const handle = await page.waitForFunction(
      ({ selector, enabled, enabledAlso }) => {
        const el = document.querySelector(selector);
        if (!el?.checkVisibility()) return false;
        if (enabled) {
          if (el.getAttribute("aria-disabled") === "true") return false;
          const also = enabledAlso ? document.querySelector(enabledAlso) : null;
          if (enabledAlso && (!also || (also as HTMLInputElement).disabled)) return false;
        }
        return performance.now();
      },
      { selector, enabled: opts.enabled ?? false, enabledAlso: opts.enabledAlso ?? null },
      { polling: "raf", timeout: 60_000 },
    );
    return (await handle.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

// ------------------------------------------------------------------ main

runMain(async () => {
  printHeader(`UI: first-load JS, time to interactive, jobs list at ${TASKS} tasks`);
  const kc = loadKubeConfig();
  const k = kube(kc);

  // Seed first: it is CPU-heavy and must not overlap the timed parts.
  const seed = async (file: string, n: number) => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "bench/seed-tasks.ts", path.join(BENCH_DIR, file), String(n)],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: "--conditions=react-server" },
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(stdout.trim().split("\n").pop()!) as { count: number; ms: number };
  };
  const seeded = await seed(`tasks-${TASKS}.db`, TASKS);
  await seed(`tasks-${SMALL}.db`, SMALL);
  console.log(`\nseeded ${seeded.count} tasks through insertTask in ${(seeded.ms / 1000).toFixed(1)} s`);

  const app = await startConsole(3300, { dbFile: "ui.db" });
  const ns = await benchNamespace(kc, k, "bench-ui");
  const taskId = await createCanaryTask(app.baseUrl, k, ns.name, "bench-ui", 10);

  // (a)
  const wizard = `/releases/new?namespace=${encodeURIComponent(ns.name)}&service=reviews`;
  const routes = ["/releases", `/releases/${taskId}`, wizard, "/namespaces/bookinfo", "/"];
  const js = await firstLoadJs(app.baseUrl, routes);
  console.log("\n## (a) first-load JS (<script src> chunks of the HTML, gzip level 6)\n");
  const label = (r: string) =>
    r === `/releases/${taskId}` ? "/releases/<task id>" : r === wizard ? "/releases/new (wizard)" : r;
  console.log(
    table(
      ["route", "chunks", "raw", "gzip", "ratio to shared", "budget 250 kB"],
      [
        ...js.routes.map((r) => [
          label(r.route),
          r.chunks.length,
          kB(r.raw),
          kB(r.gzip),
          ratio(r.gzip, js.shared.gzip),
          r.route.startsWith("/releases")
            ? `${((r.gzip / BUDGET_GZIP) * 100).toFixed(0)} % ${r.gzip < BUDGET_GZIP ? "MET" : "NOT MET"}`
            : "-",
        ]),
        [
          "baseline: shared by all routes",
          js.shared.chunks.length,
          kB(js.shared.raw),
          kB(js.shared.gzip),
          "1.00×",
          "-",
        ],
      ],
    ),
  );

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  try {
    // (b)
    const detail = () =>
      timeToElement(browser, `${app.baseUrl}/releases/${taskId}`, "[data-testid=traffic-slider]", {
        enabled: true,
        enabledAlso: "[data-testid=traffic-input]",
      });
    const namespacePage = () =>
      timeToElement(browser, `${app.baseUrl}/namespaces/bookinfo`, "[data-testid=service-row-reviews]");
    await detail();
    await namespacePage(); // warm-up: server-side caches and JIT, not counted
    const tti = { detail: [] as number[], ns: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      tti.detail.push(await detail());
      tti.ns.push(await namespacePage());
    }
    await app.stop();
    const sd = stats(tti.detail);
    const sn = stats(tti.ns);
    console.log(`\n## (b) time to interactive (fresh context per load, ${RUNS} loads each, alternating)\n`);
    console.log(
      table(
        ["page, until", "min", "median", "p90", "max", "ratio (median)"],
        [
          [
            "task detail, traffic slider visible + enabled",
            ms(sd.min),
            ms(sd.p50),
            ms(sd.p90),
            ms(sd.max),
            ratio(sd.p50, sn.p50),
          ],
          ["baseline: namespace page, reviews row visible", ms(sn.min), ms(sn.p50), ms(sn.p90), ms(sn.max), "1.00×"],
        ],
      ),
    );

    // (c)
    const big = await startConsole(3301, { dbFile: `tasks-${TASKS}.db`, keepDb: true });
    const small = await startConsole(3302, { dbFile: `tasks-${SMALL}.db`, keepDb: true });
    const completed = TASK_STATES.indexOf("completed");
    const nsIndex = Number(FILTER_NS.slice("team-".length));
    const expectedFiltered = (n: number) =>
      Array.from({ length: n }, (_, i) => i).filter(
        (i) => i % TASK_STATES.length === completed && i % SEED_NAMESPACES === nsIndex,
      ).length;
    const queries = [
      {
        label: "GET /api/tasks?page=1",
        path: "/api/tasks?page=1",
        total: (n: number) => n,
        rows: (n: number) => Math.min(20, n),
      },
      {
        label: "GET /api/tasks?page=500",
        path: "/api/tasks?page=500",
        total: (n: number) => n,
        rows: (n: number) => Math.max(0, Math.min(20, n - 499 * 20)),
      },
      {
        label: `GET /api/tasks?state=completed&namespace=${FILTER_NS}`,
        path: `/api/tasks?state=completed&namespace=${FILTER_NS}`,
        total: expectedFiltered,
        rows: (n: number) => Math.min(20, expectedFiltered(n)),
      },
    ];
    const consoles = [
      { name: "big", baseUrl: big.baseUrl, n: TASKS },
      { name: "small", baseUrl: small.baseUrl, n: SMALL },
    ];
    const apiSamples = new Map<string, number[]>();
    for (let i = 0; i < 3 + CALLS; i++) {
      for (const q of queries) {
        for (const c of i % 2 === 0 ? consoles : [...consoles].reverse()) {
          const { ms: t, value } = await timed(() => expectHttp(200, "GET", c.baseUrl + q.path));
          // The answer must be the right page of the right data, or the timing means nothing.
          if (value.json.total !== q.total(c.n) || value.json.tasks.length !== q.rows(c.n)) {
            throw new Error(
              `${c.name} ${q.path}: total ${value.json.total} / ${value.json.tasks.length} rows, expected ${q.total(c.n)} / ${q.rows(c.n)}`,
            );
          }
          if (i >= 3) apiSamples.set(`${c.name} ${q.label}`, [...(apiSamples.get(`${c.name} ${q.label}`) ?? []), t]);
        }
      }
    }
    const list = (baseUrl: string) => timeToElement(browser, `${baseUrl}/releases`, '[data-testid^="job-row-"]');
    await list(big.baseUrl);
    await list(small.baseUrl);
    const render = { big: [] as number[], small: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      render.big.push(await list(big.baseUrl));
      render.small.push(await list(small.baseUrl));
    }
    await big.stop();
    await small.stop();

    console.log(
      `\n## (c) jobs list: ${TASKS} tasks vs baseline ${SMALL} tasks (${CALLS} calls each after 3 warm-up, ${RUNS} page loads)\n`,
    );
    const rows = queries.map((q) => {
      const b = stats(apiSamples.get(`big ${q.label}`)!);
      const s = stats(apiSamples.get(`small ${q.label}`)!);
      return [q.label, ms(b.p50), ms(b.p90), ms(s.p50), ms(s.p90), ratio(b.p50, s.p50)];
    });
    const rb = stats(render.big);
    const rs = stats(render.small);
    rows.push([
      "/releases until the first row is visible",
      ms(rb.p50),
      ms(rb.p90),
      ms(rs.p50),
      ms(rs.p90),
      ratio(rb.p50, rs.p50),
    ]);
    console.log(
      table(
        ["request", `${TASKS} tasks p50`, `${TASKS} p90`, `${SMALL} tasks p50`, `${SMALL} p90`, "ratio (p50)"],
        rows,
      ),
    );
    console.log(
      `\nchecked: every answer had the expected total and row count (e.g. ${expectedFiltered(TASKS)} completed tasks in ${FILTER_NS} of ${TASKS})`,
    );
  } finally {
    await browser.close();
  }
  printFooter();
});
