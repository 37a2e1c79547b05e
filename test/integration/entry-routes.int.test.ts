// Issue 9, entry services: releasing Bookinfo's productpage, whose users enter through the ingress
// gateway. Istio's bookinfo-gateway sample (Gateway + the gateway-bound `bookinfo` VirtualService,
// hosts ["*"]) is seeded into a test namespace; the console gives that route the release's weights
// as an owned change, the mesh simulator's ingress traffic follows it (Prometheus, reporter
// "source" from the ingress gateway), and abort puts the route back exactly as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import type * as k8s from "@kubernetes/client-node";
import { api, as, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { bookinfoObjects, getVS, ISTIO, kube, tryDeployment, type Kube } from "./helpers/bookinfo";

const PROMETHEUS = process.env.PROMETHEUS_URL || "http://127.0.0.1:9090";
const IMAGE = "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2";
const RPS = 100;
const root = path.resolve(__dirname, "../..");
let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;
let gatewayVsAsSeeded: any;
let taskId = "";

function gatewaySample(): { gateway: any; virtualService: any } {
  const docs = parseAllDocuments(readFileSync(path.join(root, "dev/bookinfo/40-bookinfo-gateway.yaml"), "utf8")).map(
    (d) => d.toJSON(),
  );
  return {
    gateway: docs.find((d) => d?.kind === "Gateway"),
    virtualService: docs.find((d) => d?.kind === "VirtualService"),
  };
}

/**
 * productpage v1 (Istio's samples: Deployment, DR, mesh VS) and bookinfo-gateway. The Gateway
 * serves its own host, so on the one simulated ingress its `*` VirtualService does not merge with
 * Bookinfo's, and asks the simulator for user load; the VirtualService is the sample's as is.
 */
async function seedProductpage(namespace: string): Promise<void> {
  const { workloads, destinationRule, virtualService } = bookinfoObjects("productpage");
  for (const o of workloads) {
    const body = { ...o, metadata: { ...o.metadata, namespace } };
    if (o.kind === "Service") await k.core.createNamespacedService({ namespace, body });
    else if (o.kind === "ServiceAccount") await k.core.createNamespacedServiceAccount({ namespace, body });
    else if (o.kind === "Deployment") await k.apps.createNamespacedDeployment({ namespace, body });
  }
  for (const [plural, o] of [
    ["destinationrules", destinationRule],
    ["virtualservices", virtualService],
  ] as const)
    await k.custom.createNamespacedCustomObject({
      ...ISTIO,
      namespace,
      plural,
      body: { ...o, metadata: { ...o.metadata, namespace } },
    });
  const sample = gatewaySample();
  const annotations = { "mesh-sim.gray-console.io/rps": String(RPS), "mesh-sim.gray-console.io/path": "/productpage" };
  const gateway = {
    ...sample.gateway,
    metadata: { ...sample.gateway.metadata, namespace, annotations },
    spec: {
      ...sample.gateway.spec,
      servers: sample.gateway.spec.servers.map((s: any) => ({ ...s, hosts: [`${namespace}.bookinfo.test`] })),
    },
  };
  await k.custom.createNamespacedCustomObject({ ...ISTIO, namespace, plural: "gateways", body: gateway });
  await k.custom.createNamespacedCustomObject({
    ...ISTIO,
    namespace,
    plural: "virtualservices",
    body: { ...sample.virtualService, metadata: { ...sample.virtualService.metadata, namespace } },
  });
  await waitFor(async () => ((await tryDeployment(k, namespace, "productpage-v1"))?.status?.readyReplicas ?? 0) >= 1, {
    description: "productpage-v1 Ready",
    timeoutMs: 60_000,
  });
}

/** Shares (%) per version of the requests the ingress gateway sent to this namespace's productpage, as its proxy reports them. */
async function ingressShares(namespace: string): Promise<Record<string, number>> {
  const sel = `reporter="source",source_workload="istio-ingressgateway",destination_service_name="productpage",destination_service_namespace="${namespace}"`;
  const q = `sum by (destination_version) (irate(istio_requests_total{${sel}}[1m]))`;
  const body = (await (await fetch(`${PROMETHEUS}/api/v1/query?${new URLSearchParams({ query: q })}`)).json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== "success") throw new Error(`Prometheus refused ${q}`);
  const rates = Object.fromEntries(body.data.result.map((s) => [s.metric.destination_version!, Number(s.value[1])]));
  const total = Object.values(rates).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(rates).map(([v, r]) => [v, total > 0 ? (100 * r) / total : 0]));
}

