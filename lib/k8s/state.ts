import "server-only";
import type {
  Deployment,
  DestinationRule,
  HorizontalPodAutoscaler,
  ServiceClusterState,
  Service,
  VirtualService,
} from "@/lib/release/types";
import { concernsService, hostMatchesService, labelsInclude, templateLabels } from "@/lib/release/routing";
import { pickRoute, routeConcerns, versionOfService } from "@/lib/release/routing/gateway-api-objects";
import type { HTTPRouteObject } from "@/lib/release/routing/gateway-api-types";
import type { K8sClients } from "./client";
import { K8sError } from "./errors";
import { call, GATEWAY_GROUP, GATEWAY_VERSION, ISTIO_GROUP, ISTIO_VERSION, plain, readObject } from "./resources";

// Lists are served from the API server's watch cache (resourceVersion "0"): since Kubernetes
// 1.31 a LIST without a resourceVersion is a consistent read from that cache (KEP-2340), which
// waits until the cache has provably caught up with etcd. Right after a write to ANOTHER kind
// that proof takes an etcd progress notification: measured here, a Deployment LIST right after
// a VirtualService write took ~80 ms instead of ~5 ms, on every action. The cache is behind by
// milliseconds at most, and every object the console writes is then read again by a GET (a
// quorum read from etcd, ~3 ms) before planning, and written with a resourceVersion
// precondition, so a stale list can at worst cost a 409, never a lost update.
const FROM_CACHE = { resourceVersion: "0" } as const;

/** Lists an Istio kind in a namespace; null when the CRDs are not installed (a cluster without a mesh). */
async function listIstio<T>(c: K8sClients, namespace: string, plural: string): Promise<T[] | null> {
  try {
    const res = await call(`list ${plural} in ${namespace}`, (o) =>
      c.custom.listNamespacedCustomObject(
        { group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural, ...FROM_CACHE },
        o,
      ),
    );
    const kind = plural === "virtualservices" ? "VirtualService" : "DestinationRule";
    return (plain<{ items?: T[] }>(res).items ?? []).map((o) => ({
      apiVersion: `${ISTIO_GROUP}/${ISTIO_VERSION}`,
      kind,
      ...o,
    }));
  } catch (err) {
    if (err instanceof K8sError && err.kind === "not_found") return null;
    throw err;
  }
}

export interface NamespaceIstioObjects {
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  istioAvailable: boolean;
}

export async function readNamespaceIstio(c: K8sClients, namespace: string): Promise<NamespaceIstioObjects> {
  const [vss, drs] = await Promise.all([
    listIstio<VirtualService>(c, namespace, "virtualservices"),
    listIstio<DestinationRule>(c, namespace, "destinationrules"),
  ]);
  return { virtualServices: vss ?? [], destinationRules: drs ?? [], istioAvailable: vss !== null && drs !== null };
}

/**
 * HTTPRoutes of a namespace; null when the Gateway API CRDs are not installed, or when the reader
 * may not list them (a team's role written before the Gateway API): their services are then
 * treated as before there was a choice (Istio's), instead of every read failing.
 */
export async function listHttpRoutes(c: K8sClients, namespace: string): Promise<HTTPRouteObject[] | null> {
  try {
    const res = await call(`list httproutes in ${namespace}`, (o) =>
      c.custom.listNamespacedCustomObject(
        { group: GATEWAY_GROUP, version: GATEWAY_VERSION, namespace, plural: "httproutes", ...FROM_CACHE },
        o,
      ),
    );
    return (plain<{ items?: HTTPRouteObject[] }>(res).items ?? []).map((o) => ({
      ...o,
      apiVersion: `${GATEWAY_GROUP}/${GATEWAY_VERSION}`,
      kind: "HTTPRoute",
    }));
  } catch (err) {
    if (err instanceof K8sError && (err.kind === "not_found" || err.kind === "denied")) return null;
    throw err;
  }
}

export async function listServices(c: K8sClients, namespace: string): Promise<Service[]> {
  const res = await call(`list Services in ${namespace}`, (o) =>
    c.core.listNamespacedService({ namespace, ...FROM_CACHE }, o),
  );
  return plain<{ items: Service[] }>(res).items.map((s) => ({ ...s, apiVersion: "v1", kind: "Service" }));
}

/** Services that may stand for one version of `service` (gateway-api backendRefs): `<service>-*`, or selecting its pods plus a version. */
export function versionServicesOf(services: Service[], service: Service): Service[] {
  const name = service.metadata.name;
  return services.filter(
    (s) =>
      s.metadata.name !== name && (s.metadata.name.startsWith(`${name}-`) || versionOfService(s, service) !== null),
  );
}

