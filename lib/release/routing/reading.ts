// The routing of a service as the API and the UI show it, whichever router carries it: the
// reading routing.ts makes of a VirtualService, or the gateway-api backend's of an HTTPRoute, with
// `router` saying which (the UI's router badge). PURE.
import { readRouting, type RoutingReading } from "../routing";
import type { ServiceClusterState } from "../types";
import type { RoutingBackendName } from "./backend";
import { detectBackend } from "./detect";
import { gatewayApiBackend } from "./gateway-api";

type RoutingCluster = Pick<
  ServiceClusterState,
  | "namespace"
  | "service"
  | "virtualService"
  | "destinationRule"
  | "httpRoutes"
  | "versionServices"
  | "gatewayApiAvailable"
  | "istioAvailable"
  | "deployments"
>;

/** The service's routing read from `backend`'s objects (detected from the cluster when not given). */
export function readServiceRouting(
  cluster: RoutingCluster,
  backend: RoutingBackendName = detectBackend(cluster as ServiceClusterState),
): RoutingReading {
  const name = cluster.service.metadata.name;
  if (backend === "gateway-api") {
    const r = gatewayApiBackend.read(cluster as ServiceClusterState, name);
    return {
      virtualService: null,
      defaultRoute: r.defaultRoute,
      matchRoutes: r.matchRoutes,
      router: { backend, kind: "HTTPRoute", name: r.object?.name ?? null },
    };
  }
  if (backend === "none")
    return {
      virtualService: null,
      defaultRoute: null,
      matchRoutes: [],
      note: "no VirtualService",
      router: { backend, kind: null, name: null },
    };
  const vs = cluster.virtualService;
  return {
    ...readRouting(vs, name, cluster.namespace, cluster.destinationRule),
    router: { backend, kind: vs ? "VirtualService" : null, name: vs?.metadata.name ?? null },
  };
}
