// Release steps end to end: a canary walks its plan on its own (the leader's step runner), with
// the VirtualService read back from the API server as kubectl would at each stage; promote,
// promoteFull, a slider hold, retry after a rollback, and a console restart in a timed pause.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type * as k8s from "@kubernetes/client-node";
import { api, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, getVS, kube, seedReviews, type Kube } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
let kc: k8s.KubeConfig;
let k: Kube;
const namespaces: TestNamespace[] = [];
const consoles: ConsoleInstance[] = [];
const dirs: string[] = [];

/** A local webhook receiver: the events the console announced, in the order they arrived. */
const received: any[] = [];
const receiver = http.createServer((req, res) => {
  let raw = "";
  req.setEncoding("utf8");
  req.on("data", (c: string) => (raw += c));
  req.on("end", () => {
    received.push(JSON.parse(raw));
    res.writeHead(200).end("ok");
  });
});

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  receiver.close();
  for (const c of consoles) c.stop();
  await Promise.all(namespaces.map((n) => n.delete().catch(() => undefined)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshReviews(): Promise<string> {
  const ns = await createTestNamespace(kc, "steps");
  namespaces.push(ns);
  await seedReviews(k, ns.name);
  return ns.name;
}

function spec(namespace: string, steps: unknown[]) {
  return {
    name: "steps",
    namespace,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: V2, replicas: 1 },
    traffic: { weights: { v1: 100, v2: 0 } },
    rollout: { drainSeconds: 0 },
    steps,
  };
}

const PLAN = [{ setWeight: 20 }, { pause: { duration: "5s" } }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }];

/** The VirtualService's default route, read from the API server, once it says `want`. */
async function vsReaches(ns: string, want: Record<string, number>, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => JSON.stringify(defaultWeights(await getVS(k, ns))) === JSON.stringify(want) || undefined, {
    timeoutMs,
    description: `VirtualService reviews in ${ns} at ${JSON.stringify(want)}`,
  });
}

async function stepState(id: string, base?: string): Promise<any> {
  const res = await fetch(`${base ?? process.env.GC_BASE_URL}/api/tasks/${id}`);
  return ((await res.json()) as any).task.steps?.state ?? null;
}

async function stepReaches(id: string, index: number, base?: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(
    async () => {
      const s = await stepState(id, base);
      return s && s.index === index ? s : undefined;
    },
    { timeoutMs, description: `task ${id} at step ${index + 1}` },
  );
}

async function act(id: string, body: unknown) {
  const res = await api("POST", `/api/tasks/${id}/actions`, body);
  expect(res.status, res.text).toBe(200);
  return res.json.task;
}

