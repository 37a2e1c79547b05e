// The local control plane (dev/scripts/cluster.sh) is a real Kubernetes API with Istio's
// real CRD schemas, and KWOK makes pods Ready: the ground every other integration test
// stands on. Run with the cluster up:
//   KUBECONFIG=$PWD/.local/kubeconfig npx vitest run --project integration test/integration/cluster.int.test.ts
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiErrorCode,
  apiErrorMessage,
  createTestNamespace,
  loadKubeConfig,
  waitFor,
  type TestNamespace,
} from "./helpers/cluster";

const ISTIO = { group: "networking.istio.io", version: "v1" } as const;

interface Condition {
  type: string;
  status: string;
}
interface HttpRoute {
  route?: { destination?: { host?: string; subset?: string }; weight?: number }[];
}
interface VirtualServiceBody {
  spec?: { hosts?: string[]; http?: HttpRoute[] };
}
interface DestinationRuleBody {
  spec?: { host?: string; subsets?: { name: string; labels?: Record<string, string> }[] };
}

const kc = loadKubeConfig();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

function virtualService(name: string, weights: [unknown, unknown]): Record<string, unknown> {
  return {
    apiVersion: `${ISTIO.group}/${ISTIO.version}`,
    kind: "VirtualService",
    metadata: { name },
    spec: {
      hosts: [name],
      http: [
        {
          route: [
            { destination: { host: name, subset: "stable" }, weight: weights[0] },
            { destination: { host: name, subset: "canary" }, weight: weights[1] },
          ],
        },
      ],
    },
  };
}

describe("local cluster", () => {
  let ns: TestNamespace;

  beforeAll(async () => {
    ns = await createTestNamespace(kc, "it-cluster");
  });
  afterAll(async () => {
    await ns?.delete();
  });

  it("schedules a Deployment onto KWOK nodes and its pods become Running and Ready", async () => {
    const replicas = 3;
    const labels = { app: "web", version: "v1" };
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: "web", labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "web", image: "docker.io/library/nginx:1.27" }] },
          },
        },
      },
    });

    const deployment = await waitFor(
      async () => {
        const d = await apps.readNamespacedDeployment({ namespace: ns.name, name: "web" });
        return d.status?.readyReplicas === replicas ? d : undefined;
      },
      { timeoutMs: 60_000, description: "deployment web to have 3 ready replicas" },
    );
    expect(deployment.status?.availableReplicas).toBe(replicas);

    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=web" });
    expect(pods.items).toHaveLength(replicas);
    const nodes = await core.listNode({ labelSelector: "type=kwok" });
    const kwokNodeNames = new Set(nodes.items.map((n) => n.metadata?.name));
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe("Running");
      const ready = (pod.status?.conditions ?? []).find((c: Condition) => c.type === "Ready");
      expect(ready?.status).toBe("True");
      expect(kwokNodeNames.has(pod.spec?.nodeName)).toBe(true);
      expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
  });

  it("honours readinessGates: KWOK reports the gate condition so the pod turns Ready", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "gated" },
        spec: {
          readinessGates: [{ conditionType: "gray-console.dev/traffic-shifted" }],
          containers: [{ name: "app", image: "docker.io/library/nginx:1.27" }],
        },
      },
    });
    const pod = await waitFor(
      async () => {
        const p = await core.readNamespacedPod({ namespace: ns.name, name: "gated" });
        const ready = p.status?.conditions?.find((c: Condition) => c.type === "Ready");
        return ready?.status === "True" ? p : undefined;
      },
      { timeoutMs: 30_000, description: "pod gated Ready" },
    );
    const gate = pod.status?.conditions?.find((c: Condition) => c.type === "gray-console.dev/traffic-shifted");
    expect(gate?.status).toBe("True");
  });

  it("rejects a VirtualService whose weight is a string, by Istio's CRD schema (422)", async () => {
    let caught: unknown;
    try {
      await custom.createNamespacedCustomObject({
        ...ISTIO,
        namespace: ns.name,
        plural: "virtualservices",
        body: virtualService("bad-weights", ["50", "50"]),
      });
    } catch (err) {
      caught = err;
    }
    expect(caught, "the API server accepted an invalid VirtualService").toBeDefined();
    expect(apiErrorCode(caught)).toBe(422);
    const message = apiErrorMessage(caught);
    expect(message).toContain("spec.http[0].route[0].weight");
    expect(message).toMatch(/must be of type integer/);
  });

  it("accepts a valid VirtualService and stores its weights as given", async () => {
    await custom.createNamespacedCustomObject({
      ...ISTIO,
      namespace: ns.name,
      plural: "virtualservices",
      body: virtualService("good-weights", [90, 10]),
    });
    const stored = (await custom.getNamespacedCustomObject({
      ...ISTIO,
      namespace: ns.name,
      plural: "virtualservices",
      name: "good-weights",
    })) as VirtualServiceBody;
    expect(stored.spec?.http?.[0]?.route?.map((r) => r.weight)).toEqual([90, 10]);
  });

  it("serves the ValidatingAdmissionPolicy API (admission guards can rely on it)", async () => {
    const policies = await kc.makeApiClient(k8s.AdmissionregistrationV1Api).listValidatingAdmissionPolicy();
    expect(Array.isArray(policies.items)).toBe(true);
  });
});

describe("Bookinfo seed", () => {
  const namespace = "bookinfo";

  it("has the four v1 Deployments Ready", async () => {
    const list = await apps.listNamespacedDeployment({ namespace });
    const byName = new Map(list.items.map((d) => [d.metadata?.name, d]));
    for (const name of ["productpage-v1", "details-v1", "reviews-v1", "ratings-v1"]) {
      const d = byName.get(name);
      expect(d, `deployment ${name}`).toBeDefined();
      expect(d?.metadata?.labels?.version).toBe("v1");
      expect(d?.status?.readyReplicas ?? 0).toBeGreaterThanOrEqual(1);
      expect(d?.status?.readyReplicas).toBe(d?.spec?.replicas);
    }
    const services = await core.listNamespacedService({ namespace });
    for (const svc of ["productpage", "details", "reviews", "ratings"]) {
      const s = services.items.find((x) => x.metadata?.name === svc);
      expect(s?.spec?.selector).toEqual({ app: svc });
      expect(s?.spec?.ports?.[0]?.port).toBe(9080);
    }
  });

  it("has the reviews DestinationRule with subsets v1, v2, v3 by version label", async () => {
    const dr = (await custom.getNamespacedCustomObject({
      ...ISTIO,
      namespace,
      plural: "destinationrules",
      name: "reviews",
    })) as DestinationRuleBody;
    expect(dr.spec?.host).toBe("reviews");
    expect(dr.spec?.subsets?.map((s) => [s.name, s.labels?.version])).toEqual([
      ["v1", "v1"],
      ["v2", "v2"],
      ["v3", "v3"],
    ]);
  });

  it("routes 100% of reviews traffic to subset v1", async () => {
    const vs = (await custom.getNamespacedCustomObject({
      ...ISTIO,
      namespace,
      plural: "virtualservices",
      name: "reviews",
    })) as VirtualServiceBody;
    const http = vs.spec?.http ?? [];
    expect(http).toHaveLength(1);
    const routes = http[0]?.route ?? [];
    expect(routes).toHaveLength(1);
    expect(routes[0]?.destination).toEqual({ host: "reviews", subset: "v1" });
    // A lone destination carries no weight: Istio reads it as 100%.
    expect(routes[0]).not.toHaveProperty("weight");
  });
});
