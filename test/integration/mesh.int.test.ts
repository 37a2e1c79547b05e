// The local mesh reports what a real mesh reports, end to end: real cluster objects -> the mesh
// simulator (dev/mesh-sim) routes its load -> Prometheus scrapes Istio's metrics -> PromQL (and
// the console's metrics API) read them. Each scenario lives in its own namespace, created with
// the admin kubeconfig.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as k8s from "@kubernetes/client-node";
import { api } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { bookinfoObjects, kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";

const PROMETHEUS = process.env.PROMETHEUS_URL || "http://127.0.0.1:9090";
const RPS = 100;
const root = path.resolve(__dirname, "../..");

/** Istio's standard labels on istio_requests_total (issue 9's list, plus what was there before). */
const ISTIO_LABELS = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "destination_workload",
  "destination_workload_namespace",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_app",
  "destination_version",
  "destination_canonical_service",
  "destination_canonical_revision",
  "request_protocol",
  "response_code",
  "response_flags",
  "connection_security_policy",
];

let kc: k8s.KubeConfig;
let k: Kube;
const namespaces: TestNamespace[] = [];
let uhNs = "";
let re2Ns = "";

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function promQuery(query: string): Promise<PromSample[]> {
  const res = await fetch(`${PROMETHEUS}/api/v1/query?${new URLSearchParams({ query })}`);
  const body = (await res.json()) as { status: string; data?: { result: PromSample[] }; error?: string };
  if (body.status !== "success") throw new Error(`Prometheus refused ${query}: ${body.error}`);
  return body.data!.result;
}
const value = (s: PromSample | undefined) => (s ? Number(s.value[1]) : 0);

