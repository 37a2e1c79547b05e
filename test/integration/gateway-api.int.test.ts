// The gateway-api routing backend end to end: Bookinfo's reviews routed by an HTTPRoute (GAMMA),
// tasks created and driven through the REST API, the HTTPRoute and per-version Services read
// back as `kubectl get -o json` shows them. Real API server with the Gateway API CRDs installed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, as, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { kube, tryDeployment, type Kube } from "./helpers/bookinfo";
import { allV1Rule, backendRef, getRoute, kubectlGet, ruleWeights, seedReviewsGateway } from "./helpers/gateway";

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

async function freshReviews(rules?: unknown[]): Promise<string> {
  const ns = await createTestNamespace(kc, "gwapi");
  namespaces.push(ns);
  await seedReviewsGateway(k, ns.name, rules);
  return ns.name;
}

async function create(body: Record<string, unknown>) {
  const res = await api("POST", "/api/tasks", { rollout: { drainSeconds: 0 }, ...body }, as("alice"));
  expect(res.status, res.text).toBe(201);
  return settled(res.json.task.id);
}

async function act(id: string, body: Record<string, unknown>) {
  const res = await api("POST", `/api/tasks/${id}/actions`, body, as("alice"));
  expect(res.status, res.text).toBe(200);
  return settled(id);
}

const spec = (
  namespace: string,
  strategy: string,
  traffic: Record<string, unknown>,
  over: Record<string, unknown> = {},
) => ({
  name: "rel",
  namespace,
  service: "reviews",
  strategy,
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic,
  ...over,
});

/** A rule someone else wrote, with fields the console has no type for: it must survive byte for byte. */
const foreignRule = () => ({
  name: "qa-to-v1",
  matches: [{ path: { type: "Exact", value: "/qa" }, headers: [{ type: "Exact", name: "x-team", value: "qa" }] }],
  backendRefs: [backendRef("reviews-v1", 1)],
  timeouts: { request: "10s" },
});

describe("detecting the router", () => {
  it("a service an HTTPRoute attaches to is shown as routed by the Gateway API, and a task on it uses the gateway-api backend", async () => {
    const ns = await freshReviews();
    const svc = await api("GET", `/api/namespaces/${ns}/services/reviews`);
    expect(svc.status, svc.text).toBe(200);
    expect(svc.json.service.routing.router).toEqual({ backend: "gateway-api", kind: "HTTPRoute", name: "reviews" });
    expect(svc.json.service.routing.defaultRoute.weights).toEqual({ v1: 100 });
    const task = await create(spec(ns, "canary", { weights: { v1: 90, v2: 10 } }));
    expect(task.routingBackend).toBe("gateway-api");
    expect(task.routing.router).toEqual({ backend: "gateway-api", kind: "HTTPRoute", name: "reviews" });
    expect(task.routing.defaultRoute.weights).toEqual({ v1: 90, v2: 10 });
    // What the task wrote is what the API server stores (its defaults written out): no drift.
    expect(task.drift).toBeNull();
    // Someone edits the task's rule: drift on the HTTPRoute; resync puts it back.
    const route = getRoute(ns);
    route.spec.rules.find((r: any) => r.name === "gc-rel-default").backendRefs[1].weight = 50;
    await k.custom.replaceNamespacedCustomObject({
      group: "gateway.networking.k8s.io",
      version: "v1",
      namespace: ns,
      plural: "httproutes",
      name: "reviews",
      body: route,
    });
    const drifted = (await api("GET", `/api/tasks/${task.id}`)).json.task;
    expect(drifted.drift).toEqual({
      httpRoute: [{ path: "rules[0].backendRefs[1].weight", expected: 10, actual: 50 }],
    });
    const resynced = await act(task.id, { action: "resync" });
    expect(resynced.drift).toBeNull();
    expect(ruleWeights(getRoute(ns), "gc-rel-default")).toEqual({ "reviews-v1": 90, "reviews-v2": 10 });
  });
});

