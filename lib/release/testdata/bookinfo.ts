// Istio Bookinfo's `reviews` objects as the samples define them (bookinfo.yaml,
// destination-rule-all.yaml, virtual-service-all-v1.yaml and the traffic-shifting samples),
// dressed with the server-populated metadata a live read returns. Test data only.
import type { Deployment, DestinationRule, HTTPRoute, Service, ServiceClusterState, VirtualService } from "../types";

export const NS = "bookinfo";

export function reviewsDeployment(version = "v1", overrides: { replicas?: number; ready?: number; name?: string } = {}): Deployment {
  const name = overrides.name ?? `reviews-${version}`;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace: NS,
      labels: { app: "reviews", version },
      annotations: { "deployment.kubernetes.io/revision": "1" },
      uid: `uid-${name}`,
      resourceVersion: "1001",
      generation: 1,
      creationTimestamp: "2025-01-01T00:00:00Z",
      managedFields: [{ manager: "kubectl", operation: "Update" }],
    },
    spec: {
      replicas: overrides.replicas ?? 1,
      selector: { matchLabels: { app: "reviews", version } },
      template: {
        metadata: { labels: { app: "reviews", version } },
        spec: {
          serviceAccountName: "bookinfo-reviews",
          containers: [
            {
              name: "reviews",
              image: `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.2`,
              imagePullPolicy: "IfNotPresent",
              env: [{ name: "LOG_DIR", value: "/tmp/logs" }],
              ports: [{ containerPort: 9080 }],
              volumeMounts: [
                { name: "tmp", mountPath: "/tmp" },
                { name: "wlp-output", mountPath: "/opt/ibm/wlp/output" },
              ],
            },
          ],
          volumes: [
            { name: "wlp-output", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
    status: { replicas: overrides.replicas ?? 1, readyReplicas: overrides.ready ?? overrides.replicas ?? 1 },
  };
}

export function reviewsService(): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "reviews", namespace: NS, labels: { app: "reviews", service: "reviews" }, resourceVersion: "900" },
    spec: { ports: [{ port: 9080, name: "http" }], selector: { app: "reviews" } },
  };
}

export function reviewsDestinationRule(): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "reviews", namespace: NS, resourceVersion: "2001", uid: "uid-dr", generation: 1 },
    spec: {
      host: "reviews",
      subsets: [
        { name: "v1", labels: { version: "v1" } },
        { name: "v2", labels: { version: "v2" } },
        { name: "v3", labels: { version: "v3" } },
      ],
    },
  };
}

function vs(http: HTTPRoute[]): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: NS, resourceVersion: "3001", uid: "uid-vs", generation: 1, managedFields: [{ manager: "kubectl" }] },
    spec: { hosts: ["reviews"], http },
  };
}

/** virtual-service-all-v1.yaml */
export const vsAllV1 = () => vs([{ route: [{ destination: { host: "reviews", subset: "v1" } }] }]);

/** virtual-service-reviews-80-20.yaml */
export const vs8020 = () =>
  vs([
    {
      route: [
        { destination: { host: "reviews", subset: "v1" }, weight: 80 },
        { destination: { host: "reviews", subset: "v2" }, weight: 20 },
      ],
    },
  ]);

/** virtual-service-reviews-50-v3.yaml */
export const vs5050 = () =>
  vs([
    {
      route: [
        { destination: { host: "reviews", subset: "v1" }, weight: 50 },
        { destination: { host: "reviews", subset: "v3" }, weight: 50 },
      ],
    },
  ]);

/** virtual-service-reviews-jason-v2-v1.yaml */
export const vsJason = () =>
  vs([
    { match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
    { route: [{ destination: { host: "reviews", subset: "v1" } }] },
  ]);

/** Mirroring task's shape: all traffic to v1, 50% mirrored to v2. */
export const vsMirror = () =>
  vs([{ route: [{ destination: { host: "reviews", subset: "v1" }, weight: 100 }], mirror: { host: "reviews", subset: "v2" }, mirrorPercentage: { value: 50 } }]);

/**
 * A VS someone else maintains: a second host, a match route for another header with retries and
 * fault injection, a rewrite route, and a default route with a timeout - all must survive adoption.
 */
export const vsBusy = (): VirtualService => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: NS, resourceVersion: "3002", uid: "uid-vs2", annotations: { owner: "team-reviews" } },
  spec: {
    hosts: ["reviews", "reviews.bookinfo.example.com"],
    gateways: ["mesh", "bookinfo-gateway"],
    http: [
      {
        name: "qa",
        match: [{ headers: { "x-qa": { exact: "yes" } } }],
        retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx" },
        fault: { delay: { percentage: { value: 10 }, fixedDelay: "5s" } },
        route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v1", port: { number: 9080 } } }],
      },
      {
        name: "legacy-api",
        match: [{ uri: { prefix: "/legacy" } }],
        rewrite: { uri: "/api" },
        route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v1", port: { number: 9080 } } }],
      },
      {
        name: "default",
        timeout: "10s",
        retries: { attempts: 2 },
        route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v1", port: { number: 9080 } } }],
      },
    ],
    exportTo: ["."],
  },
});

export function bookinfo(over: Partial<ServiceClusterState> = {}): ServiceClusterState {
  return {
    namespace: NS,
    service: reviewsService(),
    deployments: [reviewsDeployment("v1")],
    destinationRule: reviewsDestinationRule(),
    virtualService: vsAllV1(),
    istioAvailable: true,
    ...over,
  };
}
