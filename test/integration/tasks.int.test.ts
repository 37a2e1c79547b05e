// The release engine end to end: REST calls against the running console, results read
// back from the real API server (as kubectl would) and from the task's history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, as, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import {
  defaultWeights,
  deploymentNames,
  getDR,
  getVS,
  ISTIO,
  kube,
  seedReviews,
  tryDeployment,
  type Kube,
} from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
let kc: k8s.KubeConfig;
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
  const ns = await createTestNamespace(kc, "tasks");
  namespaces.push(ns);
  await seedReviews(k, ns.name, opts);
  return ns.name;
}

// Changes land through the reconciler: both helpers return the task once its operation has
// finished (pods Ready, drains done). Specs drain for 0 s unless a test is about draining.
async function create(body: Record<string, unknown>, user = "alice") {
  const res = await api("POST", "/api/tasks", { rollout: { drainSeconds: 0 }, ...body }, as(user));
  expect(res.status, res.text).toBe(201);
  return settled(res.json.task.id);
}

async function act(id: string, body: Record<string, unknown>, user = "alice") {
  const res = await api("POST", `/api/tasks/${id}/actions`, body, as(user));
  expect(res.status, res.text).toBe(200);
  return settled(id);
}

const canary = (namespace: string, over: Record<string, unknown> = {}) => ({
  name: "reviews-canary",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  ...over,
});

describe("services API (issue 2)", () => {
  it("reports the seeded Bookinfo reviews with v1 at 100%", async () => {
    const res = await api("GET", "/api/namespaces/bookinfo/services");
    expect(res.status, res.text).toBe(200);
    const reviews = res.json.services.find((s: any) => s.name === "reviews");
    expect(reviews.routing.defaultRoute.weights).toEqual({ v1: 100 });
    expect(reviews.versions.map((v: any) => v.version)).toEqual(["v1"]);
    expect(reviews.versions[0].replicas.ready).toBe(1);
    expect(reviews.destinationRule.subsets).toEqual(["v1", "v2", "v3"]);
    const one = await api("GET", "/api/namespaces/bookinfo/services/reviews");
    expect(one.json.service.routing.defaultRoute.weights).toEqual({ v1: 100 });
  });
  it("404s an unknown namespace or service, 400s a malformed name", async () => {
    expect((await api("GET", "/api/namespaces/nope-x/services")).status).toBe(404);
    expect((await api("GET", "/api/namespaces/bookinfo/services/nope")).status).toBe(404);
    const bad = await api("GET", "/api/namespaces/Bad_NS/services");
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalid_argument");
  });
  it("says so when a service has no VirtualService", async () => {
    const ns = await freshReviews({ istio: false });
    const res = await api("GET", `/api/namespaces/${ns}/services/reviews`);
    expect(res.json.service.routing.note).toBe("no VirtualService");
  });
});