/** reviews v1 (Bookinfo's) plus a v2 Deployment, a VirtualService, and the simulator's direct load on the Service. */
async function reviewsWithV2(prefix: string, http: unknown[]): Promise<string> {
  const ns = await createTestNamespace(kc, prefix);
  namespaces.push(ns);
  const { virtualService } = bookinfoObjects("reviews");
  await seedReviews(k, ns.name, { virtualService: { ...virtualService, spec: { hosts: ["reviews"], http } } });
  const v1 = await k.apps.readNamespacedDeployment({ namespace: ns.name, name: "reviews-v1" });
  const labels = { app: "reviews", version: "v2" };
  const template = v1.spec!.template;
  await k.apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: { name: "reviews-v2", labels },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { ...template, metadata: { labels } } },
    },
  });
  await waitFor(async () => ((await tryDeployment(k, ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
    description: "reviews-v2 Ready",
    timeoutMs: 60_000,
  });
  await k.core.patchNamespacedService({
    namespace: ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": String(RPS) } }],
  });
  return ns.name;
}

const to = (subset: string, weight?: number) => ({
  destination: { host: "reviews", subset },
  ...(weight !== undefined ? { weight } : {}),
});

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  [uhNs, re2Ns] = await Promise.all([
    reviewsWithV2("mesh-uh", [{ route: [to("v1", 50), to("v2", 50)] }]),
    reviewsWithV2("mesh-re2", [
      { match: [{ headers: { "end-user": { regex: "(?i)JASON" } } }], route: [to("v2")] },
      { route: [to("v1")] },
    ]),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all(namespaces.map((n) => n.delete().catch(() => undefined)));
});

describe("Istio's labels on the simulator's metrics, as Prometheus stores them", () => {
  it('seed 001\'s query answers per version: sum(irate(...{destination_app="reviews"}[1m])) by (destination_canonical_revision,destination_app)', async () => {
    const seed001 = `sum(irate(istio_requests_total{destination_app="reviews"}[1m])) by (destination_canonical_revision,destination_app)`;
    const rows = await waitFor(
      async () => {
        const r = await promQuery(seed001);
        const revs = new Set(r.filter((s) => value(s) > 0).map((s) => s.metric.destination_canonical_revision));
        return revs.has("v1") && revs.has("v2") ? r : null;
      },
      { timeoutMs: 60_000, intervalMs: 2000, description: "reviews v1 and v2 in seed 001's query" },
    );
    for (const s of rows) expect(s.metric.destination_app).toBe("reviews");
    // The same query scoped to this test's namespace: both versions of OUR reviews answer, about 50/50.
    const ours = await promQuery(
      seed001.replace(
        `destination_app="reviews"`,
        `destination_app="reviews",destination_workload_namespace="${uhNs}",reporter="destination"`,
      ),
    );
    const byRev = Object.fromEntries(ours.map((s) => [s.metric.destination_canonical_revision, value(s)]));
    expect(Object.keys(byRev).sort()).toEqual(["v1", "v2"]);
    expect(byRev.v2! / (byRev.v1! + byRev.v2!)).toBeGreaterThan(0.35);
  });

  it("every label of Istio's standard set is on istio_requests_total, from both reporters", async () => {
    for (const reporter of ["destination", "source"]) {
      const series = await waitFor(
        async () => {
          const r = await promQuery(
            `istio_requests_total{reporter="${reporter}",destination_service="reviews.${uhNs}.svc.cluster.local",response_code="200"}`,
          );
          return r.length > 0 ? r : null;
        },
        { timeoutMs: 30_000, intervalMs: 2000, description: `a ${reporter} series for reviews` },
      );
      const missing = ISTIO_LABELS.filter((l) => !(l in series[0]!.metric));
      expect(missing, `${reporter} series lacks labels`).toEqual([]);
    }
  });
});

describe("RE2 in the simulator", () => {
  it("`(?i)JASON` matches the users who send `end-user: jason`: v2 gets their share", async () => {
    const { users } = JSON.parse(readFileSync(path.join(root, "dev/mesh-sim/behaviour.json"), "utf8")) as {
      users: { jasonPercent: number };
    };
    const q = `100 * sum by (destination_version) (irate(istio_requests_total{reporter="destination",destination_workload_namespace="${re2Ns}",destination_service_name="reviews"}[1m])) / scalar(sum(irate(istio_requests_total{reporter="destination",destination_workload_namespace="${re2Ns}",destination_service_name="reviews"}[1m])))`;
    const shares = await waitFor(
      async () => {
        const r = Object.fromEntries((await promQuery(q)).map((s) => [s.metric.destination_version, value(s)]));
        return r.v2 !== undefined && Math.abs(r.v2 - users.jasonPercent) <= 4 ? r : null;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 2000,
        description: `v2 share ≈ ${users.jasonPercent}% (jason, matched case-insensitively)`,
      },
    );
    expect(shares.v1).toBeGreaterThan(100 - users.jasonPercent - 4);
  });
});

describe("a canary whose pods someone else scales to 0", () => {
  const fqdn = () => `reviews.${uhNs}.svc.cluster.local`;

  beforeAll(async () => {
    // Someone else (not the console) scales the canary down: a plain kubectl-style patch.
    await k.apps.patchNamespacedDeploymentScale({
      namespace: uhNs,
      name: "reviews-v2",
      body: [{ op: "replace", path: "/spec/replicas", value: 0 }],
    });
    await waitFor(
      async () =>
        (await k.core.listNamespacedPod({ namespace: uhNs, labelSelector: "app=reviews,version=v2" })).items.length ===
        0,
      { description: "reviews-v2 pods gone", timeoutMs: 60_000 },
    );
  }, 90_000);

  it("Prometheus shows reporter=source, response_flags=UH for the service, with no version behind it", async () => {
    const uh = await waitFor(
      async () => {
        const r = await promQuery(
          `sum by (destination_workload, destination_version, destination_canonical_revision, response_code) (irate(istio_requests_total{reporter="source",response_flags="UH",destination_service="${fqdn()}"}[1m]))`,
        );
        return r.length > 0 && value(r[0]) > 0 ? r : null;
      },
      { timeoutMs: 60_000, intervalMs: 2000, description: "UH failures reported by the source" },
    );
    expect(uh).toHaveLength(1);
    expect(uh[0]!.metric).toEqual({
      destination_workload: "unknown",
      destination_version: "unknown",
      destination_canonical_revision: "latest",
      response_code: "503",
    });
    // About half of the load (the canary's 50%) fails this way.
    expect(value(uh[0])).toBeGreaterThan(RPS * 0.3);
    expect(value(uh[0])).toBeLessThan(RPS * 0.7);
  });

  it("no destination report for a pod that does not exist, and none as 503 either", async () => {
    // Let the irate window pass the scale-down: the last v2 samples are older than 30 s.
    await new Promise((r) => setTimeout(r, 31_000));
    const v2 = await promQuery(
      `sum(increase(istio_requests_total{reporter="destination",destination_workload_namespace="${uhNs}",destination_version="v2"}[20s]))`,
    );
    expect(value(v2[0])).toBe(0);
    const dest503 = await promQuery(
      `sum(increase(istio_requests_total{reporter="destination",destination_service="${fqdn()}",response_code="503"}[1m]))`,
    );
    expect(value(dest503[0])).toBe(0);
    const v1 = await promQuery(
      `sum(irate(istio_requests_total{reporter="destination",destination_workload_namespace="${uhNs}",destination_version="v1"}[1m]))`,
    );
    expect(value(v1[0])).toBeGreaterThan(RPS * 0.3);
  }, 60_000);

  it("the console shows those failures and the canary as 'no Ready pods', not 'no traffic'", async () => {
    const m = await waitFor(
      async () => {
        const res = await api("GET", `/api/namespaces/${uhNs}/services/reviews/metrics?range=5m&step=5s`);
        expect(res.status, res.text).toBe(200);
        return res.json.sourceFailures?.beforeAnyVersion?.current > 0 ? res.json : null;
      },
      { timeoutMs: 60_000, intervalMs: 2000, description: "the console sees the UH failures" },
    );
    expect(m.noTraffic).toBe(false);
    expect(m.sourceFailures.beforeAnyVersion.reasons).toHaveProperty("UH");
    expect(m.summary.noTraffic).toBe(false);
    expect(m.summary.failures.beforeAnyVersion.requests).toBeGreaterThan(0);
    expect(m.summary.failures.beforeAnyVersion.reasons.UH).toBeGreaterThan(0);
    expect(m.pods.v2).toEqual({ ready: 0, desired: 0 });
    expect(m.versionStatus).toMatchObject({ v1: "serving", v2: "no-ready-pods" });
    expect(JSON.stringify(m)).not.toMatch(/NaN/);
  });
});
