// Cluster setup shared by the benchmarks: private namespaces seeded with Bookinfo's reviews
// (the integration tests' helpers, so benchmarks and tests start from the same objects),
// a canary task created through the console, and VirtualService weight helpers.
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "../test/integration/helpers/cluster";
import { ISTIO, kube, seedReviews, tryDeployment, type Kube } from "../test/integration/helpers/bookinfo";
import { expectHttp, onCleanup, REVIEWS_V2_IMAGE, waitSettled } from "./lib";

export { ISTIO, kube, loadKubeConfig, waitFor, type Kube };

export const ANNOTATION_RPS = "mesh-sim.gray-console.io/rps";

/** A fresh `<prefix>-<random>` namespace with reviews v1 Ready; deleted by the cleanup. */
export async function benchNamespace(
  kc: k8s.KubeConfig,
  k: Kube,
  prefix: string,
  opts: { virtualService?: unknown; rps?: number } = {},
): Promise<TestNamespace> {
  const ns = await createTestNamespace(kc, prefix);
  onCleanup(() => ns.delete());
  await seedReviews(k, ns.name, opts.virtualService ? { virtualService: opts.virtualService } : {});
  if (opts.rps !== undefined) {
    // The simulator sends this much direct load to the Service (routed by its live VirtualService).
    await k.core.patchNamespacedService({
      namespace: ns.name,
      name: "reviews",
      body: [{ op: "add", path: "/metadata/annotations", value: { [ANNOTATION_RPS]: String(opts.rps) } }],
    });
  }
  return ns;
}

/** Creates a canary task for reviews v2 at `v2Weight`% through the console and waits for v2 Ready. */
export async function createCanaryTask(
  baseUrl: string,
  k: Kube,
  namespace: string,
  name: string,
  v2Weight: number,
): Promise<string> {
  const res = await expectHttp(201, "POST", `${baseUrl}/api/tasks`, {
    name,
    namespace,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: REVIEWS_V2_IMAGE, replicas: 1 },
    traffic: { weights: { v1: 100 - v2Weight, v2: v2Weight } },
  });
  const id: unknown = res.json?.task?.id;
  if (typeof id !== "string") throw new Error(`POST /api/tasks: no task id in ${res.text.slice(0, 300)}`);
  await waitFor(async () => ((await tryDeployment(k, namespace, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
    description: `reviews-v2 Ready in ${namespace}`,
    timeoutMs: 90_000,
  });
  // The weights land once v2 is Ready (make before break): wait for the task's operation.
  await waitSettled(baseUrl, id);
  return id;
}

export interface VirtualServiceObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  spec: { http?: HttpRoute[]; [k: string]: unknown };
  [k: string]: unknown;
}
interface HttpRoute {
  match?: unknown[];
  route?: { destination: { subset?: string; [k: string]: unknown }; weight?: number }[];
  [k: string]: unknown;
}

export async function readVirtualService(k: Kube, namespace: string, name = "reviews"): Promise<VirtualServiceObject> {
  return (await k.custom.getNamespacedCustomObject({
    ...ISTIO,
    namespace,
    plural: "virtualservices",
    name,
  })) as VirtualServiceObject;
}

/** The `http` list with the default (match-less) route's weights set per subset. */
export function withDefaultWeights(http: readonly HttpRoute[], weights: Record<string, number>): HttpRoute[] {
  const out = structuredClone(http) as HttpRoute[];
  const route = [...out].reverse().find((r) => !r.match || r.match.length === 0);
  if (!route?.route) throw new Error("the VirtualService has no default route");
  for (const d of route.route) {
    const w = d.destination.subset !== undefined ? weights[d.destination.subset] : undefined;
    if (w === undefined) throw new Error(`no weight for subset ${d.destination.subset ?? "(none)"}`);
    d.weight = w;
  }
  return out;
}

/** Default-route weights by subset, as the VirtualService says. */
export function defaultWeightsOf(vs: VirtualServiceObject): Record<string, number> {
  const route = [...(vs.spec.http ?? [])].reverse().find((r) => !r.match || r.match.length === 0);
  const out: Record<string, number> = {};
  for (const d of route?.route ?? [])
    out[d.destination.subset ?? ""] = d.weight ?? (route?.route?.length === 1 ? 100 : 0);
  return out;
}
