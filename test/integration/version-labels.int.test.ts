// Issue 9: version labels that are not DNS-1123 labels (CCE users label `v1.0`, `v2.1`). The
// console speaks version labels; what it writes uses subset names istiod accepts; the mesh
// simulator still routes by the subsets' labels; and Istio's RE2 rules hold at the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { getDR, getVS, kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";

const PROMETHEUS = process.env.PROMETHEUS_URL || "http://127.0.0.1:9090";
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;

/** Bookinfo's reviews, its v1 pods labelled version=v1.0, no VirtualService/DestinationRule yet, under simulated load. */
async function reviewsV10(): Promise<string> {
  ns = await createTestNamespace(kc, "labels");
  await seedReviews(k, ns.name, { istio: false });
  // The selector is immutable: recreate v1 with the new label.
  const v1 = await k.apps.readNamespacedDeployment({ namespace: ns.name, name: "reviews-v1" });
  await k.apps.deleteNamespacedDeployment({ namespace: ns.name, name: "reviews-v1" });
  await waitFor(async () => (await tryDeployment(k, ns.name, "reviews-v1")) === null, {
    description: "old reviews-v1 gone",
  });
  const labels = { app: "reviews", version: "v1.0" };
  await k.apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: { name: "reviews-v1", labels },
      spec: {
        ...v1.spec!,
        selector: { matchLabels: labels },
        template: { ...v1.spec!.template, metadata: { labels } },
      },
    },
  });
  await waitFor(async () => ((await tryDeployment(k, ns.name, "reviews-v1"))?.status?.readyReplicas ?? 0) >= 1, {
    description: "reviews-v1 (v1.0) Ready",
  });
  await k.core.patchNamespacedService({
    namespace: ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "100" } }],
  });
  return ns.name;
}

async function promShares(namespace: string): Promise<Record<string, number>> {
  const sel = `reporter="destination",destination_workload_namespace="${namespace}",destination_service_name="reviews"`;
  const q = `sum by (destination_version) (irate(istio_requests_total{${sel}}[1m]))`;
  const body = (await (await fetch(`${PROMETHEUS}/api/v1/query?${new URLSearchParams({ query: q })}`)).json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  const rates = Object.fromEntries(body.data.result.map((s) => [s.metric.destination_version!, Number(s.value[1])]));
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(rates).map(([v, r]) => [v, total > 0 ? (100 * r) / total : 0]));
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  await reviewsV10();
}, 120_000);
afterAll(async () => {
  await ns?.delete().catch(() => undefined);
});

describe("a base version v1.0 and a new version v2.1", () => {
  let id = "";

  it("the API speaks v1.0 and v2.1; the DestinationRule gets DNS-1123 subsets v1-0 and v2-1 selecting those labels", async () => {
    const res = await api("POST", "/api/tasks", {
      name: "dotted",
      namespace: ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2.1", image: V2, replicas: 1 },
      traffic: { weights: { "v1.0": 80, "v2.1": 20 } },
    });
    expect(res.status, res.text).toBe(201);
    id = res.json.task.id;
    const task = await settled(id);
    expect(task.baseVersion).toBe("v1.0");
    expect(task.newVersion).toBe("v2.1");
    expect(task.weights).toEqual({ "v1.0": 80, "v2.1": 20 });
    expect(task.routing.defaultRoute.weights).toEqual({ "v1.0": 80, "v2.1": 20 });
    const dr = await getDR(k, ns.name);
    expect(dr.spec.subsets).toEqual([
      { name: "v1-0", labels: { version: "v1.0" } },
      { name: "v2-1", labels: { version: "v2.1" } },
    ]);
    const vs = await getVS(k, ns.name);
    const dests = vs.spec.http.at(-1).route.map((d: any) => [d.destination.subset, d.weight]);
    expect(dests).toEqual([
      ["v1-0", 80],
      ["v2-1", 20],
    ]);
    const v21 = await tryDeployment(k, ns.name, "reviews-v2-1");
    expect(v21?.spec?.template.metadata?.labels).toMatchObject({ app: "reviews", version: "v2.1" });
  });

  it("the simulator routes reviews through those subsets: about 80/20 between v1.0 and v2.1", async () => {
    const shares = await waitFor(
      async () => {
        const s = await promShares(ns.name);
        return s["v2.1"] !== undefined && Math.abs(s["v2.1"] - 20) <= 6 ? s : null;
      },
      { timeoutMs: 45_000, intervalMs: 2000, description: "v2.1 share ≈ 20%" },
    );
    expect(shares["v1.0"]).toBeGreaterThan(70);
  });

  it("setTraffic and takeover take version labels and write subset names", async () => {
    const set = await api("POST", `/api/tasks/${id}/actions`, {
      action: "setTraffic",
      weights: { "v1.0": 50, "v2.1": 50 },
    });
    expect(set.status, set.text).toBe(200);
    expect((await getVS(k, ns.name)).spec.http.at(-1).route.map((d: any) => [d.destination.subset, d.weight])).toEqual([
      ["v1-0", 50],
      ["v2-1", 50],
    ]);
    const takeover = await api("POST", `/api/tasks/${id}/actions`, { action: "takeover" });
    expect(takeover.status, takeover.text).toBe(200);
    const task = await settled(id);
    expect(task.weights).toEqual({ "v1.0": 0, "v2.1": 100 });
  });
});

describe("Istio's RE2 at the API", () => {
  const rule = (value: string) => ({
    name: `re2-${value.length}`,
    namespace: ns.name,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v3", image: V2, replicas: 1 },
    traffic: { weights: { "v1.0": 100, v3: 0 }, match: [{ kind: "header", name: "end-user", op: "regex", value }] },
  });

  it("(?=x), a lookaround RE2 has not, is refused with 400 naming the field; nothing is written", async () => {
    const before = (await getVS(k, ns.name)).metadata.resourceVersion;
    const res = await api("POST", "/api/tasks", rule("(?=x)jason"));
    expect(res.status, res.text).toBe(400);
    const paths = (res.json.error.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths).toContain("traffic.match[0].value");
    expect(res.json.error.message).toMatch(/lookaround|RE2/);
    expect((await getVS(k, ns.name)).metadata.resourceVersion).toBe(before);
  });
});