describe("canary by weight: the KubeSphere flow", () => {
  it("creates v2 at 10%, shifts, takes over, retires v1; history records every action, by 'anonymous' (GC_AUTH=none: a client's X-Forwarded-User is not believed)", async () => {
    const ns = await freshReviews();
    const task = await create(canary(ns), "alice");
    expect(task.state).toBe("progressing");
    expect(task.baseVersion).toBe("v1");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 90, v2: 10 });
    const dep = await tryDeployment(k, ns, "reviews-v2");
    expect(dep?.spec?.template.metadata?.labels).toMatchObject({ app: "reviews", version: "v2" });
    expect(dep?.spec?.template.spec?.containers[0]?.image).toBe(V2);
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
      description: "reviews-v2 Ready",
    });

    for (const w of [20, 50]) {
      const t = await act(task.id, { action: "setTraffic", weights: { v1: 100 - w, v2: w } }, "bob");
      expect(t.weights).toEqual({ v1: 100 - w, v2: w });
      expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 100 - w, v2: w });
    }
    const taken = await act(task.id, { action: "takeover" }, "carol");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 0, v2: 100 });
    expect(await tryDeployment(k, ns, "reviews-v1")).not.toBeNull();
    expect(taken.allowedActions).toContain("retireOld");

    const done = await act(task.id, { action: "retireOld" }, "carol");
    expect(done.state).toBe("completed");
    const vs = await getVS(k, ns);
    const def = vs.spec.http[vs.spec.http.length - 1];
    expect(def.route).toEqual([{ destination: { host: "reviews", subset: "v2" } }]);
    expect((await getDR(k, ns)).spec.subsets.map((s: any) => s.name)).toEqual(["v2", "v3"]);
    await waitFor(async () => (await tryDeployment(k, ns, "reviews-v1")) === null, {
      description: "reviews-v1 deleted",
    });
    expect(await deploymentNames(k, ns)).toEqual(["reviews-v2"]);

    const events = (await api("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.actor, e.result])).toEqual([
      ["create", "anonymous", "ok"],
      ["setTraffic", "anonymous", "ok"],
      ["setTraffic", "anonymous", "ok"],
      ["takeover", "anonymous", "ok"],
      ["retireOld", "anonymous", "ok"],
    ]);
    expect(events[1].before.weights).toEqual({ v1: 90, v2: 10 });
    expect(events[1].after.weights).toEqual({ v1: 80, v2: 20 });
    expect(Object.keys(events[1].resourceVersions)).toContain("VirtualService/reviews");

    // the service is free for a new task once this one completed
    const list = await api("GET", `/api/tasks?namespace=${ns}&state=completed`);
    expect(list.json.total).toBe(1);
    expect(list.json.tasks[0]).toMatchObject({ id: task.id, strategy: "canary", state: "completed" });
  });

  it("rolls back to 100% base, keeps v2 running, and an illegal action gets 409 with the reason, recorded in history", async () => {
    const ns = await freshReviews();
    const task = await create(canary(ns));
    const rolled = await act(task.id, { action: "rollback" });
    expect(rolled.state).toBe("rolled-back");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 100, v2: 0 });
    expect(await tryDeployment(k, ns, "reviews-v2")).not.toBeNull();
    const res = await api("POST", `/api/tasks/${task.id}/actions`, { action: "retireOld" });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/take over all traffic first/);
    const confirm = await api("POST", `/api/tasks/${task.id}/actions`, { action: "confirm" });
    expect(confirm.status).toBe(409);
    expect(confirm.json.error.code).toBe("illegal_transition");
    const events = (await api("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.result, e.error])).toEqual([
      ["create", "ok", null],
      ["rollback", "ok", null],
      ["retireOld", "error", res.json.error.message],
      ["confirm", "error", confirm.json.error.message],
    ]);
    // Neither refusal changed the task.
    expect((await api("GET", `/api/tasks/${task.id}`)).json.task).toMatchObject({
      state: "rolled-back",
      revision: rolled.revision,
    });
  });
});

describe("canary by request content", () => {
  it("sends end-user: jason to v2, everyone else to v1 (Istio's reviews-jason sample)", async () => {
    const ns = await freshReviews();
    await create(
      canary(ns, { traffic: { match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] } }),
    );
    const vs = await getVS(k, ns);
    expect(vs.spec.http).toHaveLength(2);
    expect(vs.spec.http[0].name).toBe("gc-reviews-canary-canary");
    expect(vs.spec.http[0].match).toEqual([{ headers: { "end-user": { exact: "jason" } } }]);
    // All of jason's requests go to v2: one destination, no weight (Istio reads it as 100%).
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: "reviews", subset: "v2" } }]);
    // everyone else stays on v1 (v2 is listed at 0 so the route is ready for a weight shift)
    expect(defaultWeights(vs)).toEqual({ v1: 100, v2: 0 });
  });
  it("combines an OS and a browser rule on user-agent, and cookies as a Cookie-header regex", async () => {
    const ns = await freshReviews();
    await create(
      canary(ns, {
        traffic: {
          match: [
            { kind: "os", value: "android" },
            { kind: "browser", value: "chrome" },
            { kind: "cookie", name: "user", value: "beta" },
          ],
          matchWeight: 50,
        },
      }),
    );
    const vs = await getVS(k, ns);
    const headers = vs.spec.http[0].match[0].headers;
    expect(Object.keys(headers).sort()).toEqual(["cookie", "user-agent"]);
    expect(headers["user-agent"].regex).toMatch(/Android/);
    expect(headers["user-agent"].regex).toMatch(/Chrome/);
    const weights = Object.fromEntries(vs.spec.http[0].route.map((d: any) => [d.destination.subset, d.weight]));
    expect(weights).toEqual({ v2: 50, v1: 50 });
  });
});

