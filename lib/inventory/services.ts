import "server-only";
import type { Deployment, DestinationRule, Service, ServiceClusterState, VirtualService } from "@/lib/release/types";
import { groupVersions } from "@/lib/release/routing";
import { readServiceRouting } from "@/lib/release/routing/reading";
import type { HTTPRouteObject } from "@/lib/release/routing/gateway-api-types";
import { readEntryRoutes } from "@/lib/release/entry-routes";
import type { K8sClients } from "@/lib/k8s/client";
import { K8sError } from "@/lib/k8s/errors";
import { call, plain } from "@/lib/k8s/resources";
import {
  deploymentsOfService,
  listDeployments,
  listHttpRoutes,
  listServices,
  namespaceExists,
  pickDestinationRule,
  pickVirtualService,
  readNamespaceIstio,
  readService,
  readServiceClusterState,
  versionServicesOf,
} from "@/lib/k8s/state";
import { NotFound, fieldDetail } from "@/lib/tasks/errors";
import { localized } from "@/lib/i18n/localized";
import type { ActiveTaskRef, ServiceOverview, ServicesResponse, ServiceResponse } from "./views";

// Read model of a namespace's services: versions (workloads grouped by app+version) and
// the routing their VirtualService configures. One list call per kind, joined in memory.

/** What a namespace's routing is made of besides Istio's: its HTTPRoutes (null: no Gateway API CRDs) and Services. */
interface GatewayObjects {
  httpRoutes: HTTPRouteObject[] | null;
  services: Service[];
}

function overview(
  svc: Service,
  deployments: Deployment[],
  vss: VirtualService[],
  drs: DestinationRule[],
  namespace: string,
  activeTask: ActiveTaskRef | null,
  gw: GatewayObjects,
): ServiceOverview {
  const name = svc.metadata.name;
  const dr = pickDestinationRule(drs, name, namespace);
  const vs = pickVirtualService(vss, name, namespace);
  const routingCluster = {
    namespace,
    service: svc,
    deployments,
    virtualService: vs,
    destinationRule: dr,
    istioAvailable: true,
    httpRoutes: gw.httpRoutes ?? [],
    gatewayApiAvailable: gw.httpRoutes !== null,
    versionServices: versionServicesOf(gw.services, svc),
  };
  return {
    name,
    namespace,
    ports: (svc.spec.ports ?? []).map((p) => ({
      port: p.port,
      ...(p.name ? { name: p.name } : {}),
      ...(typeof p.protocol === "string" ? { protocol: p.protocol } : {}),
    })),
    selector: svc.spec.selector ?? {},
    versions: groupVersions(deploymentsOfService(deployments, svc), name),
    routing: readServiceRouting(routingCluster),
    entryRoutes: readEntryRoutes(
      { virtualService: null, virtualServices: vss },
      name,
      namespace,
      dr,
      vs?.metadata.name ?? null,
    ),
    destinationRule: dr ? { name: dr.metadata.name, subsets: (dr.spec.subsets ?? []).map((s) => s.name) } : null,
    activeTask,
  };
}

export type ActiveTaskLookup = (namespace: string) => Promise<Map<string, ActiveTaskRef>>;

export async function listServiceOverviews(
  c: K8sClients,
  namespace: string,
  activeTasks: ActiveTaskLookup,
): Promise<ServicesResponse> {
  // Listing a namespace that does not exist answers an empty list, so existence is asked too,
  // in the same round trip rather than before it.
  const [exists, svcList, deployments, istio, tasks, httpRoutes] = await Promise.all([
    namespaceExists(c, namespace),
    call(`list Services in ${namespace}`, (o) => c.core.listNamespacedService({ namespace }, o)),
    listDeployments(c, namespace),
    readNamespaceIstio(c, namespace),
    activeTasks(namespace),
    listHttpRoutes(c, namespace),
  ]);
  if (!exists) throw namespaceNotFound(namespace);
  const services = plain<{ items: Service[] }>(svcList).items.sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
  const gw = { httpRoutes, services };
  return {
    namespace,
    istioAvailable: istio.istioAvailable,
    services: services.map((s) =>
      overview(
        s,
        deployments,
        istio.virtualServices,
        istio.destinationRules,
        namespace,
        tasks.get(s.metadata.name) ?? null,
        gw,
      ),
    ),
  };
}

/**
 * After a Service read answered 404: the error naming which of the two is missing. The
 * namespace is only asked about on this failure path, never before a read that succeeds.
 */
export async function missingServiceError(c: K8sClients, namespace: string, service: string): Promise<NotFound> {
  if (!(await namespaceExists(c, namespace))) return namespaceNotFound(namespace);
  return new NotFound(localized("err.inventory.serviceNotFound", { service, namespace }), [
    fieldDetail("service", localized("err.inventory.notFound")),
  ]);
}

function namespaceNotFound(namespace: string): NotFound {
  return new NotFound(localized("err.inventory.namespaceNotFound", { namespace }), [
    fieldDetail("namespace", localized("err.inventory.notFound")),
  ]);
}

/** The planner's view of one service, or the 404 that names the missing namespace or service. */
export async function readServiceStateOr404(
  c: K8sClients,
  namespace: string,
  service: string,
): Promise<ServiceClusterState> {
  try {
    return await readServiceClusterState(c, namespace, service);
  } catch (err) {
    throw err instanceof K8sError && err.kind === "not_found" ? await missingServiceError(c, namespace, service) : err;
  }
}

export async function getServiceOverview(
  c: K8sClients,
  namespace: string,
  name: string,
  activeTasks: ActiveTaskLookup,
): Promise<ServiceResponse> {
  const [svc, deployments, istio, tasks, gwRoutes, services] = await Promise.all([
    readService(c, namespace, name).catch(async (err) => {
      throw err instanceof K8sError && err.kind === "not_found" ? await missingServiceError(c, namespace, name) : err;
    }),
    listDeployments(c, namespace),
    readNamespaceIstio(c, namespace),
    activeTasks(namespace),
    listHttpRoutes(c, namespace),
    listServices(c, namespace),
  ]);
  const gw = { httpRoutes: gwRoutes, services };
  return {
    istioAvailable: istio.istioAvailable,
    service: overview(
      svc,
      deployments,
      istio.virtualServices,
      istio.destinationRules,
      namespace,
      tasks.get(name) ?? null,
      gw,
    ),
  };
}
