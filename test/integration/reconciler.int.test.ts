// Issue 8: the task reconciler under the hard cases, each with real console processes on their
// own database and Lease: kill -9 after each write of a create/setTraffic/retireOld/abort (the
// GC_FAULT_KILL_AFTER_WRITES switch), two consoles on one database, and a slow API server (a
// proxy that holds chosen requests) for timed-out writes, concurrent scales and failed undos.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setHeaderOptions, type KubeConfig } from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, getDR, getVS, ISTIO, kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { settled } from "./helpers/api";
import { startSlowApiServer, type SlowApiServer } from "./helpers/slow-apiserver";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const PORT = Number(process.env.GC_TEST_RECONCILER_PORT ?? 3200);
// Short leases so a killed leader is replaced within seconds (client-go's ratios: renew < lease, retry < renew).
const FAST_LEASE = { GC_LEADER_LEASE_SECONDS: "3", GC_LEADER_RENEW_SECONDS: "2", GC_LEADER_RETRY_SECONDS: "0.3" };
let kc: KubeConfig;
let k: Kube;
const dirs: string[] = [];
const namespaces: TestNamespace[] = [];
const consoles: ConsoleInstance[] = [];
const proxies: SlowApiServer[] = [];

beforeAll(() => {
  kc = loadKubeConfig();
  k = kube(kc);
});
afterAll(async () => {
  for (const c of consoles) c.kill9();
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(namespaces.map((n) => n.delete().catch(() => undefined)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function freshDb(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gc-reconciler-"));
  dirs.push(dir);
  return `file:${path.join(dir, "console.db")}`;
}

async function freshReviews(): Promise<string> {
  const ns = await createTestNamespace(kc, "rec");
  namespaces.push(ns);
  await seedReviews(k, ns.name);
  return ns.name;
}

async function start(port: number, env: Record<string, string>): Promise<ConsoleInstance> {
  const c = await startConsole(port, { ...FAST_LEASE, ...env });
  consoles.push(c);
  await waitFor(async () => (await health(c)).reconciler?.leader === true || env.GC_EXPECT_FOLLOWER === "1", {
    timeoutMs: 20_000,
    description: `console :${port} leads`,
  });
  return c;
}

async function health(c: ConsoleInstance): Promise<any> {
  return (await fetch(`${c.baseUrl}/api/health`)).json();
}

async function call(
  c: ConsoleInstance,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(c.baseUrl + p, {
    method,
    headers: { "content-type": "application/json", "X-Forwarded-User": "ops" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}

// v4: Bookinfo's DestinationRule has subsets v1-v3, so this task adds one and each of create,
// retireOld and abort writes three objects (Deployment, DestinationRule, VirtualService).
const canary = (namespace: string, over: Record<string, unknown> = {}) => ({
  name: "reviews-canary",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v4", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v4: 10 } },
  rollout: { drainSeconds: 0 },
  ...over,
});

async function stopGracefully(c: ConsoleInstance): Promise<void> {
  c.stop();
  await c.exited;
}

/** Sends `request` to a console that SIGKILLs itself after its Nth write; the response never comes. */
async function crashDuring(
  db: string,
  lease: string,
  n: number,
  request: (c: ConsoleInstance) => Promise<unknown>,
): Promise<void> {
  const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease, GC_FAULT_KILL_AFTER_WRITES: String(n) });
  await request(c).catch(() => undefined);
  const code = await Promise.race([c.exited, new Promise((r) => setTimeout(() => r("alive"), 20_000))]);
  expect(code, "the console killed itself after the write").not.toBe("alive");
}

async function taskIn(c: ConsoleInstance, ns: string): Promise<string> {
  const list = await call(c, "GET", `/api/tasks?namespace=${ns}`);
  expect(list.json.tasks).toHaveLength(1);
  return list.json.tasks[0].id;
}

async function events(c: ConsoleInstance, id: string): Promise<any[]> {
  return (await call(c, "GET", `/api/tasks/${id}/events`)).json.events;
}

describe("kill -9 after each write: the restarted console finishes the operation", () => {
  for (const n of [1, 2, 3]) {
    it(`create, killed after write ${n} of 3: fully applied after restart, history says it resumed`, async () => {
      const ns = await freshReviews();
      const db = freshDb();
      const lease = `gc-crash-create-${n}`;
      await crashDuring(db, lease, n, (c) => call(c, "POST", "/api/tasks", canary(ns)));
      const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
      const id = await taskIn(c, ns);
      const task = await settled(id, { baseUrl: c.baseUrl });
      expect(task.state).toBe("progressing");
      expect(await tryDeployment(k, ns, "reviews-v4")).not.toBeNull();
      expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).toContain("v4");
      expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 90, v4: 10 });
      const history = await events(c, id);
      expect(history.map((e) => [e.action, e.result])).toEqual([["create", "ok"]]);
      expect(history[0].note).toMatch(/resumed/);
      await stopGracefully(c);
    });
  }

  async function prepared(ns: string, db: string, lease: string, steps: Record<string, unknown>[]): Promise<string> {
    const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
    const created = await call(c, "POST", "/api/tasks", canary(ns));
    expect(created.status).toBe(201);
    await settled(created.json.task.id, { baseUrl: c.baseUrl });
    for (const body of steps) {
      expect((await call(c, "POST", `/api/tasks/${created.json.task.id}/actions`, body)).status).toBe(200);
      await settled(created.json.task.id, { baseUrl: c.baseUrl });
    }
    await stopGracefully(c);
    return created.json.task.id;
  }

  it("setTraffic, killed after its write: the weights are recorded as applied after restart", async () => {
    const ns = await freshReviews();
    const db = freshDb();
    const lease = "gc-crash-set";
    const id = await prepared(ns, db, lease, []);
    await crashDuring(db, lease, 1, (c) =>
      call(c, "POST", `/api/tasks/${id}/actions`, { action: "setTraffic", weights: { v1: 60, v4: 40 } }),
    );
    const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
    const task = await settled(id, { baseUrl: c.baseUrl });
    expect(task.weights).toEqual({ v1: 60, v4: 40 });
    expect(task.drift).toBeNull();
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 60, v4: 40 });
    const last = (await events(c, id)).at(-1);
    expect([last.action, last.result]).toEqual(["setTraffic", "ok"]);
    expect(last.note).toMatch(/resumed/);
    await stopGracefully(c);
  });

  for (const n of [1, 2, 3]) {
    it(`retireOld, killed after write ${n} of 3: v1 is fully retired after restart`, async () => {
      const ns = await freshReviews();
      const db = freshDb();
      const lease = `gc-crash-retire-${n}`;
      const id = await prepared(ns, db, lease, [{ action: "takeover" }]);
      await crashDuring(db, lease, n, (c) => call(c, "POST", `/api/tasks/${id}/actions`, { action: "retireOld" }));
      const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
      const task = await settled(id, { baseUrl: c.baseUrl });
      expect(task.state).toBe("completed");
      await waitFor(async () => (await tryDeployment(k, ns, "reviews-v1")) === null, {
        timeoutMs: 15_000,
        description: "reviews-v1 gone",
      });
      expect(defaultWeights(await getVS(k, ns))).toEqual({ v4: 100 });
      expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).not.toContain("v1");
      expect((await events(c, id)).at(-1).note).toMatch(/resumed/);
      await stopGracefully(c);
    });
  }

  for (const n of [1, 2, 3]) {
    it(`abort, killed after write ${n} of 3: the service is back to v1 only after restart`, async () => {
      const ns = await freshReviews();
      const db = freshDb();
      const lease = `gc-crash-abort-${n}`;
      const id = await prepared(ns, db, lease, []);
      await crashDuring(db, lease, n, (c) => call(c, "DELETE", `/api/tasks/${id}`));
      const c = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
      const task = await settled(id, { baseUrl: c.baseUrl });
      expect(task.state).toBe("aborted");
      await waitFor(async () => (await tryDeployment(k, ns, "reviews-v4")) === null, {
        timeoutMs: 15_000,
        description: "reviews-v4 gone",
      });
      expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 100 });
      expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).not.toContain("v4");
      expect((await events(c, id)).at(-1).note).toMatch(/resumed/);
      await stopGracefully(c);
    });
  }
});