describe("blue-green", () => {
  it("deploys green at 0% with a preview header, switches, rolls back", async () => {
    const ns = await freshReviews();
    const task = await create({
      name: "reviews-bg",
      namespace: ns,
      service: "reviews",
      strategy: "blue-green",
      newVersion: { version: "v2", image: V2, replicas: 1 },
      traffic: { previewHeader: { name: "x-preview", value: "green" } },
    });
    let vs = await getVS(k, ns);
    expect(defaultWeights(vs)).toEqual({ v1: 100, v2: 0 });
    const preview = vs.spec.http.find((r: any) => r.name === "gc-reviews-bg-preview");
    expect(preview.match).toEqual([{ headers: { "x-preview": { exact: "green" } } }]);
    expect(preview.route[0].destination.subset).toBe("v2");
    const setTraffic = await api("POST", `/api/tasks/${task.id}/actions`, {
      action: "setTraffic",
      weights: { v1: 50, v2: 50 },
    });
    expect(setTraffic.status).toBe(409);
    await act(task.id, { action: "switch" });
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 0, v2: 100 });
    await act(task.id, { action: "rollback" });
    vs = await getVS(k, ns);
    expect(defaultWeights(vs)).toEqual({ v1: 100, v2: 0 });
  });
});

describe("A/B test", () => {
  it("routes a rule-selected variant and splits the rest by weight", async () => {
    const ns = await freshReviews();
    await create({
      name: "reviews-ab",
      namespace: ns,
      service: "reviews",
      strategy: "ab-test",
      newVersion: { version: "v2", image: V2, replicas: 1 },
      traffic: {
        variants: [
          { name: "a", version: "v1", weight: 50 },
          { name: "b", version: "v2", weight: 50 },
          { name: "mobile", version: "v2", match: [{ kind: "os", value: "ios" }] },
        ],
      },
    });
    const vs = await getVS(k, ns);
    expect(vs.spec.http.find((r: any) => r.name === "gc-reviews-ab-variant-mobile").route[0].destination.subset).toBe(
      "v2",
    );
    expect(defaultWeights(vs)).toEqual({ v1: 50, v2: 50 });
  });
});

describe("mirror", () => {
  it("keeps 100% on base and mirrors p% to the new version; rollback removes the mirror", async () => {
    const ns = await freshReviews();
    const task = await create({
      name: "reviews-mirror",
      namespace: ns,
      service: "reviews",
      strategy: "mirror",
      newVersion: { version: "v2", image: V2, replicas: 1 },
      traffic: { mirrorPercent: 50 },
    });
    let vs = await getVS(k, ns);
    const def = vs.spec.http[vs.spec.http.length - 1];
    expect(defaultWeights(vs)).toMatchObject({ v1: 100 });
    expect(def.mirror).toEqual({ host: "reviews", subset: "v2" });
    expect(def.mirrorPercentage).toEqual({ value: 50 });
    await act(task.id, { action: "rollback" });
    vs = await getVS(k, ns);
    expect(vs.spec.http[vs.spec.http.length - 1].mirror).toBeUndefined();
  });
});

