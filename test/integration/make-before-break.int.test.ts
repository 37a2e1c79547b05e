// Issue 8 against the real API server, through the running console: make-before-break routing
// (slow-starting versions, drain delays), foreign routes, HPAs, and abort/rollback as emergency
// brakes that keep what other teams changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AutoscalingV2Api, type KubeConfig } from "@kubernetes/client-node";
import { api, as, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import {
  bookinfoObjects,
  defaultWeights,
  getDR,
  getVS,
  ISTIO,
  kube,
  seedReviews,
  tryDeployment,
  type Kube,
} from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const SLOW = { "pod-ready.stage.kwok.x-k8s.io/delay": "20s" };
let kc: KubeConfig;
let k: Kube;
const namespaces: TestNamespace[] = [];

beforeAll(() => {
  kc = loadKubeConfig();
  k = kube(kc);
});
afterAll(async () => {
  await Promise.all(namespaces.map((n) => n.delete().catch(() => undefined)));
});

async function freshReviews(opts: Parameters<typeof seedReviews>[2] = {}): Promise<string> {
  const ns = await createTestNamespace(kc, "mbb");
  namespaces.push(ns);
  await seedReviews(k, ns.name, opts);
  return ns.name;
}

const canary = (namespace: string, over: Record<string, unknown> = {}) => ({
  name: "reviews-canary",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  rollout: { drainSeconds: 0 },
  ...over,
});

async function create(body: Record<string, unknown>) {
  const res = await api("POST", "/api/tasks", body, as("alice"));
  expect(res.status, res.text).toBe(201);
  return res.json.task;
}
async function act(id: string, body: Record<string, unknown>) {
  const res = await api("POST", `/api/tasks/${id}/actions`, body, as("alice"));
  expect(res.status, res.text).toBe(200);
  return res.json.task;
}

/** A second team's route in the same VirtualService: /internal -> v1. */
const withInternalRoute = (vs: any) => {
  const copy = structuredClone(vs);
  copy.spec.http = [
    {
      name: "internal",
      match: [{ uri: { prefix: "/internal" } }],
      route: [{ destination: { host: "reviews", subset: "v1" } }],
    },
    ...copy.spec.http,
  ];
  return copy;
};

async function replaceVs(ns: string, edit: (vs: any) => void): Promise<void> {
  const vs = await getVS(k, ns);
  edit(vs);
  await k.custom.replaceNamespacedCustomObject({
    ...ISTIO,
    namespace: ns,
    plural: "virtualservices",
    name: "reviews",
    body: vs,
  });
}

describe("make before break: a slow-starting version", () => {
  it("gets no traffic until its pods are Ready, then its weight; the task shows what it waits for", async () => {
    const ns = await freshReviews();
    const task = await create(canary(ns, { newVersion: { version: "v2", image: V2, replicas: 1, annotations: SLOW } }));
    expect(task.operation).toMatchObject({
      state: "waiting",
      waiting: { kind: "ready", version: "v2", ready: 0, desired: 1 },
    });
    // The subset exists (make), the route does not use it yet.
    expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).toContain("v2");
    expect(defaultWeights(await getVS(k, ns))).not.toHaveProperty("v2");
    const early = await api("POST", `/api/tasks/${task.id}/actions`, {
      action: "setTraffic",
      weights: { v1: 50, v2: 50 },
    });
    expect(early.status).toBe(409);
    expect(defaultWeights(await getVS(k, ns))).not.toHaveProperty("v2");
    const done = await settled(task.id, { timeoutMs: 60_000 });
    expect(done.weights).toEqual({ v1: 90, v2: 10 });
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 90, v2: 10 });
    const ready = (await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v2" })).status?.readyReplicas;
    expect(ready).toBe(1);
  });

  it("refuses setTraffic to a version with no Ready pods (409 naming it), changes nothing, and records the refusal", async () => {
    const ns = await freshReviews();
    // v2 at 0%: nothing routes to it, so the create does not wait; its pods start 20 s later.
    const task = await settled(
      (
        await create(
          canary(ns, {
            newVersion: { version: "v2", image: V2, replicas: 1, annotations: SLOW },
            traffic: { weights: { v1: 100, v2: 0 } },
          }),
        )
      ).id,
    );
    const vsBefore = await getVS(k, ns);
    const res = await api("POST", `/api/tasks/${task.id}/actions`, {
      action: "setTraffic",
      weights: { v1: 80, v2: 20 },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.message).toMatch(/v2.*Ready/);
    expect((await getVS(k, ns)).metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
    expect((await api("GET", `/api/tasks/${task.id}`)).json.task.revision).toBe(task.revision);
    // A refused action is history too: one error line with the reason, nothing else.
    const events = (await api("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.result])).toEqual([
      ["create", "ok"],
      ["setTraffic", "error"],
    ]);
    expect(events[1]).toMatchObject({
      error: res.json.error.message,
      before: null,
      after: null,
      resourceVersions: null,
    });
  });
});

describe("make before break: removing a version", () => {
  it("retireOld stops routing to v1 first, and deletes v1 only after the drain delay", async () => {
    const ns = await freshReviews();
    const task = await settled((await create(canary(ns, { rollout: { drainSeconds: 6 } }))).id);
    await settled((await act(task.id, { action: "takeover" })).id);
    const started = Date.now();
    const retiring = await act(task.id, { action: "retireOld" });
    expect(retiring.operation).toMatchObject({ state: "waiting", waiting: { kind: "drain", version: "v1" } });
    const vs = await getVS(k, ns);
    expect(defaultWeights(vs)).toEqual({ v2: 100 });
    expect(await tryDeployment(k, ns, "reviews-v1")).not.toBeNull();
    await waitFor(async () => (await tryDeployment(k, ns, "reviews-v1")) === null, {
      timeoutMs: 30_000,
      description: "reviews-v1 deleted",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6000);
    const done = await settled(task.id);
    expect(done.state).toBe("completed");
    expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).not.toContain("v1");
  });
});

describe("foreign routes", () => {
  it("abort keeps an edit another team made to its own route during the task", async () => {
    const ns = await freshReviews({ virtualService: withInternalRoute(bookinfoObjects("reviews").virtualService) });
    const task = await settled((await create(canary(ns))).id);
    await replaceVs(ns, (vs) => {
      vs.spec.http[0].route[0].destination.subset = "v3";
      vs.spec.http[0].timeout = "3s";
    });
    const aborted = await settled((await act(task.id, { action: "abort" })).id);
    expect(aborted.state).toBe("aborted");
    const vs = await getVS(k, ns);
    expect(vs.spec.http[0]).toEqual({
      name: "internal",
      match: [{ uri: { prefix: "/internal" } }],
      route: [{ destination: { host: "reviews", subset: "v3" } }],
      timeout: "3s",
    });
    expect(defaultWeights(vs)).toEqual({ v1: 100 });
    expect(await tryDeployment(k, ns, "reviews-v2")).toBeNull();
  });

  it("an edit to a foreign route never blocks the task's next action", async () => {
    const ns = await freshReviews({ virtualService: withInternalRoute(bookinfoObjects("reviews").virtualService) });
    const task = await settled((await create(canary(ns))).id);
    await replaceVs(ns, (vs) => {
      vs.spec.http[0].route[0].destination.subset = "v2";
    });
    const detail = (await api("GET", `/api/tasks/${task.id}`)).json.task;
    expect(detail.drift).toBeNull();
    const moved = await settled((await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } })).id);
    expect(moved.weights).toEqual({ v1: 50, v2: 50 });
    const vs = await getVS(k, ns);
    expect(vs.spec.http[0].route[0].destination.subset).toBe("v2");
    expect(defaultWeights(vs)).toEqual({ v1: 50, v2: 50 });
  });

  it("abort and rollback of a drifted task work at once, on the live objects", async () => {
    const ns = await freshReviews();
    const task = await settled((await create(canary(ns))).id);
    // Someone edits the task's own default route: drift.
    await replaceVs(ns, (vs) => {
      vs.spec.http[vs.spec.http.length - 1].route[0].weight = 70;
      vs.spec.http[vs.spec.http.length - 1].route[1].weight = 30;
    });
    const blocked = await api("POST", `/api/tasks/${task.id}/actions`, {
      action: "setTraffic",
      weights: { v1: 60, v2: 40 },
    });
    expect(blocked.json.error?.code).toBe("drift");
    const rolled = await settled((await act(task.id, { action: "rollback" })).id);
    expect(rolled.state).toBe("rolled-back");
    expect(defaultWeights(await getVS(k, ns))).toMatchObject({ v1: 100 });
    await replaceVs(ns, (vs) => {
      vs.spec.http[vs.spec.http.length - 1].timeout = "9s";
    });
    const aborted = await settled((await act(task.id, { action: "abort" })).id);
    expect(aborted.state).toBe("aborted");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 100 });
    expect(await tryDeployment(k, ns, "reviews-v2")).toBeNull();
  });

  it("a batch whose base is still used by a foreign route refuses to complete, naming the route", async () => {
    const ns = await freshReviews({ virtualService: withInternalRoute(bookinfoObjects("reviews").virtualService) });
    const spec = {
      name: "reviews-batch",
      namespace: ns,
      service: "reviews",
      strategy: "batch",
      newVersion: { version: "v2", image: V2, replicas: 2 },
      batch: { groups: 2 },
      rollout: { drainSeconds: 0 },
    };
    const task = await settled((await create(spec)).id);
    // The task page lists it, read live, for the last group's dialog.
    expect(task.foreignRoutes).toEqual([
      expect.objectContaining({
        id: "reviews/internal",
        virtualService: "reviews",
        name: "internal",
        match: [[{ field: "uri", name: null, op: "prefix", value: "/internal" }]],
        destinations: [{ host: "reviews", subset: "v1", version: "v1", weight: 100 }],
        sends: true,
      }),
    ]);
    expect(task.batch.next).toMatchObject({ group: 2, last: true, baseReplicas: 0 });
    const refused = await api("POST", `/api/tasks/${task.id}/actions`, { action: "confirm" });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error.message).toContain("reviews/internal");
    expect(refused.json.error).toMatchObject({
      key: "err.foreignRoutes.refusedOne",
      params: { routes: "reviews/internal", version: "v1" },
    });
    const history = (await api("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(history.at(-1)).toMatchObject({
      action: "confirm",
      result: "error",
      error: refused.json.error.message,
      errorText: { key: "err.foreignRoutes.refusedOne" },
    });
    expect(
      (await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v1" })).spec?.replicas,
    ).toBeGreaterThan(0);
    // Moving it explicitly is an owned, recorded change.
    const done = await settled((await act(task.id, { action: "confirm", moveRoutes: ["reviews/internal"] })).id);
    expect(done.state).toBe("completed");
    expect((await getVS(k, ns)).spec.http[0].route[0].destination.subset).toBe("v2");
    const moved = (await api("GET", `/api/tasks/${task.id}/events`)).json.events.at(-1);
    expect(moved).toMatchObject({
      action: "confirm",
      result: "ok",
      before: { movedRoutes: [] },
      after: { movedRoutes: [{ id: "reviews/internal", to: "v2" }] },
    });
  });
});

