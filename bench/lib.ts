// Shared plumbing for the benchmarks in bench/: statistics, the machine/load header every
// run prints, a private production console, and cleanup that runs on Ctrl-C too.
//
// The machine is shared (2 cores, a Go build and other engineers' tests), so absolute numbers
// move from run to run; every benchmark therefore measures its baseline IN THE SAME RUN,
// interleaved with the subject where possible, and reports the ratio next to the numbers.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "..");
export const LOCAL_KUBECONFIG = path.join(ROOT, ".local/kubeconfig");
export const KUBECTL = path.join(ROOT, ".cache/bin/kubectl");
/** Benchmark state (databases, logs, the separate cluster): never the shared .local/cluster. */
export const BENCH_DIR = path.join(ROOT, ".local/bench");
export const BENCH_LOGS = path.join(BENCH_DIR, "logs");
export const PROMETHEUS_URL = process.env.PROMETHEUS_URL ?? "http://127.0.0.1:9090";
export const REVIEWS_V2_IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

// ------------------------------------------------------------------ cleanup

const cleanups: (() => Promise<void> | void)[] = [];
let cleaning = false;

/** Registers a cleanup (LIFO). Runs from runMain's finally and on SIGINT/SIGTERM. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

async function runCleanups(): Promise<void> {
  if (cleaning) return;
  cleaning = true;
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      console.error(`[bench] cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n[bench] ${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  });
}

/** Runs a benchmark's main, then every registered cleanup; a failure exits 1 after cleanup. */
export function runMain(main: () => Promise<void>): void {
  main()
    .then(runCleanups)
    .catch(async (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      await runCleanups();
      process.exit(1);
    });
}

// ------------------------------------------------------------------ statistics

export interface Stats {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of ascending samples: p99 of 200 samples is the 198th smallest. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of no samples");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length,
    min: s[0]!,
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p99: percentile(s, 99),
    max: s[s.length - 1]!,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : "n/a");
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The latency table every round-trip benchmark prints: one row per writer, nearest-rank percentiles. */
export const LATENCY_HEADERS = ["n", "min", "p50", "p90", "p99", "max", "mean"] as const;
export function latencyRow(label: string, x: Stats): (string | number)[] {
  return [label, x.n, ms(x.min), ms(x.p50), ms(x.p90), ms(x.p99), ms(x.max), ms(x.mean)];
}

/** A Markdown table (pastes straight into bench/README.md). */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers.map(String), ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(cells[0]!), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...cells.slice(1).map(line)].join(
    "\n",
  );
}

// ------------------------------------------------------------------ machine and load

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
}

/** The header every benchmark prints: what ran where, and how busy the machine was. */
export function printHeader(title: string): void {
  const cpus = os.cpus();
  console.log(`# ${title}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`,
  );
  console.log(`load average (1/5/15 min) at start: ${loadAverage()}`);
}

export function printFooter(): void {
  console.log(`load average (1/5/15 min) at end: ${loadAverage()}`);
}

// ------------------------------------------------------------------ processes

export async function sleep(msec: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, msec));
}

export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** TERM to the whole process group, KILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a child in its own process group (so stop() reaches its children too, and only
 * them), logging to .local/bench/logs/<name>.log, and registers its stop as a cleanup.
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Started {
  mkdirSync(BENCH_LOGS, { recursive: true });
  const log = openSync(path.join(BENCH_LOGS, `${name}.log`), "w");
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", log, log],
  });
  if (child.pid === undefined) throw new Error(`${name}: spawn ${command} failed`);
  const pid = child.pid;
  let exited = false;
  const done = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async (graceMs = 10_000) => {
    if (exited) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    await done;
    clearTimeout(timer);
  };
  onCleanup(() => stop());
  return { child, pid, stop };
}

export interface Console {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
  /** SIGKILL to the console's process group: a crash, no chance to hand the Lease over. */
  kill9(): void;
}

/**
 * A private production console (`next start` on the build in .next) on `port`, with its own
 * SQLite file under .local/bench (recreated: each run starts from an empty task table unless
 * `keepDb`). Production, not the dev server: latency numbers must not include compilation.
 */