describe("batch (EDAS)", () => {
  it("3 replicas, one per group with a beta group: confirm, pause, shift traffic during a pause, finish with 3 v2 and 0 v1", async () => {
    const ns = await freshReviews();
    await k.apps.patchNamespacedDeployment({
      namespace: ns,
      name: "reviews-v1",
      body: [{ op: "replace", path: "/spec/replicas", value: 3 }],
    });
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v1"))?.status?.readyReplicas ?? 0) === 3, {
      description: "reviews-v1 3 ready",
    });
    const task = await create({
      name: "reviews-batch",
      namespace: ns,
      service: "reviews",
      strategy: "batch",
      newVersion: { version: "v2", image: V2, replicas: 3 },
      batch: { groups: 3, betaGroup: true },
    });
    expect(task.state).toBe("awaiting-confirmation");
    expect(task.batch).toMatchObject({ plan: [1, 1, 1], current: 1 });
    const replicas = async () => [
      (await tryDeployment(k, ns, "reviews-v2"))?.spec?.replicas,
      (await tryDeployment(k, ns, "reviews-v1"))?.spec?.replicas,
    ];
    expect(await replicas()).toEqual([1, 2]);
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 67, v2: 33 });

    const paused = await act(task.id, { action: "pause" });
    expect(paused.state).toBe("paused");
    const refused = await api("POST", `/api/tasks/${task.id}/actions`, { action: "confirm" });
    expect(refused.status).toBe(409);
    await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 50, v2: 50 });
    await act(task.id, { action: "resume" });

    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
      description: "group 1 ready",
    });
    const second = await act(task.id, { action: "confirm" });
    expect(second.batch.current).toBe(2);
    expect(await replicas()).toEqual([2, 1]);
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 2, {
      description: "group 2 ready",
    });
    const last = await act(task.id, { action: "confirm" });
    expect(last.state).toBe("completed");
    expect(await replicas()).toEqual([3, 0]);
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 0, v2: 100 });
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v2"))?.status?.readyReplicas ?? 0) === 3, {
      description: "3 v2 pods Ready",
    });
  });
});

describe("replica-canary (no mesh)", () => {
  it("works without any VirtualService: the canary shares the Service selector and replicas set the share", async () => {
    const ns = await freshReviews({ istio: false });
    const task = await create({
      name: "reviews-rc",
      namespace: ns,
      service: "reviews",
      strategy: "replica-canary",
      newVersion: { version: "v2", image: V2, replicas: 4 },
      traffic: { weights: { v1: 75, v2: 25 } },
    });
    const canaryDep = await tryDeployment(k, ns, "reviews-canary");
    expect(canaryDep?.spec?.template.metadata?.labels).toMatchObject({ app: "reviews", version: "v2" });
    const svc = await k.core.readNamespacedService({ namespace: ns, name: "reviews" });
    for (const [key, value] of Object.entries(svc.spec?.selector ?? {}))
      expect(canaryDep?.spec?.template.metadata?.labels?.[key]).toBe(value);
    expect([canaryDep?.spec?.replicas, (await tryDeployment(k, ns, "reviews-v1"))?.spec?.replicas]).toEqual([1, 3]);
    await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect([
      (await tryDeployment(k, ns, "reviews-canary"))?.spec?.replicas,
      (await tryDeployment(k, ns, "reviews-v1"))?.spec?.replicas,
    ]).toEqual([2, 2]);
    await act(task.id, { action: "takeover" });
    expect([
      (await tryDeployment(k, ns, "reviews-canary"))?.spec?.replicas,
      (await tryDeployment(k, ns, "reviews-v1"))?.spec?.replicas,
    ]).toEqual([4, 0]);
  });
});