describe("two consoles on one database", () => {
  it("only the Lease holder writes; killing it moves the lease within the lease duration and its unfinished work completes", async () => {
    const ns = await freshReviews();
    const db = freshDb();
    const lease = "gc-two-consoles";
    const watcher = await startSlowApiServer(kc, PORT + 20);
    proxies.push(watcher);
    const a = await start(PORT, { DATABASE_URL: db, GC_LEADER_LEASE: lease });
    // B reaches the cluster through a recording proxy: every request it sends is seen.
    const b = await start(PORT + 1, {
      DATABASE_URL: db,
      GC_LEADER_LEASE: lease,
      KUBECONFIG: watcher.kubeconfig,
      GC_EXPECT_FOLLOWER: "1",
    });
    expect((await health(b)).reconciler).toMatchObject({
      leader: false,
      holder: (await health(a)).reconciler.identity,
    });

    // An action sent to the follower is handed to the leader through the journal.
    const created = await call(
      b,
      "POST",
      "/api/tasks",
      canary(ns, {
        newVersion: {
          version: "v4",
          image: V2,
          replicas: 1,
          annotations: { "pod-ready.stage.kwok.x-k8s.io/delay": "8s" },
        },
      }),
    );
    expect(created.status).toBe(201);
    const id = created.json.task.id;
    expect(created.json.task.operation).toMatchObject({ state: "waiting", waiting: { kind: "ready", version: "v4" } });
    const writesByB = watcher.seen.filter((r) => !r.startsWith("GET ") && !r.includes("/leases/"));
    expect(writesByB).toEqual([]);

    // Kill the leader while the create waits for v2's pods.
    const killedAt = Date.now();
    a.kill9();
    await waitFor(async () => (await health(b)).reconciler.leader === true, {
      timeoutMs: 15_000,
      intervalMs: 100,
      description: "B takes the lease",
    });
    const takeover = Date.now() - killedAt;
    // lease 3 s + one retry period (0.3 s) + the time to notice; never before the lease ran out.
    expect(takeover).toBeLessThan(3000 + 300 + 1500);
    const task = await settled(id, { baseUrl: b.baseUrl, timeoutMs: 40_000 });
    expect(task.state).toBe("progressing");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 90, v4: 10 });
    const history = await events(b, id);
    expect(history.map((e) => e.note).join(" | "), JSON.stringify(history)).toMatch(/resumed/);
    await stopGracefully(b);
  });
});

