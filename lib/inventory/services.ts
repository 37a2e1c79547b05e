import "server-only";
import type { Deployment, DestinationRule, Service, ServiceClusterState, VirtualService } from "@/lib/release/types";
import { groupVersions, readRouting } from "@/lib/release/routing";
import { readEntryRoutes } from "@/lib/release/entry-routes";
import type { K8sClients } from "@/lib/k8s/client";
import { K8sError } from "@/lib/k8s/errors";
import { call, plain } from "@/lib/k8s/resources";
import {
  deploymentsOfService,
  listDeployments,
  namespaceExists,
  pickDestinationRule,
  pickVirtualService,
  readNamespaceIstio,
  readService,
  readServiceClusterState,
} from "@/lib/k8s/state";
import { NotFound, fieldDetail } from "@/lib/tasks/errors";
import { localized } from "@/lib/i18n/localized";
import type { ActiveTaskRef, ServiceOverview, ServicesResponse, ServiceResponse } from "./views";

// Read model of a namespace's services: versions (workloads grouped by app+version) and
// the routing their VirtualService configures. One list call per kind, joined in memory.

function overview(
  svc: Service,
  deployments: Deployment[],
  vss: VirtualService[],
  drs: DestinationRule[],
  namespace: string,
  activeTask: ActiveTaskRef | null,
): ServiceOverview {
  const name = svc.metadata.name;
  const dr = pickDestinationRule(drs, name, namespace);
  const vs = pickVirtualService(vss, name, namespace);
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
    routing: readRouting(vs, name, namespace, dr),
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
  const [exists, svcList, deployments, istio, tasks] = await Promise.all([
    namespaceExists(c, namespace),
    call(`list Services in ${namespace}`, (o) => c.core.listNamespacedService({ namespace }, o)),
    listDeployments(c, namespace),
    readNamespaceIstio(c, namespace),
    activeTasks(namespace),
  ]);
  if (!exists) throw namespaceNotFound(namespace);
  const services = plain<{ items: Service[] }>(svcList).items.sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
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
  const [svc, deployments, istio, tasks] = await Promise.all([
    readService(c, namespace, name).catch(async (err) => {
      throw err instanceof K8sError && err.kind === "not_found" ? await missingServiceError(c, namespace, name) : err;
    }),
    listDeployments(c, namespace),
    readNamespaceIstio(c, namespace),
    activeTasks(namespace),
  ]);
  return {
    istioAvailable: istio.istioAvailable,
    service: overview(
      svc,
      deployments,
      istio.virtualServices,
      istio.destinationRules,
      namespace,
      tasks.get(name) ?? null,
    ),
  };
}