describe("abort, adoption and drift", () => {
  const handMade = (ns: string) => ({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: ns, labels: { owner: "team-a" } },
    spec: {
      hosts: ["reviews", "reviews.example.internal"],
      http: [
        {
          name: "qa-team",
          match: [{ headers: { "x-team": { exact: "qa" } } }],
          route: [{ destination: { host: "reviews", subset: "v3" } }],
          retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx" },
          fault: { delay: { percentage: { value: 10 }, fixedDelay: "1s" } },
        },
        {
          name: "legacy-api",
          match: [{ uri: { prefix: "/v0/" } }],
          rewrite: { uri: "/" },
          route: [{ destination: { host: "reviews", subset: "v1" } }],
        },
        { name: "default", timeout: "5s", route: [{ destination: { host: "reviews", subset: "v1" } }] },
      ],
    },
  });

  it("adopts a hand-made VirtualService, never touches its other routes, and abort restores it exactly", async () => {
    const ns = await freshReviews({ virtualService: handMade("x") });
    const original = await getVS(k, ns);
    const originalDR = await getDR(k, ns);
    const task = await create(canary(ns));
    await act(task.id, { action: "setTraffic", weights: { v1: 70, v2: 30 } });
    const vs = await getVS(k, ns);
    expect(JSON.stringify(vs.spec.http[0])).toBe(JSON.stringify(original.spec.http[0]));
    expect(JSON.stringify(vs.spec.http[1])).toBe(JSON.stringify(original.spec.http[1]));
    expect(vs.spec.hosts).toEqual(original.spec.hosts);
    expect(vs.metadata.labels).toEqual(original.metadata.labels);
    const def = vs.spec.http[2];
    expect(def.name).toBe("default");
    expect(def.timeout).toBe("5s");
    expect(defaultWeights(vs)).toEqual({ v1: 70, v2: 30 });

    const res = await api("DELETE", `/api/tasks/${task.id}`, undefined, as("dave"));
    expect(res.status, res.text).toBe(200);
    expect(res.json.task.state).toBe("aborted");
    await settled(task.id);
    expect((await getVS(k, ns)).spec).toEqual(original.spec);
    expect((await getDR(k, ns)).spec).toEqual(originalDR.spec);
    await waitFor(async () => (await tryDeployment(k, ns, "reviews-v2")) === null, {
      description: "reviews-v2 deleted",
    });
    // an aborted task frees its name
    await create(canary(ns));
  });

  it("shows drift when someone edits the VirtualService, refuses actions until accepted or re-synced", async () => {
    const ns = await freshReviews();
    const task = await create(canary(ns));
    const vs = await getVS(k, ns);
    const http = vs.spec.http;
    http[http.length - 1].route = [
      { destination: { host: "reviews", subset: "v1" }, weight: 60 },
      { destination: { host: "reviews", subset: "v2" }, weight: 40 },
    ];
    await k.custom.replaceNamespacedCustomObject({
      ...ISTIO,
      namespace: ns,
      plural: "virtualservices",
      name: "reviews",
      body: vs,
    });

    const detail = (await api("GET", `/api/tasks/${task.id}`)).json.task;
    expect(detail.drift?.virtualService?.length).toBeGreaterThan(0);
    const refused = await api("POST", `/api/tasks/${task.id}/actions`, {
      action: "setTraffic",
      weights: { v1: 50, v2: 50 },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("drift");
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 60, v2: 40 });

    const accepted = await act(task.id, { action: "acceptDrift" });
    expect(accepted.drift).toBeNull();
    expect(accepted.weights).toEqual({ v1: 60, v2: 40 });
    await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });

    // drift again, then re-sync puts the task's routing back
    const again = await getVS(k, ns);
    again.spec.http[again.spec.http.length - 1].route = [{ destination: { host: "reviews", subset: "v1" } }];
    await k.custom.replaceNamespacedCustomObject({
      ...ISTIO,
      namespace: ns,
      plural: "virtualservices",
      name: "reviews",
      body: again,
    });
    await act(task.id, { action: "resync" });
    expect(defaultWeights(await getVS(k, ns))).toEqual({ v1: 50, v2: 50 });
  });
});

