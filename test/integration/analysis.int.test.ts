// Metric analysis against the real chain: the console's leader measures the new version in
// Prometheus (fed by the mesh simulator, scraped every 5 s), records every run, and rolls back or
// pauses through the normal action path as system:analysis. Each scenario has its own namespace
// and, where its new version must misbehave, its own overlay in the simulator's behaviour file
// (helpers/sim-behaviour.ts): Bookinfo and other tests' namespaces are never touched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type * as k8s from "@kubernetes/client-node";
import { BASE_URL, api, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, getVS, kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";
import { setNamespaceBehaviour, type VersionBehaviour } from "./helpers/sim-behaviour";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { freePort } from "./helpers/auth";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const SCRAPE_SECONDS = 5;
/** The simulator polls its behaviour file every second; the runner looks for due runs every second. */
const RELOAD_AND_TICK_SECONDS = 2;

let kc: k8s.KubeConfig;
let k: Kube;
const namespaces: TestNamespace[] = [];

beforeAll(() => {
  kc = loadKubeConfig();
  k = kube(kc);
});
afterAll(async () => {
  for (const ns of namespaces) {
    await setNamespaceBehaviour(ns.name, "reviews", null).catch(() => undefined);
    await ns.delete().catch(() => undefined);
  }
});

/** A namespace with reviews v1 under `rps` requests per second of in-mesh load (0: none). */
async function reviewsUnderLoad(prefix: string, rps: number): Promise<TestNamespace> {
  const ns = await createTestNamespace(kc, prefix);
  namespaces.push(ns);
  await seedReviews(k, ns.name);
  if (rps > 0)
    await k.core.patchNamespacedService({
      namespace: ns.name,
      name: "reviews",
      body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": String(rps) } }],
    });
  return ns;
}

function behave(ns: TestNamespace, v2: VersionBehaviour): Promise<void> {
  return setNamespaceBehaviour(ns.name, "reviews", { v1: {}, v2 });
}

interface AnalysisSpec {
  interval?: string;
  failureLimit?: number;
  inconclusiveLimit?: number;
  minRequests?: number;
  metrics?: unknown[];
}

async function createTask(
  ns: TestNamespace,
  analysis: AnalysisSpec,
  extra: Record<string, unknown> = {},
  base = BASE_URL,
): Promise<string> {
  const body = {
    name: "an",
    namespace: ns.name,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: V2, replicas: 1 },
    traffic: { weights: { v1: 50, v2: 50 } },
    analysis: {
      interval: "10s",
      failureLimit: 2,
      inconclusiveLimit: 4,
      minRequests: 20,
      background: true,
      metrics: [
        { name: "success-rate", min: 99 },
        { name: "latency-p99", max: 500 },
      ],
      ...analysis,
    },
    ...extra,
  };
  const res = await fetch(`${base}/api/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json: any = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  await settled(json.task.id, { baseUrl: base, timeoutMs: 120_000 });
  return json.task.id;
}

async function analysisOf(id: string, base = BASE_URL): Promise<any> {
  const res = await fetch(`${base}/api/tasks/${id}/analysis`);
  expect(res.status).toBe(200);
  return res.json();
}

async function eventsOf(id: string): Promise<any[]> {
  return (await api("GET", `/api/tasks/${id}/events`)).json.events;
}

async function waitForRuns(id: string, pred: (runs: any[]) => boolean, what: string, base = BASE_URL) {
  return waitFor(
    async () => {
      const { runs } = await analysisOf(id, base);
      return pred(runs) ? runs : null;
    },
    { timeoutMs: 120_000, intervalMs: 1000, description: what },
  );
}

/** Seconds until the VirtualService sends all of the default route to v1 again. */
async function secondsUntilBaseTakesAll(ns: TestNamespace, since: number, timeoutMs: number): Promise<number> {
  await waitFor(async () => defaultWeights(await getVS(k, ns.name)).v1 === 100, {
    timeoutMs,
    intervalMs: 250,
    description: "VirtualService back at 100% v1",
  });
  return (Date.now() - since) / 1000;
}

const bound = (intervalSeconds: number, failureLimit: number, windowSeconds: number) =>
  intervalSeconds * failureLimit + SCRAPE_SECONDS + windowSeconds;

function expectRolledBackByAnalysis(task: any, events: any[]) {
  expect(task.state).toBe("rolled-back");
  const rollback = events.find((e) => e.action === "rollback" && e.result === "ok");
  expect(rollback?.actor).toBe("system:analysis");
  const decision = events.find((e) => e.action === "analysis");
  expect(decision).toMatchObject({ actor: "system:analysis", result: "error" });
  expect(decision.error).toMatch(/^analysis failed: 2 failed runs \(limit 2\)$/);
}

describe.concurrent("metric analysis", () => {
  it("a healthy new version passes its runs, each measurement recorded beside its threshold", async () => {
    const ns = await reviewsUnderLoad("an-healthy", 40);
    const id = await createTask(ns, {});
    const runs = await waitForRuns(id, (r) => r.filter((x: any) => x.verdict === "pass").length >= 3, "3 passed runs");
    expect(runs.filter((r: any) => r.verdict === "fail")).toEqual([]);
    const passed = runs.find((r: any) => r.verdict === "pass");
    expect(passed.step).toBeNull();
    expect(passed.windowSeconds).toBe(10);
    const [success, p99] = passed.metrics;
    expect(success).toMatchObject({ name: "success-rate", threshold: { min: 99 }, verdict: "pass" });
    expect(success.value).toBeGreaterThanOrEqual(99);
    expect(success.requests).toBeGreaterThanOrEqual(20);
    expect(success.reason.key).toBe("err.analysis.reason.successRate.pass");
    expect(p99).toMatchObject({ name: "latency-p99", threshold: { max: 500 }, verdict: "pass" });
    expect(p99.value).toBeGreaterThan(0);
    expect(p99.value).toBeLessThanOrEqual(500);
    expect((await settled(id)).state).toBe("progressing");
  }, 240_000);

  it("a failing new version (30% 5xx) is rolled back within interval x failureLimit + scrape + window", async () => {
    const ns = await reviewsUnderLoad("an-failing", 40);
    const id = await createTask(ns, {});
    await waitForRuns(id, (r) => r.some((x: any) => x.verdict === "pass"), "a passed run before the failure");
    const startedFailing = Date.now();
    await behave(ns, { errorRate: 0.3, errorCode: 503 });
    const limit = bound(10, 2, 10) + RELOAD_AND_TICK_SECONDS;
    const took = await secondsUntilBaseTakesAll(ns, startedFailing, (limit + 30) * 1000);
    expect(took).toBeLessThanOrEqual(limit);
    const task = await settled(id);
    expectRolledBackByAnalysis(task, await eventsOf(id));
    expect(task.weights).toEqual({ v1: 100, v2: 0 });
    // The new version is kept for inspection.
    expect((await tryDeployment(k, ns.name, "reviews-v2"))?.status?.readyReplicas).toBe(1);
    const failed = (await analysisOf(id)).runs.filter((r: any) => r.verdict === "fail");
    expect(failed.length).toBeGreaterThanOrEqual(2);
    const success = failed.at(-1).metrics.find((m: any) => m.name === "success-rate");
    expect(success).toMatchObject({ verdict: "fail", threshold: { min: 99 } });
    expect(success.value).toBeLessThan(99);
    expect(success.requests).toBeGreaterThanOrEqual(20);
  }, 240_000);

  it("a slow new version fails on latency", async () => {
    const ns = await reviewsUnderLoad("an-slow", 40);
    await behave(ns, { p50Ms: 500, p99Ms: 1500 });
    const id = await createTask(ns, {
      metrics: [
        { name: "success-rate", min: 99 },
        { name: "latency-p99", max: 300 },
      ],
    });
    await waitFor(async () => (await settled(id)).state === "rolled-back", {
      timeoutMs: 90_000,
      intervalMs: 1000,
      description: "rolled back",
    });
    expectRolledBackByAnalysis(await settled(id), await eventsOf(id));
    const failed = (await analysisOf(id)).runs.filter((r: any) => r.verdict === "fail");
    for (const run of failed) {
      const byName = Object.fromEntries(run.metrics.map((m: any) => [m.name, m]));
      expect(byName["latency-p99"]).toMatchObject({ verdict: "fail", threshold: { max: 300 } });
      expect(byName["latency-p99"].value).toBeGreaterThan(300);
      expect(byName["success-rate"].verdict).toBe("pass");
    }
  }, 240_000);

  it("no traffic: inconclusive runs, never a pass, then a pause for not enough traffic", async () => {
    const ns = await reviewsUnderLoad("an-idle", 0);
    const id = await createTask(ns, { interval: "5s", inconclusiveLimit: 3 });
    await waitFor(async () => (await settled(id)).state === "paused", {
      timeoutMs: 90_000,
      intervalMs: 1000,
      description: "paused",
    });
    const { runs } = await analysisOf(id);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((r: any) => r.verdict === "inconclusive")).toBe(true);
    expect(runs[0].metrics[0].reason.key).toBe("err.analysis.reason.fewRequests");
    expect(runs[0].metrics[0].value).toBeNull();
    const events = await eventsOf(id);
    expect(events.find((e: any) => e.action === "analysis")?.error).toBe(
      "not enough traffic: 3 inconclusive runs in a row (limit 3)",
    );
    expect(events.find((e: any) => e.action === "pause" && e.result === "ok")?.actor).toBe("system:analysis");
    // Still paused, with the VirtualService as it was: no pass, no rollback.
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 50, v2: 50 });
  }, 240_000);

  it("a failure while the task is paused still rolls it back", async () => {
    const ns = await reviewsUnderLoad("an-paused", 40);
    // A receiver that is not there: the announcement is queued (and retried), never in the way.
    const id = await createTask(ns, {}, { notifications: [{ type: "webhook", url: "http://127.0.0.1:1/hook" }] });
    const paused = await api("POST", `/api/tasks/${id}/actions`, { action: "pause" });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.json.task.state).toBe("paused");
    await behave(ns, { errorRate: 0.3, errorCode: 503 });
    await secondsUntilBaseTakesAll(ns, Date.now(), 90_000);
    const task = await settled(id);
    expectRolledBackByAnalysis(task, await eventsOf(id));
    expect(task.notifications.map((d: any) => d.event)).toEqual(
      expect.arrayContaining(["created", "paused", "analysis-failed", "rolled-back"]),
    );
  }, 240_000);
});

describe("a console restart in the middle of an analysis", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gc-analysis-restart-"));
  const env = { DATABASE_URL: `file:${path.join(dir, "console.db")}` };
  let server: ConsoleInstance | undefined;
  afterAll(() => {
    server?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes: the runs before the restart count towards the failure limit", async () => {
    const port = await freePort();
    server = await startConsole(port, env, { logName: "it-analysis-restart" });
    const ns = await reviewsUnderLoad("an-restart", 40);
    await behave(ns, { errorRate: 0.3, errorCode: 503 });
    const id = await createTask(ns, { failureLimit: 3 }, {}, server.baseUrl);
    await waitForRuns(
      id,
      (r) => r.filter((x: any) => x.verdict === "fail").length >= 1,
      "a failed run",
      server.baseUrl,
    );
    server.kill9();
    await server.exited;
    const stoppedAt = new Date();
    server = await startConsole(port, env, { logName: "it-analysis-restart" });
    await waitFor(async () => defaultWeights(await getVS(k, ns.name)).v1 === 100, {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: "rolled back after the restart",
    });
    const runs = (await analysisOf(id, server.baseUrl)).runs;
    const failedAfter = runs.filter((r: any) => r.verdict === "fail" && Date.parse(r.at) > stoppedAt.getTime());
    const failedBefore = runs.filter((r: any) => r.verdict === "fail" && Date.parse(r.at) <= stoppedAt.getTime());
    expect(failedBefore.length).toBeGreaterThanOrEqual(1);
    expect(failedBefore.length + failedAfter.length).toBeGreaterThanOrEqual(3);
    expect(failedAfter.length).toBeLessThan(3);
  }, 300_000);
});

describe("two console processes on one database", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gc-analysis-pair-"));
  const env = {
    DATABASE_URL: `file:${path.join(dir, "console.db")}`,
    GC_LEADER_LEASE: `gray-console-it-analysis-pair-${path.basename(dir).slice(-6).toLowerCase()}`,
  };
  const servers: ConsoleInstance[] = [];
  afterAll(() => {
    for (const s of servers) s.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it("measure each interval once: only the leader runs the analysis", async () => {
    for (const name of ["a", "b"])
      servers.push(await startConsole(await freePort(), env, { logName: `it-analysis-pair-${name}` }));
    const ns = await reviewsUnderLoad("an-pair", 40);
    const id = await createTask(ns, {}, {}, servers[1]!.baseUrl);
    const runs = await waitForRuns(id, (r) => r.length >= 4, "4 runs", servers[0]!.baseUrl);
    const gaps = runs.slice(1).map((r: any, i: number) => Date.parse(r.at) - Date.parse(runs[i].at));
    // Two runners would record two runs per interval, milliseconds apart.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(10_000);
    expect(runs.filter((r: any) => r.verdict === "fail")).toEqual([]);
  }, 240_000);
});

describe.concurrent("analysis in release steps", () => {
  it("setWeight 20 -> analysis 30s -> setWeight 50 -> analysis 30s -> setWeight 100 completes on its own", async () => {
    const ns = await reviewsUnderLoad("an-steps", 40);
    const id = await createTask(ns, { background: false } as AnalysisSpec, {
      traffic: { weights: { v1: 100, v2: 0 } },
      steps: [
        { setWeight: 20 },
        { analysis: { duration: "30s" } },
        { setWeight: 50 },
        { analysis: { duration: "30s" } },
        { setWeight: 100 },
      ],
    });
    await waitFor(async () => (await api("GET", `/api/tasks/${id}`)).json.task.steps?.state?.done === true, {
      timeoutMs: 150_000,
      intervalMs: 1000,
      description: "every step done",
    });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 0, v2: 100 });
    const { runs } = await analysisOf(id);
    const byStep = (i: number) => runs.filter((r: any) => r.step === i);
    // Measured during the two analysis steps only (no background analysis), and passed.
    expect(runs.every((r: any) => r.step === 1 || r.step === 3)).toBe(true);
    for (const i of [1, 3]) {
      expect(byStep(i).length).toBeGreaterThanOrEqual(1);
      expect(byStep(i).at(-1).verdict).toBe("pass");
      expect(byStep(i).at(-1).metrics[0]).toMatchObject({ name: "success-rate", verdict: "pass" });
    }
    expect(runs.filter((r: any) => r.verdict === "fail")).toEqual([]);
  }, 240_000);

  it("a failure during a pause: {} step rolls back", async () => {
    const ns = await reviewsUnderLoad("an-steps-pause", 40);
    const id = await createTask(
      ns,
      {},
      { traffic: { weights: { v1: 100, v2: 0 } }, steps: [{ setWeight: 50 }, { pause: {} }] },
    );
    await waitFor(async () => (await api("GET", `/api/tasks/${id}`)).json.task.steps?.state?.index === 1, {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: "at the pause step",
    });
    await behave(ns, { errorRate: 0.3, errorCode: 503 });
    await secondsUntilBaseTakesAll(ns, Date.now(), 90_000);
    expectRolledBackByAnalysis(await settled(id), await eventsOf(id));
  }, 240_000);
});
