// Which routing backend a task uses when its spec does not say (routing.backend omitted): the one
// the service is already routed by. An HTTPRoute that attaches to the service (GAMMA) or sends to
// it -> gateway-api; else a VirtualService for it -> istio; else istio, as before there was a
// choice (the planner falls back to replica ratios where Istio is not installed). PURE.
import type { ServiceClusterState } from "../types";
import type { RoutingBackendName } from "./backend";
import { pickRoute } from "./gateway-api-objects";

export function detectBackend(cluster: ServiceClusterState): RoutingBackendName {
  if (cluster.gatewayApiAvailable !== false && pickRoute(cluster) !== null) return "gateway-api";
  return "istio";
}