describe("failure handling", () => {
  it("rolls back a half-applied plan when the second write is refused by the API server", async () => {
    const ns = await freshReviews();
    // A real admission policy that refuses VirtualService updates in this namespace only.
    const admission = kc.makeApiClient((await import("@kubernetes/client-node")).AdmissionregistrationV1Api);
    const policyName = `deny-vs-${ns}`;
    await admission.createValidatingAdmissionPolicy({
      body: {
        metadata: { name: policyName },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ["networking.istio.io"],
                apiVersions: ["*"],
                operations: ["UPDATE"],
                resources: ["virtualservices"],
              },
            ],
          },
          validations: [{ expression: "false", message: "virtualservice updates are frozen in this namespace" }],
        },
      },
    });
    await admission.createValidatingAdmissionPolicyBinding({
      body: {
        metadata: { name: policyName },
        spec: {
          policyName,
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } },
        },
      },
    });
    try {
      const vsBefore = await getVS(k, ns);
      // Admission policies take effect asynchronously: wait until a direct update is refused.
      await waitFor(
        async () => {
          try {
            await k.custom.replaceNamespacedCustomObject({
              ...ISTIO,
              namespace: ns,
              plural: "virtualservices",
              name: "reviews",
              body: await getVS(k, ns),
            });
            return false;
          } catch (e: any) {
            return e?.code === 403 || e?.code === 422 || e?.code === 400;
          }
        },
        { description: "admission policy active", timeoutMs: 30_000 },
      );

      // The VirtualService write comes after v2's pods are Ready (make before break), so the
      // create answers 201 and the refusal lands in the background: compensated, and kept.
      // v2 starts 3 s late (KWOK's ready delay) so that its pods cannot be Ready while the
      // request still runs: without it a fast node made the refusal land inside the request.
      const slow = { annotations: { "pod-ready.stage.kwok.x-k8s.io/delay": "3s" } };
      const res = await api("POST", "/api/tasks", {
        ...canary(ns, { newVersion: { version: "v2", image: V2, replicas: 1, ...slow } }),
        rollout: { drainSeconds: 0 },
      });
      expect(res.status, res.text).toBe(201);
      const failed = await settled(res.json.task.id);
      expect(failed.state).toBe("aborted");
      await waitFor(async () => (await tryDeployment(k, ns, "reviews-v2")) === null, {
        description: "reviews-v2 removed by compensation",
      });
      expect((await getVS(k, ns)).metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
      expect((await getDR(k, ns)).spec.subsets.map((x: any) => x.name)).toEqual(["v1", "v2", "v3"]);
      const history = (await api("GET", `/api/tasks/${failed.id}/events`)).json.events;
      expect(history.map((e: any) => [e.action, e.result])).toEqual([["create", "error"]]);
      expect(history[0].error).toMatch(/frozen/);
      expect(history[0].note).toMatch(/compensated/);
    } finally {
      await admission.deleteValidatingAdmissionPolicyBinding({ name: policyName }).catch(() => undefined);
      await admission.deleteValidatingAdmissionPolicy({ name: policyName }).catch(() => undefined);
    }
  });

  it("never loses an update under concurrent setTraffic calls", async () => {
    const ns = await freshReviews();
    const task = await create(canary(ns));
    const results = await Promise.all(
      [20, 30, 40].map((w) =>
        api("POST", `/api/tasks/${task.id}/actions`, { action: "setTraffic", weights: { v1: 100 - w, v2: w } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    for (const s of statuses) expect([200, 409]).toContain(s);
    expect(statuses).toContain(200);
    const detail = (await api("GET", `/api/tasks/${task.id}`)).json.task;
    // what the DB says is what the cluster has, and history is a chain: each before = previous after
    expect(defaultWeights(await getVS(k, ns))).toEqual(detail.weights);
    const events = (await api("GET", `/api/tasks/${task.id}/events`)).json.events.filter((e: any) => e.result === "ok");
    for (let i = 1; i < events.length; i++) expect(events[i].before.weights).toEqual(events[i - 1].after.weights);
    expect(events[events.length - 1].after.weights).toEqual(detail.weights);
  });
});

describe("batch without pauses", () => {
  it("confirms each group by itself once its pods are Ready (actor system:auto-advance)", async () => {
    const ns = await freshReviews();
    const task = await create({
      name: "reviews-auto",
      namespace: ns,
      service: "reviews",
      strategy: "batch",
      newVersion: { version: "v2", image: V2, replicas: 2 },
      batch: { groups: 2, pauseBetweenGroups: false },
    });
    const done = await waitFor(
      async () => {
        const t = (await api("GET", `/api/tasks/${task.id}`)).json.task;
        return t.state === "completed" ? t : null;
      },
      { timeoutMs: 90_000, description: "auto-advanced batch completed" },
    );
    await settled(task.id);
    expect(done.batch.current).toBe(2);
    expect((await tryDeployment(k, ns, "reviews-v2"))?.spec?.replicas).toBe(2);
    const events = (await api("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.filter((e: any) => e.action === "confirm").map((e: any) => e.actor)).toEqual(["system:auto-advance"]);
  });
});
