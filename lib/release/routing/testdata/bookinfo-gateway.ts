// Bookinfo's `reviews` routed by the Gateway API, as Istio's samples do it
// (samples/bookinfo/platform/kube/bookinfo-versions.yaml: one Service per version;
// samples/bookinfo/gateway-api/route-reviews-v1.yaml: an HTTPRoute attached to the reviews
// Service, GAMMA), in the form a live read returns: with the API server's defaults written out
// (rules[].matches PathPrefix "/", backendRef group "" and kind Service) and server metadata.
// Test data only.
import { bookinfo, NS } from "../../testdata/bookinfo";
import type { Service, ServiceClusterState } from "../../types";
import type { HTTPBackendRef, HTTPRouteObject, HTTPRouteRule } from "../gateway-api-types";

export { NS };

export function versionService(
  version: string,
  selector: Record<string, string> = { app: "reviews", version },
): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `reviews-${version}`, namespace: NS, resourceVersion: "950", uid: `uid-svc-${version}` },
    spec: { ports: [{ port: 9080, name: "http", protocol: "TCP", targetPort: 9080 }], selector },
  };
}

export const ref = (name: string, weight?: number): HTTPBackendRef => ({
  group: "",
  kind: "Service",
  name,
  port: 9080,
  ...(weight === undefined ? {} : { weight }),
});

/** route-reviews-v1.yaml as read back: one rule, all to reviews-v1 (weight defaulted to 1). */
export function allV1Rule(): HTTPRouteRule {
  return { matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [ref("reviews-v1", 1)] };
}

/** route-reviews-testuser.yaml's jason rule, with extras the console must carry over untouched. */
export function jasonRule(): HTTPRouteRule {
  return {
    name: "jason-to-v2",
    matches: [
      { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "end-user", value: "jason" }] },
    ],
    backendRefs: [ref("reviews-v2", 1)],
    timeouts: { request: "10s" },
    retry: { attempts: 2 },
  };
}

export function reviewsRoute(
  rules: HTTPRouteRule[] = [allV1Rule()],
  parentRefs: HTTPRouteObject["spec"]["parentRefs"] = [{ group: "", kind: "Service", name: "reviews", port: 9080 }],
): HTTPRouteObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: {
      name: "reviews",
      namespace: NS,
      resourceVersion: "3001",
      uid: "uid-httproute",
      generation: 1,
      managedFields: [{ manager: "kubectl" }],
    },
    spec: { parentRefs, rules },
    status: { parents: [] },
  };
}

/** Bookinfo with reviews routed by `route` (no VirtualService), the per-version Services of bookinfo-versions.yaml. */
export function gatewayBookinfo(
  route: HTTPRouteObject | null = reviewsRoute(),
  services: Service[] = ["v1", "v2", "v3"].map((v) => versionService(v)),
): ServiceClusterState {
  const base = bookinfo();
  return {
    ...base,
    virtualService: null,
    virtualServices: [],
    httpRoutes: route ? [route] : [],
    versionServices: services,
    gatewayApiAvailable: true,
  };
}