describe("canary on an HTTPRoute-routed service", () => {
  it("weights on the default rule's backendRefs; setTraffic, takeover, retireOld; foreign rules byte for byte", async () => {
    const ns = await freshReviews([foreignRule(), allV1Rule()]);
    // The foreign rule as the API server stores and kubectl shows it, before the task.
    const foreign = JSON.stringify(getRoute(ns).spec.rules[0]);
    const task = await create(spec(ns, "canary", { weights: { v1: 90, v2: 10 } }));
    const route = getRoute(ns);
    expect(route.spec.rules.map((r: any) => r.name)).toEqual(["qa-to-v1", "gc-rel-default"]);
    expect(ruleWeights(route, "gc-rel-default")).toEqual({ "reviews-v1": 90, "reviews-v2": 10 });
    expect(JSON.stringify(route.spec.rules[0])).toBe(foreign);
    // The per-version Service the backendRef names: selector app+version, the service's port.
    const v2svc = kubectlGet("service", ns, "reviews-v2");
    expect(v2svc.spec.selector).toEqual({ app: "reviews", version: "v2" });
    expect(v2svc.spec.ports.map((p: any) => p.port)).toEqual([9080]);

    await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(ruleWeights(getRoute(ns), "gc-rel-default")).toEqual({ "reviews-v1": 50, "reviews-v2": 50 });
    await act(task.id, { action: "takeover" });
    expect(ruleWeights(getRoute(ns), "gc-rel-default")).toEqual({ "reviews-v1": 0, "reviews-v2": 100 });
    const done = await act(task.id, { action: "retireOld" });
    expect(done.state).toBe("completed");
    await waitFor(async () => (await tryDeployment(k, ns, "reviews-v1")) === null, {
      description: "reviews-v1 deleted",
    });
    const last = getRoute(ns);
    expect(JSON.stringify(last.spec.rules[0])).toBe(foreign);
    expect(ruleWeights(last, "gc-rel-default")).toEqual({ "reviews-v2": 100 });
    // reviews-v1 was there before the task: not the task's to delete.
    expect(kubectlGet("service", ns, "reviews-v1")).not.toBeNull();
  });

  it("rollback puts 100% back on the base; abort gives the route back exactly as found and deletes the Service it created", async () => {
    const ns = await freshReviews([foreignRule(), allV1Rule()]);
    const before = getRoute(ns);
    const task = await create(spec(ns, "canary", { weights: { v1: 80, v2: 20 } }));
    const rolled = await act(task.id, { action: "rollback" });
    expect(rolled.state).toBe("rolled-back");
    expect(ruleWeights(getRoute(ns), "gc-rel-default")).toEqual({ "reviews-v1": 100, "reviews-v2": 0 });
    const res = await api("DELETE", `/api/tasks/${task.id}`, undefined, as("alice"));
    expect(res.status, res.text).toBe(200);
    await settled(task.id);
    expect(JSON.stringify(getRoute(ns).spec)).toBe(JSON.stringify(before.spec));
    await waitFor(() => kubectlGet("service", ns, "reviews-v2") === null, {
      description: "Service reviews-v2 deleted",
    });
  });
});

describe("content canary, blue-green and mirror on an HTTPRoute", () => {
  it("header end-user=jason -> v2: a named rule with an Exact header match", async () => {
    const ns = await freshReviews();
    await create(spec(ns, "canary", { match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] }));
    const rule = getRoute(ns).spec.rules.find((r: any) => r.name === "gc-rel-canary");
    expect(rule.matches).toEqual([
      { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "end-user", value: "jason" }] },
    ]);
    expect(rule.backendRefs).toEqual([backendRef("reviews-v2", 100)]);
  });

  it("blue-green: green at 0% with a preview header rule, switch sends everything to green", async () => {
    const ns = await freshReviews();
    const task = await create(spec(ns, "blue-green", { previewHeader: { name: "x-preview", value: "green" } }));
    const route = getRoute(ns);
    expect(route.spec.rules.map((r: any) => r.name)).toEqual(["gc-rel-preview", "gc-rel-default"]);
    expect(ruleWeights(route, "gc-rel-default")).toEqual({ "reviews-v1": 100, "reviews-v2": 0 });
    await act(task.id, { action: "switch" });
    expect(ruleWeights(getRoute(ns), "gc-rel-default")).toEqual({ "reviews-v1": 0, "reviews-v2": 100 });
  });

  it("mirror 50%: a RequestMirror filter with percent on the default rule", async () => {
    const ns = await freshReviews();
    const task = await create(spec(ns, "mirror", { mirrorPercent: 50 }));
    const rule = getRoute(ns).spec.rules.find((r: any) => r.name === "gc-rel-default");
    expect(rule.filters).toEqual([
      { type: "RequestMirror", requestMirror: { backendRef: backendRef("reviews-v2"), percent: 50 } },
    ]);
    await act(task.id, { action: "setTraffic", mirrorPercent: 10 });
    expect(getRoute(ns).spec.rules.find((r: any) => r.name === "gc-rel-default").filters[0].requestMirror.percent).toBe(
      10,
    );
  });
});

describe("a combination a backend cannot do", () => {
  it("mirror on the none backend: 400 with the reason from the catalog, nothing created", async () => {
    const ns = await freshReviews();
    const res = await api(
      "POST",
      "/api/tasks",
      spec(ns, "mirror", { mirrorPercent: 50 }, { routing: { backend: "none" } }),
      as("alice"),
    );
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.message).toMatch(/none routing backend cannot mirror requests/);
    expect(res.json.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: "err.routing.unsupported" })]),
    );
    expect(await tryDeployment(k, ns, "reviews-v2")).toBeNull();
  });
});