/** The VirtualService that routes this service: one whose hosts include it; prefer the one named after it. */
export function pickVirtualService(vss: VirtualService[], service: string, namespace: string): VirtualService | null {
  const candidates = vss.filter((vs) => (vs.spec.hosts ?? []).some((h) => hostMatchesService(h, service, namespace)));
  return candidates.find((vs) => vs.metadata.name === service) ?? candidates[0] ?? null;
}

export function pickDestinationRule(
  drs: DestinationRule[],
  service: string,
  namespace: string,
): DestinationRule | null {
  const candidates = drs.filter((dr) => hostMatchesService(dr.spec.host, service, namespace));
  return candidates.find((dr) => dr.metadata.name === service) ?? candidates[0] ?? null;
}

export function deploymentsOfService(deployments: Deployment[], service: Service): Deployment[] {
  const selector =
    service.spec.selector && Object.keys(service.spec.selector).length > 0
      ? service.spec.selector
      : { app: service.metadata.name };
  return deployments.filter((d) => labelsInclude(templateLabels(d), selector));
}

// Items of a list response carry no apiVersion/kind; the planner's ops need both to say
// what they delete or replace, so every object leaves this module complete.
export async function readService(c: K8sClients, namespace: string, name: string): Promise<Service> {
  const svc = plain<Service>(
    await call(`read Service ${namespace}/${name}`, (o) => c.core.readNamespacedService({ namespace, name }, o)),
  );
  return { ...svc, apiVersion: "v1", kind: "Service" };
}

export async function listDeployments(c: K8sClients, namespace: string): Promise<Deployment[]> {
  const res = await call(`list Deployments in ${namespace}`, (o) =>
    c.apps.listNamespacedDeployment({ namespace, ...FROM_CACHE }, o),
  );
  return plain<{ items: Deployment[] }>(res).items.map((d) => ({ ...d, apiVersion: "apps/v1", kind: "Deployment" }));
}

/** HorizontalPodAutoscalers in a namespace: the planner refuses to fight one and copies it for a new version. */
export async function listHpas(c: K8sClients, namespace: string): Promise<HorizontalPodAutoscaler[]> {
  const res = await call(`list HorizontalPodAutoscalers in ${namespace}`, (o) =>
    c.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, ...FROM_CACHE }, o),
  );
  return plain<{ items: HorizontalPodAutoscaler[] }>(res).items.map((h) => ({
    ...h,
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
  }));
}

/** Everything the planner needs about one service, read in parallel. Throws K8sError not_found for an unknown service. */
export async function readServiceClusterState(
  c: K8sClients,
  namespace: string,
  serviceName: string,
): Promise<ServiceClusterState> {
  const [service, cachedDeployments, cachedIstio, hpas, cachedGateway] = await Promise.all([
    readService(c, namespace, serviceName),
    listDeployments(c, namespace),
    readNamespaceIstio(c, namespace),
    listHpas(c, namespace),
    readNamespaceGateway(c, namespace),
  ]);
  const { deployments, istio } = await refreshServiceObjects(c, namespace, service, cachedDeployments, cachedIstio);
  const gateway = await refreshGatewayObjects(c, namespace, service, cachedGateway);
  return {
    namespace,
    service,
    deployments: deploymentsOfService(deployments, service),
    destinationRule: pickDestinationRule(istio.destinationRules, serviceName, namespace),
    virtualService: pickVirtualService(istio.virtualServices, serviceName, namespace),
    // Every VS for the host or with a route to it, gateway-bound ones included (Bookinfo's `bookinfo`
    // has hosts ["*"]): the task follows their entry routes, and a foreign route may still send
    // traffic to a version it empties.
    virtualServices: istio.virtualServices.filter((vs) => concernsService(vs, serviceName, namespace)),
    hpas,
    istioAvailable: istio.istioAvailable,
    ...gateway,
  };
}

interface NamespaceGatewayObjects {
  httpRoutes: HTTPRouteObject[];
  services: Service[];
  gatewayApiAvailable: boolean;
}

async function readNamespaceGateway(c: K8sClients, namespace: string): Promise<NamespaceGatewayObjects> {
  const [routes, services] = await Promise.all([listHttpRoutes(c, namespace), listServices(c, namespace)]);
  return { httpRoutes: routes ?? [], services, gatewayApiAvailable: routes !== null };
}

/**
 * The gateway-api backend's objects of the service, its HTTPRoute (the picked one and the one named
 * after the service, which the console creates) and its per-version Services read again from etcd,
 * as refreshServiceObjects does for Istio's: the planner writes them with a resourceVersion precondition.
 */