describe("HorizontalPodAutoscalers", () => {
  async function baseHpa(ns: string): Promise<void> {
    await k.apps.readNamespacedDeployment({ namespace: ns, name: "reviews-v1" });
    const body = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "reviews-v1", namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "reviews-v1" },
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
        ],
      },
    };
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace: ns, body });
  }

  it("an HPA on the base makes batch and replica-canary refuse, naming it", async () => {
    const ns = await freshReviews();
    await baseHpa(ns);
    const batch = await api("POST", "/api/tasks", {
      name: "b",
      namespace: ns,
      service: "reviews",
      strategy: "batch",
      newVersion: { version: "v2", image: V2, replicas: 2 },
      batch: { groups: 2 },
    });
    expect(batch.status, batch.text).toBe(409);
    expect(batch.json.error.message).toContain("reviews-v1");
    const rc = await api("POST", "/api/tasks", {
      name: "r",
      namespace: ns,
      service: "reviews",
      strategy: "replica-canary",
      newVersion: { version: "v2", image: V2, replicas: 1 },
      traffic: { weights: { v1: 50, v2: 50 } },
    });
    expect(rc.status, rc.text).toBe(409);
    expect(await tryDeployment(k, ns, "reviews-v2")).toBeNull();
    expect(await tryDeployment(k, ns, "reviews-canary")).toBeNull();
  });

  it("gives a weight canary's new Deployment its own copy of the HPA, removed again by abort", async () => {
    const ns = await freshReviews();
    await baseHpa(ns);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const task = await settled((await create(canary(ns))).id);
    const copy = await autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace: ns, name: "reviews-v2" });
    expect(copy.spec?.scaleTargetRef).toMatchObject({ kind: "Deployment", name: "reviews-v2" });
    expect(copy.spec?.maxReplicas).toBe(4);
    await settled((await act(task.id, { action: "abort" })).id);
    const names = (await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: ns })).items.map(
      (h) => h.metadata?.name,
    );
    expect(names).toEqual(["reviews-v1"]);
  });
});
