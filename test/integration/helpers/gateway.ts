// Bookinfo's `reviews` routed by the Gateway API instead of Istio's VirtualService, as Istio's
// own samples do it: the per-version Service reviews-v1 (samples/bookinfo/platform/kube/
// bookinfo-versions.yaml) and an HTTPRoute attached to the reviews Service (GAMMA,
// samples/bookinfo/gateway-api/route-reviews-v1.yaml), in a test namespace of its own.
import { spawnSync } from "node:child_process";
import { bookinfoObjects, type Kube } from "./bookinfo";
import { waitFor } from "./cluster";

export const GATEWAY = { group: "gateway.networking.k8s.io", version: "v1" } as const;

export const backendRef = (name: string, weight?: number) => ({
  group: "",
  kind: "Service",
  name,
  port: 9080,
  ...(weight === undefined ? {} : { weight }),
});

/** route-reviews-v1.yaml's rule as the API server stores it (defaults written out). */
export const allV1Rule = () => ({
  matches: [{ path: { type: "PathPrefix", value: "/" } }],
  backendRefs: [backendRef("reviews-v1", 1)],
});

export function reviewsRoute(namespace: string, rules: unknown[] = [allV1Rule()]) {
  return {
    apiVersion: `${GATEWAY.group}/${GATEWAY.version}`,
    kind: "HTTPRoute",
    metadata: { name: "reviews", namespace },
    spec: { parentRefs: [{ group: "", kind: "Service", name: "reviews", port: 9080 }], rules },
  };
}

/** reviews (Service, ServiceAccount, reviews-v1 Deployment), the Service reviews-v1 and the HTTPRoute; no Istio objects. */
export async function seedReviewsGateway(k: Kube, namespace: string, rules?: unknown[]): Promise<void> {
  for (const o of bookinfoObjects("reviews").workloads) {
    const body = { ...o, metadata: { ...o.metadata, namespace } };
    if (o.kind === "Service") await k.core.createNamespacedService({ namespace, body });
    else if (o.kind === "ServiceAccount") await k.core.createNamespacedServiceAccount({ namespace, body });
    else if (o.kind === "Deployment") await k.apps.createNamespacedDeployment({ namespace, body });
  }
  const v1 = {
    metadata: { name: "reviews-v1", namespace, labels: { app: "reviews", version: "v1" } },
    spec: { ports: [{ port: 9080, name: "http" }], selector: { app: "reviews", version: "v1" } },
  };
  await k.core.createNamespacedService({ namespace, body: v1 });
  await k.custom.createNamespacedCustomObject({
    ...GATEWAY,
    namespace,
    plural: "httproutes",
    body: reviewsRoute(namespace, rules),
  });
  await waitFor(
    async () =>
      ((await k.apps.readNamespacedDeployment({ namespace, name: "reviews-v1" })).status?.readyReplicas ?? 0) >= 1,
    { description: "reviews-v1 Ready", timeoutMs: 60_000 },
  );
}

/** `kubectl get <kind> <name> -n <ns> -o json`, parsed: the object exactly as kubectl shows it. */
export function kubectlGet(kind: string, namespace: string, name: string): any | null {
  const r = spawnSync("kubectl", ["get", kind, name, "-n", namespace, "-o", "json"], { encoding: "utf8" });
  if (r.status !== 0) {
    if (/NotFound/.test(r.stderr)) return null;
    throw new Error(`kubectl get ${kind} ${name} -n ${namespace}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

export const getRoute = (namespace: string, name = "reviews") => kubectlGet("httproute", namespace, name);

/** The weight per backendRef of the rule named `rule` (the task's default rule is gc-<task>-default). */
export function ruleWeights(route: any, rule: string): Record<string, number> {
  const r = (route.spec.rules as any[]).find((x) => x.name === rule);
  return Object.fromEntries((r?.backendRefs ?? []).map((b: any) => [b.name, b.weight ?? 1]));
}