async function refreshGatewayObjects(
  c: K8sClients,
  namespace: string,
  service: Service,
  cached: NamespaceGatewayObjects,
): Promise<Pick<ServiceClusterState, "httpRoutes" | "versionServices" | "gatewayApiAvailable">> {
  const scope = { namespace, service, versionServices: versionServicesOf(cached.services, service) };
  const routeNames = cached.gatewayApiAvailable
    ? [
        ...new Set([
          service.metadata.name,
          pickRoute({ ...scope, httpRoutes: cached.httpRoutes })?.metadata.name ?? service.metadata.name,
        ]),
      ]
    : [];
  const svcNames = scope.versionServices.map((s) => s.metadata.name);
  const [routes, svcs] = await Promise.all([
    Promise.all(routeNames.map((n) => readObject(c, "HTTPRoute", namespace, n))),
    Promise.all(svcNames.map((n) => readObject(c, "Service", namespace, n))),
  ]);
  const versionServices = withFresh(scope.versionServices, svcs as (Service | null)[], svcNames);
  const httpRoutes = withFresh(cached.httpRoutes, routes as (HTTPRouteObject | null)[], routeNames).filter((r) =>
    routeConcerns(r, { ...scope, versionServices }),
  );
  return { httpRoutes, versionServices, gatewayApiAvailable: cached.gatewayApiAvailable };
}

/** Replaces `list` entries by their fresh version (null = deleted); adds fresh ones the list lacked. */
function withFresh<T extends { metadata: { name: string } }>(list: T[], fresh: (T | null)[], names: string[]): T[] {
  const byName = new Map(names.map((n, i) => [n, fresh[i] ?? null]));
  const kept = list
    .filter((o) => !byName.has(o.metadata.name) || byName.get(o.metadata.name) !== null)
    .map((o) => byName.get(o.metadata.name) ?? o);
  const added = [...byName.values()].filter(
    (o): o is T => o !== null && !list.some((x) => x.metadata.name === o.metadata.name),
  );
  return [...kept, ...added];
}

/**
 * The objects the planner may write, read again from etcd (GET is a quorum read): the service's
 * Deployments, and its VirtualService and DestinationRule (the picked ones, and those named
 * after the service, which the console creates). Lists may lag by milliseconds; these must not.
 */
async function refreshServiceObjects(
  c: K8sClients,
  namespace: string,
  service: Service,
  deployments: Deployment[],
  istio: NamespaceIstioObjects,
) {
  const name = service.metadata.name;
  const depNames = deploymentsOfService(deployments, service).map((d) => d.metadata.name);
  const vsNames = istio.istioAvailable
    ? [...new Set([name, pickVirtualService(istio.virtualServices, name, namespace)?.metadata.name ?? name])]
    : [];
  const drNames = istio.istioAvailable
    ? [...new Set([name, pickDestinationRule(istio.destinationRules, name, namespace)?.metadata.name ?? name])]
    : [];
  const [deps, vss, drs] = await Promise.all([
    Promise.all(depNames.map((n) => readObject(c, "Deployment", namespace, n))),
    Promise.all(vsNames.map((n) => readObject(c, "VirtualService", namespace, n))),
    Promise.all(drNames.map((n) => readObject(c, "DestinationRule", namespace, n))),
  ]);
  return {
    deployments: withFresh(deployments, deps as (Deployment | null)[], depNames),
    istio: {
      ...istio,
      virtualServices: withFresh(istio.virtualServices, vss as (VirtualService | null)[], vsNames),
      destinationRules: withFresh(istio.destinationRules, drs as (DestinationRule | null)[], drNames),
    },
  };
}

export interface PodRow {
  labels: Record<string, string>;
  pod: { name: string; phase: string; ready: boolean; node: string | null; startedAt: string | null };
}

/** The service's pods (app=<service>), reduced to what the task page shows. */
export async function listServicePods(c: K8sClients, namespace: string, service: string): Promise<PodRow[]> {
  type RawPod = {
    metadata: { name: string; labels?: Record<string, string> };
    spec?: { nodeName?: string };
    status?: { phase?: string; startTime?: string; conditions?: { type: string; status: string }[] };
  };
  const res = plain<{ items: RawPod[] }>(
    await call(`list Pods in ${namespace}`, (o) =>
      c.core.listNamespacedPod({ namespace, labelSelector: `app=${service}`, ...FROM_CACHE }, o),
    ),
  );
  return res.items.map((p) => ({
    labels: p.metadata.labels ?? {},
    pod: {
      name: p.metadata.name,
      phase: p.status?.phase ?? "Unknown",
      ready: (p.status?.conditions ?? []).some((cond) => cond.type === "Ready" && cond.status === "True"),
      node: p.spec?.nodeName ?? null,
      startedAt: p.status?.startTime ?? null,
    },
  }));
}

export async function namespaceExists(c: K8sClients, namespace: string): Promise<boolean> {
  try {
    await call(`read Namespace ${namespace}`, (o) => c.core.readNamespace({ name: namespace }, o));
    return true;
  } catch (err) {
    if (err instanceof K8sError && err.kind === "not_found") return false;
    throw err;
  }
}
