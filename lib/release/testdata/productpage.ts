// Istio Bookinfo's entry service as the samples define it (bookinfo.yaml, destination-rule-all.yaml,
// virtual-service-all-v1.yaml) plus bookinfo-gateway.yaml's gateway-bound `bookinfo`
// VirtualService, dressed with the server-populated metadata a live read returns. Test data only.
import { TaskSpecSchema, type TaskSpec } from "../spec";
import type { Deployment, DestinationRule, HTTPRoute, Service, ServiceClusterState, VirtualService } from "../types";
import { NS } from "./bookinfo";

export const PRODUCTPAGE_IMAGE = "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2";

export function productpageDeployment(version = "v1"): Deployment {
  const name = `productpage-${version}`;
  const labels = { app: "productpage", version };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: NS, labels, uid: `uid-${name}`, resourceVersion: "1101", generation: 1 },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9080", "prometheus.io/path": "/metrics" } },
        spec: {
          serviceAccountName: "bookinfo-productpage",
          containers: [{ name: "productpage", image: PRODUCTPAGE_IMAGE, imagePullPolicy: "IfNotPresent", ports: [{ containerPort: 9080 }], volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] }],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
    status: { replicas: 1, readyReplicas: 1 },
  };
}

function productpageService(): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "productpage", namespace: NS, labels: { app: "productpage", service: "productpage" }, resourceVersion: "910" },
    spec: { ports: [{ port: 9080, name: "http" }], selector: { app: "productpage" } },
  };
}

function productpageDestinationRule(): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "productpage", namespace: NS, resourceVersion: "2101", uid: "uid-dr-pp", generation: 1 },
    spec: { host: "productpage", subsets: [{ name: "v1", labels: { version: "v1" } }] },
  };
}

/** virtual-service-all-v1.yaml: the mesh VirtualService (sidecars only). */
function productpageMeshVs(): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "productpage", namespace: NS, resourceVersion: "3101", uid: "uid-vs-pp", generation: 1 },
    spec: { hosts: ["productpage"], http: [{ route: [{ destination: { host: "productpage", subset: "v1" } }] }] },
  };
}

/** bookinfo-gateway.yaml's route: Bookinfo's paths to productpage, no subset, port 9080. */
export const BOOKINFO_ENTRY_ROUTE: HTTPRoute = {
  match: [{ uri: { exact: "/productpage" } }, { uri: { prefix: "/static" } }, { uri: { exact: "/login" } }, { uri: { exact: "/logout" } }, { uri: { prefix: "/api/v1/products" } }],
  route: [{ destination: { host: "productpage", port: { number: 9080 } } }],
};

/** bookinfo-gateway.yaml's VirtualService: bound to bookinfo-gateway, so only the ingress gateway applies it. */
export function bookinfoGatewayVs(http: HTTPRoute[] = [BOOKINFO_ENTRY_ROUTE]): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "bookinfo", namespace: NS, resourceVersion: "4101", uid: "uid-vs-bookinfo", generation: 1, managedFields: [{ manager: "kubectl" }] },
    spec: { hosts: ["*"], gateways: ["bookinfo-gateway"], http: structuredClone(http) },
  };
}

/** productpage v1 at 100% for the sidecars, and users entering through bookinfo-gateway. */
export function productpage(gateway: VirtualService | null = bookinfoGatewayVs()): ServiceClusterState {
  const mesh = productpageMeshVs();
  return {
    namespace: NS,
    service: productpageService(),
    deployments: [productpageDeployment("v1")],
    destinationRule: productpageDestinationRule(),
    virtualService: mesh,
    virtualServices: gateway ? [mesh, gateway] : [mesh],
    istioAvailable: true,
  };
}

export function productpageSpec(strategy: TaskSpec["strategy"], extra: Record<string, unknown> = {}): TaskSpec {
  return TaskSpecSchema.parse({ name: "pp", namespace: NS, service: "productpage", strategy, newVersion: { version: "v2", image: PRODUCTPAGE_IMAGE }, ...extra });
}