describe("a slow API server", () => {
  let proxy: SlowApiServer;
  let c: ConsoleInstance;
  beforeAll(async () => {
    proxy = await startSlowApiServer(kc, PORT + 21);
    proxies.push(proxy);
    c = await start(PORT + 2, {
      DATABASE_URL: freshDb(),
      GC_LEADER_LEASE: "gc-slow-api",
      KUBECONFIG: proxy.kubeconfig,
      GC_K8S_TIMEOUT_MS: "1000",
    });
  });

  it("a timed-out create that lands later does not leave a stray Deployment", async () => {
    const ns = await freshReviews();
    // The POST reaches the API server 1.5 s after the console gave up on it (timeout 1 s).
    proxy.setRules([{ method: "POST", pathIncludes: `/namespaces/${ns}/deployments`, holdMs: 1500 }]);
    const res = await call(c, "POST", "/api/tasks", canary(ns));
    expect(res.status).toBe(503);
    expect(res.json.error.details.compensated).toBe(true);
    await waitFor(async () => (await tryDeployment(k, ns, "reviews-v4")) === null, {
      timeoutMs: 10_000,
      description: "no stray reviews-v4",
    });
    const id = (await call(c, "GET", `/api/tasks?namespace=${ns}`)).json.tasks[0].id;
    const task = (await call(c, "GET", `/api/tasks/${id}`)).json.task;
    expect(task.state).toBe("aborted");
    const history = await events(c, id);
    expect(history.map((e) => [e.action, e.result])).toEqual([["create", "error"]]);
    expect(history[0].note).toMatch(/compensated/);
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 100 });
  });

  async function batchAtLastGroup(ns: string): Promise<string> {
    proxy.setRules([]);
    const spec = {
      name: "reviews-batch",
      namespace: ns,
      service: "reviews",
      strategy: "batch",
      newVersion: { version: "v2", image: V2, replicas: 2 },
      batch: { groups: 2 },
      rollout: { drainSeconds: 0 },
    };
    const created = await call(c, "POST", "/api/tasks", spec);
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    return (await settled(created.json.task.id, { baseUrl: c.baseUrl })).id;
  }

  async function whileHeld(
    rule: { method: string; pathIncludes: string },
    meanwhile: () => Promise<void>,
    request: () => Promise<{ status: number; json: any }>,
  ) {
    proxy.held.length = 0;
    // Shorter than the console's 1 s timeout: the write is slow, not lost; the test acts meanwhile.
    proxy.setRules([{ ...rule, holdMs: 700 }]);
    const answer = request();
    await waitFor(() => proxy.held.length > 0, {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: "the request is held",
    });
    await meanwhile();
    return answer;
  }

  const scale = (ns: string, name: string, replicas: number) =>
    k.apps.patchNamespacedDeployment(
      { namespace: ns, name, body: [{ op: "replace", path: "/spec/replicas", value: replicas }] },
      setHeaderOptions("Content-Type", "application/json-patch+json"),
    );

  it("a concurrent scale of the base during a batch step is never lost: the step is refused and undone around it", async () => {
    const ns = await freshReviews();
    const id = await batchAtLastGroup(ns);
    const vsBefore = defaultWeights(await getVS(k, ns));
    // The answer comes when the synchronous steps are done: at the wait for v2's pods (200, the
    // rest in the background) or, if they are Ready at once, after the failed write (409).
    const res = await whileHeld(
      { method: "PUT", pathIncludes: `/namespaces/${ns}/virtualservices/reviews` },
      () => scale(ns, "reviews-v1", 3).then(() => undefined),
      () => call(c, "POST", `/api/tasks/${id}/actions`, { action: "confirm" }),
    );
    expect([200, 409], JSON.stringify(res.json)).toContain(res.status);
    await settled(id, { baseUrl: c.baseUrl });
    expect((await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v1" })).spec?.replicas).toBe(3);
    expect((await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v2" })).spec?.replicas).toBe(1);
    expect(defaultWeights(await getVS(k, ns))).toEqual(vsBefore);
    const task = (await call(c, "GET", `/api/tasks/${id}`)).json.task;
    expect(task.state).toBe("awaiting-confirmation");
    const last = (await events(c, id)).at(-1);
    expect(last).toMatchObject({ action: "confirm", result: "error" });
    expect(last.error).toMatch(/scaled it/);
    expect(last.note).toMatch(/compensated/);
  });

  it("a failed undo leaves the operation in needs-attention with the leftovers listed, retried with backoff", async () => {
    const ns = await freshReviews();
    const id = await batchAtLastGroup(ns);
    // The team's chat (a real local receiver, as the namespace's default target): told once.
    const told: any[] = [];
    const chat = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (b) => (raw += b));
      req.on("end", () => {
        told.push(JSON.parse(raw));
        res.end("ok");
      });
    });
    await new Promise<void>((r) => chat.listen(0, "127.0.0.1", r));
    const chatUrl = `http://127.0.0.1:${(chat.address() as AddressInfo).port}/hook`;
    expect(
      (await call(c, "PUT", `/api/namespaces/${ns}/notifications`, { targets: [{ type: "webhook", url: chatUrl }] }))
        .status,
    ).toBe(200);
    // While the VirtualService write is held: someone edits the VS (so it fails with 409) AND
    // scales the new version (so undoing our scale-up would overwrite them: refused).
    const res = await whileHeld(
      { method: "PUT", pathIncludes: `/namespaces/${ns}/virtualservices/reviews` },
      async () => {
        const vs = await getVS(k, ns);
        vs.spec.http[0].timeout = "5s";
        await k.custom.replaceNamespacedCustomObject({
          ...ISTIO,
          namespace: ns,
          plural: "virtualservices",
          name: "reviews",
          body: vs,
        });
        await scale(ns, "reviews-v2", 5);
      },
      () => call(c, "POST", `/api/tasks/${id}/actions`, { action: "confirm" }),
    );
    if (res.status !== 200) expect(res.json.error.details.compensated).toBe(false);
    const task = await waitFor(
      async () => {
        const t = (await call(c, "GET", `/api/tasks/${id}`)).json.task;
        return t.operation?.state === "needs-attention" ? t : null;
      },
      { timeoutMs: 15_000, description: "operation in needs-attention" },
    );
    expect(task.operation.leftovers).toEqual(["scale Deployment/reviews-v2 1->2"]);
    expect((await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v2" })).spec?.replicas).toBe(5);
    await waitFor(async () => (await events(c, id)).filter((e) => /needs attention/.test(e.note ?? "")).length >= 2, {
      timeoutMs: 10_000,
      description: "two recorded attempts",
    });
    await waitFor(() => told.length >= 1, { timeoutMs: 10_000, description: "needs-attention announced" });
    await new Promise((r) => setTimeout(r, 1500));
    expect(told.map((m) => m.event)).toEqual(["needs-attention"]);
    expect(told[0].detail).toMatchObject({
      action: "confirm",
      reason: expect.stringContaining("scale Deployment/reviews-v2 1->2"),
    });
    chat.close();
    // Once the person puts the replicas back, the next retry finishes the compensation.
    await scale(ns, "reviews-v2", 2);
    const done = await settled(id, { baseUrl: c.baseUrl, timeoutMs: 30_000 });
    expect(done.state).toBe("awaiting-confirmation");
    expect((await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v2" })).spec?.replicas).toBe(1);
    expect((await events(c, id)).at(-1).note).toMatch(/compensated/);
  });
});