const at = (subset: string, weight: number) => ({
  destination: { host: "productpage", subset, port: { number: 9080 } },
  weight,
});

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "entry");
  await seedProductpage(ns.name);
  gatewayVsAsSeeded = await getVS(k, ns.name, "bookinfo");
}, 120_000);
afterAll(async () => {
  await ns?.delete().catch(() => undefined);
});

describe("releasing productpage, an entry service behind bookinfo-gateway", () => {
  it("before the release, users enter through the simulated ingress gateway, all on v1", async () => {
    await waitFor(async () => ((await ingressShares(ns.name)).v1 ?? 0) > 99, {
      timeoutMs: 60_000,
      intervalMs: 2000,
      description: `ingress traffic to productpage in ${ns.name}, all v1 (the simulator gives a Gateway annotated mesh-sim.gray-console.io/rps its own users; restart it if it predates that)`,
    });
  }, 70_000);

  it("the gateway-bound VirtualService's route gets the release's 70/30, as an owned change the task shows", async () => {
    const res = await api(
      "POST",
      "/api/tasks",
      {
        name: "pp-canary",
        namespace: ns.name,
        service: "productpage",
        strategy: "canary",
        newVersion: { version: "v2", image: IMAGE, replicas: 1 },
        traffic: { weights: { v1: 70, v2: 30 } },
        rollout: { drainSeconds: 5 },
      },
      as("alice"),
    );
    expect(res.status, res.text).toBe(201);
    taskId = res.json.task.id;
    const task = await settled(taskId);
    const vs = await getVS(k, ns.name, "bookinfo");
    expect(vs.spec.http[0].route).toEqual([at("v1", 70), at("v2", 30)]);
    // Only the route's destinations are the task's: its match, the hosts and the gateways stay.
    expect({ ...vs.spec, http: [{ ...vs.spec.http[0], route: null }] }).toEqual({
      ...gatewayVsAsSeeded.spec,
      http: [{ ...gatewayVsAsSeeded.spec.http[0], route: null }],
    });
    expect(
      (await getVS(k, ns.name, "productpage")).spec.http[0].route.map((d: any) => [d.destination.subset, d.weight]),
    ).toEqual([
      ["v1", 70],
      ["v2", 30],
    ]);
    expect(task.entryRoutes).toEqual([
      expect.objectContaining({
        id: "bookinfo/http[0]",
        virtualService: "bookinfo",
        gateways: ["bookinfo-gateway"],
        weights: { v1: 70, v2: 30 },
      }),
    ]);
    expect(task.drift).toBeNull();
  }, 120_000);

  it("simulated ingress traffic follows it: about 70/30 within 20 s", async () => {
    const shares = await waitFor(
      async () => {
        const s = await ingressShares(ns.name);
        return Math.abs((s.v2 ?? 0) - 30) <= 6 ? s : null;
      },
      {
        timeoutMs: 20_000,
        intervalMs: 1000,
        description: "the ingress gateway's requests to productpage split 70/30 (± 6)",
      },
    );
    expect(Math.abs((shares.v1 ?? 0) - 70)).toBeLessThanOrEqual(6);
  }, 30_000);

  it("abort restores the gateway-bound VirtualService's route exactly", async () => {
    const res = await api("DELETE", `/api/tasks/${taskId}`, undefined, as("alice"));
    expect(res.status, res.text).toBe(200);
    await settled(taskId, { timeoutMs: 90_000 });
    const vs = await getVS(k, ns.name, "bookinfo");
    expect(vs.spec).toEqual(gatewayVsAsSeeded.spec);
    expect(await tryDeployment(k, ns.name, "productpage-v2")).toBeNull();
    // Users are back on v1 only.
    await waitFor(async () => ((await ingressShares(ns.name)).v1 ?? 0) > 99, {
      timeoutMs: 20_000,
      intervalMs: 1000,
      description: "ingress traffic all on v1 again",
    });
  }, 120_000);
});