describe("release steps", () => {
  it("refuses steps a strategy cannot do (400, the step named, a catalog key) and creates nothing", async () => {
    const base = spec("default", PLAN);
    const mirror = await api("POST", "/api/tasks", {
      ...base,
      strategy: "mirror",
      traffic: { mirrorPercent: 10 },
      steps: [{ setMirror: 30 }, { setWeight: 50 }],
    });
    expect(mirror.status).toBe(400);
    expect(mirror.json.error.details).toContainEqual(
      expect.objectContaining({ path: "steps[1].setWeight", key: "err.steps.kindNotForStrategy" }),
    );
    const blueGreen = await api("POST", "/api/tasks", { ...base, strategy: "blue-green", traffic: undefined });
    expect(blueGreen.status).toBe(400);
    expect(blueGreen.json.error.details).toContainEqual(
      expect.objectContaining({ path: "steps", key: "err.steps.notForStrategy" }),
    );
    const bad = await api("POST", "/api/tasks", {
      ...base,
      steps: [{ setWeight: 120 }, { pause: { duration: "1 minute" } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: any) => d.path)).toEqual(["steps[0].setWeight", "steps[1].pause.duration"]);
  });

  it("a canary walks setWeight 20 -> pause 5s -> setWeight 50 -> pause {} on its own; promote finishes the pause", async () => {
    const ns = await freshReviews();
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await api("POST", "/api/tasks", {
      ...spec(ns, PLAN),
      notifications: [{ type: "webhook", url: hook }],
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.task.id;
    expect(created.json.task.steps.plan).toHaveLength(5);

    await vsReaches(ns, { v1: 80, v2: 20 });
    const paused = await stepReaches(id, 1);
    expect(paused).toMatchObject({ kind: "pause", total: 5 });
    expect(Date.parse(paused.until) - Date.parse(paused.startedAt)).toBe(5000);
    // Still 80/20 while the timed pause runs, then 50/50 once it is over.
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 80, v2: 20 });
    await vsReaches(ns, { v1: 50, v2: 50 }, 20_000);
    const waiting = await stepReaches(id, 3);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(paused.until));
    expect(waiting.until).toBeUndefined();
    // pause {} waits for a person.
    await new Promise((r) => setTimeout(r, 3000));
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 50, v2: 50 });
    expect((await stepState(id)).index).toBe(3);

    const promoted = await act(id, { action: "promote" });
    expect(promoted.steps.state).toMatchObject({ index: 4, done: true });
    await vsReaches(ns, { v1: 0, v2: 100 });
    const events = (await api("GET", `/api/tasks/${id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.actor, e.after?.weights])).toEqual([
      ["create", "anonymous", { v1: 100, v2: 0 }],
      ["promote", "system:steps", { v1: 80, v2: 20 }],
      ["promote", "system:steps", { v1: 80, v2: 20 }],
      ["promote", "system:steps", { v1: 50, v2: 50 }],
      ["promote", "system:steps", { v1: 50, v2: 50 }],
      ["promote", "anonymous", { v1: 0, v2: 100 }],
    ]);
    expect(events[1].before.weights).toEqual({ v1: 100, v2: 0 });
    // Every step a promote entered was announced once, in order.
    const announced = async () =>
      received
        .filter((e) => e.task.id === id && e.event === "step-started")
        .map((e) => [e.detail.step, e.detail.kind, e.actor]);
    await waitFor(async () => (await announced()).length === 5 || undefined, {
      timeoutMs: 20_000,
      description: "five step-started notifications",
    });
    expect(await announced()).toEqual([
      [1, "setWeight", "system:steps"],
      [2, "pause", "system:steps"],
      [3, "setWeight", "system:steps"],
      [4, "pause", "system:steps"],
      [5, "setWeight", "anonymous"],
    ]);
    // The steps are done: the usual retire completes the release.
    const retired = await act(id, { action: "retireOld" });
    expect((await settled(retired.id)).state).toBe("completed");
  });

  it("a slider move holds a timed pause until resume; promoteFull jumps to 100; retry after a rollback starts at step 1", async () => {
    const ns = await freshReviews();
    const plan = [
      { setWeight: 20 },
      { pause: { duration: "6s" } },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ];
    const created = await api("POST", "/api/tasks", spec(ns, plan));
    expect(created.status, created.text).toBe(201);
    const id = created.json.task.id;
    await stepReaches(id, 1);

    const moved = await act(id, { action: "setTraffic", weights: { v1: 70, v2: 30 } });
    expect(moved.steps.state).toMatchObject({ index: 1, heldBy: "user" });
    await vsReaches(ns, { v1: 70, v2: 30 });
    // The pause's time passes; held, nothing moves.
    await new Promise((r) => setTimeout(r, 8000));
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 70, v2: 30 });
    expect(await stepState(id)).toMatchObject({ index: 1, heldBy: "user" });

    const resumed = await act(id, { action: "resume" });
    expect(resumed.steps.state.heldBy).toBeUndefined();
    await vsReaches(ns, { v1: 50, v2: 50 });
    await stepReaches(id, 3);

    const full = await act(id, { action: "promoteFull" });
    expect(full.steps.state).toMatchObject({ done: true });
    await vsReaches(ns, { v1: 0, v2: 100 });

    const rolledBack = await act(id, { action: "rollback" });
    expect(rolledBack.state).toBe("rolled-back");
    await vsReaches(ns, { v1: 100, v2: 0 });
    const refused = await api("POST", `/api/tasks/${id}/actions`, { action: "promote" });
    expect(refused.status).toBe(409);

    const retried = await act(id, { action: "retry" });
    expect(retried.state).toBe("progressing");
    await vsReaches(ns, { v1: 80, v2: 20 });
    expect(await stepReaches(id, 1)).toMatchObject({ kind: "pause" });
  });

  it("a console restart in the middle of a timed pause resumes it", async () => {
    const ns = await freshReviews();
    const dir = mkdtempSync(path.join(tmpdir(), "gc-steps-"));
    dirs.push(dir);
    const port = Number(process.env.GC_TEST_STEPS_PORT ?? 3198);
    const env = {
      DATABASE_URL: `file:${path.join(dir, "console.db")}`,
      GC_LEADER_LEASE: `gray-console-steps-${port}`,
      GC_LEADER_LEASE_SECONDS: "3",
      GC_LEADER_RENEW_SECONDS: "2",
      GC_LEADER_RETRY_SECONDS: "0.3",
    };
    const first = await startConsole(port, env, { logName: "it-steps-first" });
    consoles.push(first);
    const created = await fetch(`${first.baseUrl}/api/tasks`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(spec(ns, [{ setWeight: 20 }, { pause: { duration: "12s" } }, { setWeight: 60 }])),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as any).task.id;
    const paused = await stepReaches(id, 1, first.baseUrl, 60_000);
    first.stop();
    await first.exited;
    await vsReaches(ns, { v1: 80, v2: 20 }, 5000);

    const second = await startConsole(port, env, { logName: "it-steps-second" });
    consoles.push(second);
    await vsReaches(ns, { v1: 40, v2: 60 }, 40_000);
    // Not before the pause was over: its end came from the database, not from memory.
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(paused.until));
    expect(await stepState(id, second.baseUrl)).toMatchObject({ index: 2, done: true });
    const events = ((await (await fetch(`${second.baseUrl}/api/tasks/${id}/events`)).json()) as any).events;
    expect(events.at(-1)).toMatchObject({
      action: "promote",
      actor: "system:steps",
      after: { weights: { v1: 40, v2: 60 } },
    });
    second.stop();
  });
});
