// Seeds Istio's Bookinfo `reviews` (the exact objects of dev/bookinfo, i.e. Istio's samples)
// into a test namespace, so each test starts from "reviews v1 at 100%" on its own.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import * as k8s from "@kubernetes/client-node";
import { waitFor } from "./cluster";

const dir = path.resolve(__dirname, "../../../dev/bookinfo");

function docs(file: string): any[] {
  return parseAllDocuments(readFileSync(path.join(dir, file), "utf8"))
    .map((d) => d.toJSON())
    .filter(Boolean);
}

export function bookinfoObjects(service: string): { workloads: any[]; destinationRule: any; virtualService: any } {
  const workloads = docs("10-bookinfo.yaml").filter(
    (o) =>
      o.metadata?.name === service ||
      o.metadata?.name === `${service}-v1` ||
      o.metadata?.name === `bookinfo-${service}`,
  );
  const destinationRule = docs("20-destination-rule-all.yaml").find((o) => o.metadata?.name === service);
  const virtualService = docs("30-virtual-service-all-v1.yaml").find((o) => o.metadata?.name === service);
  return { workloads, destinationRule, virtualService };
}

export const ISTIO = { group: "networking.istio.io", version: "v1" } as const;

export interface Kube {
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  custom: k8s.CustomObjectsApi;
}
export function kube(kc: k8s.KubeConfig): Kube {
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
  };
}

export async function seedReviews(
  k: Kube,
  namespace: string,
  opts: { istio?: boolean; virtualService?: any } = {},
): Promise<void> {
  const { workloads, destinationRule, virtualService } = bookinfoObjects("reviews");
  for (const o of workloads) {
    const body = { ...o, metadata: { ...o.metadata, namespace } };
    if (o.kind === "Service") await k.core.createNamespacedService({ namespace, body });
    else if (o.kind === "ServiceAccount") await k.core.createNamespacedServiceAccount({ namespace, body });
    else if (o.kind === "Deployment") await k.apps.createNamespacedDeployment({ namespace, body });
  }
  if (opts.istio !== false) {
    await k.custom.createNamespacedCustomObject({
      ...ISTIO,
      namespace,
      plural: "destinationrules",
      body: { ...destinationRule, metadata: { ...destinationRule.metadata, namespace } },
    });
    const vs = opts.virtualService ?? virtualService;
    await k.custom.createNamespacedCustomObject({
      ...ISTIO,
      namespace,
      plural: "virtualservices",
      body: { ...vs, metadata: { ...vs.metadata, namespace } },
    });
  }
  await waitFor(
    async () =>
      ((await k.apps.readNamespacedDeployment({ namespace, name: "reviews-v1" })).status?.readyReplicas ?? 0) >= 1,
    { description: "reviews-v1 Ready", timeoutMs: 60_000 },
  );
}

/**
 * Another version of reviews deployed by hand, outside any task (as a person following Istio's
 * tutorial would): `reviews-<version>`, a copy of reviews-v1 labelled version=<version>.
 */
export async function seedReviewsVersion(k: Kube, namespace: string, version: string): Promise<void> {
  const v1 = bookinfoObjects("reviews").workloads.find((o) => o.kind === "Deployment");
  const labels = { app: "reviews", version };
  const pod = v1.spec.template.spec;
  const containers = pod.containers.map((c: { image: string }) => ({
    ...c,
    image: c.image.replace(/-v1:/, `-${version}:`),
  }));
  const body = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `reviews-${version}`, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { ...pod, containers } },
    },
  };
  await k.apps.createNamespacedDeployment({ namespace, body });
}

/**
 * Bookinfo's reviews with another team's v3 beside v1: a Deployment reviews-v3 (Ready) and, first
 * in the VirtualService, a route that sends jason's requests to it (the console's tasks must treat
 * it as a foreign route / other traffic).
 */
export async function seedReviewsWithJasonOnV3(k: Kube, namespace: string): Promise<void> {
  const vs = bookinfoObjects("reviews").virtualService;
  const jasonToV3 = {
    match: [{ headers: { "end-user": { exact: "jason" } } }],
    route: [{ destination: { host: "reviews", subset: "v3" } }],
  };
  await seedReviews(k, namespace, {
    virtualService: { ...vs, spec: { ...vs.spec, http: [jasonToV3, ...vs.spec.http] } },
  });
  await seedReviewsVersion(k, namespace, "v3");
  await waitFor(async () => ((await tryDeployment(k, namespace, "reviews-v3"))?.status?.readyReplicas ?? 0) >= 1, {
    description: "reviews-v3 Ready",
    timeoutMs: 60_000,
  });
}

export async function getVS(k: Kube, namespace: string, name = "reviews"): Promise<any> {
  return k.custom.getNamespacedCustomObject({ ...ISTIO, namespace, plural: "virtualservices", name });
}
export async function getDR(k: Kube, namespace: string, name = "reviews"): Promise<any> {
  return k.custom.getNamespacedCustomObject({ ...ISTIO, namespace, plural: "destinationrules", name });
}
export async function deploymentNames(k: Kube, namespace: string): Promise<string[]> {
  return (await k.apps.listNamespacedDeployment({ namespace })).items.map((d) => d.metadata!.name!).sort();
}
export async function tryDeployment(k: Kube, namespace: string, name: string): Promise<k8s.V1Deployment | null> {
  try {
    return await k.apps.readNamespacedDeployment({ namespace, name });
  } catch (e: any) {
    if (e?.code === 404) return null;
    throw e;
  }
}

/** Default-route weights by subset, as the VirtualService says (a lone destination = 100). */
export function defaultWeights(vs: any): Record<string, number> {
  const http: any[] = vs.spec.http ?? [];
  const route = [...http].reverse().find((r) => !r.match || r.match.length === 0);
  const out: Record<string, number> = {};
  for (const d of route?.route ?? []) out[d.destination.subset] = d.weight ?? (route.route.length === 1 ? 100 : 0);
  return out;
}