export async function startConsole(
  port: number,
  opts: { dbFile: string; keepDb?: boolean; kubeconfig?: string; env?: Record<string, string>; follower?: boolean },
): Promise<Console> {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID")))
    throw new Error("no production build in .next: run `npx next build` first");
  if (!(await portFree(port))) throw new Error(`port ${port} is in use: stop what runs there or pick another port`);
  const dbFile = path.resolve(BENCH_DIR, opts.dbFile);
  mkdirSync(path.dirname(dbFile), { recursive: true });
  if (!opts.keepDb) for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(dbFile + suffix, { force: true });
  const started = startProcess(
    `console-${port}`,
    path.join(ROOT, "node_modules/.bin/next"),
    ["start", "-H", "127.0.0.1", "-p", String(port)],
    {
      KUBECONFIG: opts.kubeconfig ?? LOCAL_KUBECONFIG,
      DATABASE_URL: `file:${dbFile}`,
      PROMETHEUS_URL,
      // Each bench console elects its own reconciler leader (its own database, its own Lease).
      GC_LEADER_LEASE: `gray-console-bench-${port}`,
      // No sign-in unless a benchmark asks for it (the default, token, would refuse the bench's calls).
      GC_AUTH: "none",
      ...opts.env,
    },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(
        `console on :${port} exited (${started.child.exitCode}); see .local/bench/logs/console-${port}.log`,
      );
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline)
      throw new Error(`console on :${port} not healthy after 90 s; see .local/bench/logs/console-${port}.log`);
    await sleep(250);
  }
  if (!opts.follower) await waitLeader(baseUrl, deadline);
  const kill9 = () => {
    try {
      process.kill(-started.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  return { baseUrl, pid: started.pid, stop: () => started.stop(), kill9 };
}

// ------------------------------------------------------------------ HTTP

export interface Json {
  status: number;
  /** Parsed body; `any` because API answers are checked field by field where they are used. */
  json: any;
  text: string;
}

export async function http(method: string, url: string, body?: unknown): Promise<Json> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json", "X-Forwarded-User": "bench" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

/** http() that fails loudly unless the status is the expected one. */
export async function expectHttp(expected: number, method: string, url: string, body?: unknown): Promise<Json> {
  const r = await http(method, url, body);
  if (r.status !== expected)
    throw new Error(`${method} ${url}: expected ${expected}, got ${r.status}: ${r.text.slice(0, 500)}`);
  return r;
}

/** Milliseconds of one awaited operation (high-resolution clock). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

// ------------------------------------------------------------------ /proc

/** utime+stime of a process in clock ticks (/proc/<pid>/stat fields 14 and 15). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  return Number(fields[11]) + Number(fields[12]);
}

/** A /proc/<pid>/status value in kB (VmHWM = peak resident set, VmRSS = now). */
export function statusKb(pid: number, key: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`/proc/${pid}/status has no ${key}`);
  return Number(m[1]);
}

/** Every live descendant of pid (children of children...), via /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop()!;
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      kids = [];
    }
    out.push(...kids);
    stack.push(...kids);
  }
  return out;
}

/** Until the console holds its reconciler Lease: before that, writes wait for a leader. */
export async function waitLeader(baseUrl: string, deadline = Date.now() + 30_000): Promise<void> {
  for (;;) {
    const h = (await (await fetch(`${baseUrl}/api/health`)).json()) as { reconciler?: { leader?: boolean } };
    if (h.reconciler?.leader) return;
    if (Date.now() > deadline) throw new Error(`console ${baseUrl} never became the reconciler leader`);
    await sleep(100);
  }
}

/** Until the task has no operation in flight (the reconciler finished its waits). */
export async function waitSettled(baseUrl: string, id: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = (await (await fetch(`${baseUrl}/api/tasks/${id}`)).json()) as { task?: { operation?: unknown } };
    if (t.task && t.task.operation === null) return;
    if (Date.now() > deadline) throw new Error(`task ${id} still has an operation after ${timeoutMs} ms`);
    await sleep(100);
  }
}
