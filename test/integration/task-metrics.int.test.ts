// A task's metrics API against the real chain (console -> mesh simulator -> Prometheus): the
// task's base and new versions, every other version of the service folded into one
// "__other__" series by the PromQL itself, the range from just before the task's start, and
// the observed share over a whole-unit window.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviewsWithJasonOnV3, type Kube } from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const RPS = 100;
let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;
let taskId = "";
let createdAt = 0;

/** reviews v1 + another team's v3, which gets jason's requests (10 % of the simulator's users). */
async function reviewsWithV3(): Promise<void> {
  await seedReviewsWithJasonOnV3(k, ns.name);
  await k.core.patchNamespacedService({
    namespace: ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": String(RPS) } }],
  });
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "task-metrics");
  await reviewsWithV3();
  const res = await api("POST", "/api/tasks", {
    name: "tm",
    namespace: ns.name,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: V2, replicas: 1 },
    traffic: { weights: { v1: 50, v2: 50 } },
  });
  expect(res.status, res.text).toBe(201);
  taskId = res.json.task.id;
  createdAt = Math.floor(Date.parse(res.json.task.createdAt) / 1000);
  await settled(taskId);
}, 180_000);
afterAll(async () => {
  await ns?.delete().catch(() => undefined);
});

describe("GET /api/tasks/{id}/metrics", () => {
  it("range=task: the task's versions and one folded 'other traffic' series with v3's requests", async () => {
    const m = await waitFor(
      async () => {
        const res = await api("GET", `/api/tasks/${taskId}/metrics?range=task`);
        expect(res.status, res.text).toBe(200);
        const other = res.json.versions.__other__?.current.rps;
        return typeof other === "number" && other > 0 && res.json.versions.v2?.current.rps > 0 ? res.json : null;
      },
      { timeoutMs: 90_000, intervalMs: 2000, description: "v2 and other traffic measured" },
    );
    expect(Object.keys(m.versions).sort()).toEqual(["__other__", "v1", "v2"]);
    // jason's 10 % of the load, as v3 answered it; v1 + v2 share the rest.
    const shares = {
      v1: m.versions.v1.current.share,
      v2: m.versions.v2.current.share,
      other: m.versions.__other__.current.share,
    };
    expect(shares.other).toBeGreaterThan(4);
    expect(shares.other).toBeLessThan(18);
    expect(shares.v1 + shares.v2 + shares.other).toBeCloseTo(100, 0);
    expect(JSON.stringify(m)).not.toMatch(/"v3"|"unknown"/);
    expect(m.task).toEqual({ baseVersion: "v1", newVersion: "v2", startedAt: createdAt });
    // From before the task's start to now, and status words only for real versions.
    expect(m.range.start).toBeLessThan(createdAt);
    expect(m.range.end).toBeGreaterThan(createdAt);
    expect(Object.keys(m.versionStatus).sort()).toEqual(["v1", "v2"]);
    expect(Object.keys(m.pods).sort()).toEqual(["v1", "v2"]);
  });

  it("the summary is over a whole-unit window and folds v3 the same way", async () => {
    const res = await api("GET", `/api/tasks/${taskId}/metrics?range=5m`);
    expect(res.status, res.text).toBe(200);
    expect([30, 60, 120, 300, 600, 900, 1800, 3600]).toContain(res.json.summary.sinceSeconds);
    expect(Object.keys(res.json.summary.versions).every((v) => ["v1", "v2", "__other__"].includes(v))).toBe(true);
  });

  it("the service's own metrics still list every version", async () => {
    const res = await api("GET", `/api/namespaces/${ns.name}/services/reviews/metrics?range=5m`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.task).toBeUndefined();
    expect(Object.keys(res.json.versions)).toEqual(expect.arrayContaining(["v1", "v2", "v3"]));
    expect(res.json.versions.__other__).toBeUndefined();
  });
});
