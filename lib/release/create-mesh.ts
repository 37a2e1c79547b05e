// The routing writes that start a task on the mesh, in make-before-break order around the new
// Deployment: subsets first, the route to the new version only once its pods are Ready, and the
// ingress gateway's routes settled so none reaches the new pods early. PURE.
import {
  entriesSendTo,
  entryDestinations,
  entryRouteWrites,
  pinnedToBase,
  spreadsOverPods,
  takeEntryRoutes,
  withVirtualServiceWrites,
} from "./entry-routes";
import { fieldErrorOf } from "./errors";
import { routeSends } from "./foreign-routes";
import { clone } from "./json";
import type { PlanOp } from "./ops";
import type { WaitReadyOp } from "./readiness";
import { renderRouting } from "./routing-writes";
import { findDefaultRoute } from "./routing";
import type { TaskSpec } from "./spec";
import { strategyOf } from "./strategies";
import type { TaskStatus } from "./status";
import { subsetOf } from "./subsets";
import type { Deployment, ServiceClusterState, VirtualService, VirtualServiceSpec } from "./types";

export interface MeshSteps {
  /** Before the new Deployment exists: its subsets, and gateway routes settled so none reaches its pods early. */
  early: PlanOp[];
  /** After it: the subsets (unless early), the wait for its pods, the VS, the gateway routes' weights. */
  late: PlanOp[];
  status: TaskStatus;
}

/** The destination host (and port) of the default route found: every destination the task writes uses them. */
function adoptDestination(status: TaskStatus, cluster: ServiceClusterState): TaskStatus {
  const vs = cluster.virtualService;
  const d = vs ? findDefaultRoute(vs, status.service, cluster.namespace) : -1;
  const first = vs && d >= 0 ? vs.spec.http?.[d]?.route?.[0]?.destination : undefined;
  const created = {
    virtualService: !cluster.virtualService,
    destinationRule: !cluster.destinationRule,
    deployment: true,
  };
  if (!first) return { ...status, created };
  return {
    ...status,
    created,
    destinationHost: first.host,
    ...(first.port ? { destinationPort: clone(first.port) } : {}),
  };
}

/** DR subsets, then (only when something sends the new version traffic) the wait for its pods, then the VS and the entry routes. */
export function createMeshOps(
  spec: TaskSpec,
  cluster: ServiceClusterState,
  initial: TaskStatus,
  newDep: Deployment,
  ready: WaitReadyOp,
): MeshSteps {
  const adopted = adoptDestination(initial, cluster);
  const intent = strategyOf(spec.strategy).intent(spec, adopted, "create");
  const mesh = renderRouting(intent, adopted, cluster, {
    podSources: [...cluster.deployments, newDep],
    creating: true,
  });
  const rendered: TaskStatus = { ...adopted, ...mesh.status };
  const drOps = mesh.drOp ? [mesh.drOp] : [];
  const vsOps = mesh.vsOp ? [mesh.vsOp] : [];
  // Make before break: the route to the new version lands only once its pods are Ready.
  const vsWait = mesh.vsOp !== null && sendsToNew(mesh.vsSpec, rendered);
  const status: TaskStatus = { ...rendered, entryRoutes: takeEntryRoutes(spec, cluster, rendered) };
  const split = entryRouteWrites(status, cluster, (e) => entryDestinations(e, status, { weights: status.weights }));
  if (!entriesSendTo(split.entryRoutes, [subsetOf(status.subsets, status.newVersion)])) {
    // The gateway sends the new version nothing yet: its routes take their final form before its pods exist.
    const late = [...(vsWait ? [refuseNoPods(ready)] : []), ...vsOps];
    const done = { ...status, entryRoutes: split.entryRoutes };
    return split.ops.length > 0
      ? { early: [...drOps, ...split.ops], late, status: done }
      : { early: [], late: [...drOps, ...late], status: done };
  }
  // A gateway route without a subset would spread over the new pods as soon as they are Ready: it
  // is pinned to the base first, and gets the weights with the VS once the new pods are Ready.
  const pins = entryRouteWrites(status, cluster, (e) =>
    spreadsOverPods(e.applied) ? pinnedToBase(e, status) : e.applied,
  );
  const pinned = withVirtualServiceWrites(cluster, pins.ops);
  const weighted = entryRouteWrites({ ...status, entryRoutes: pins.entryRoutes }, pinned, (e) =>
    entryDestinations(e, status, { weights: status.weights }),
  );
  const done = { ...status, entryRoutes: weighted.entryRoutes };
  const late = [refuseNoPods(ready), ...vsOps, ...weighted.ops];
  return pins.ops.length > 0
    ? { early: [...drOps, ...pins.ops], late, status: done }
    : { early: [], late: [...drOps, ...late], status: done };
}

/** Does the task's part of the VS (default route, owned routes) send any request to the new version? */
function sendsToNew(vsSpec: VirtualServiceSpec, status: TaskStatus): boolean {
  const vs: VirtualService = {
    apiVersion: "",
    kind: "VirtualService",
    metadata: { name: "", namespace: status.namespace },
    spec: vsSpec,
  };
  const d = findDefaultRoute(vs, status.service, status.namespace);
  const subsets = [subsetOf(status.subsets, status.newVersion)];
  return (vsSpec.http ?? []).some(
    (r, i) => (i === d || status.ownedRoutes.includes(r.name ?? "")) && routeSends(r, subsets, status),
  );
}

/** Routing traffic to a version asked to run 0 replicas would be an outage for that share. */
function refuseNoPods(ready: WaitReadyOp): PlanOp {
  if (ready.replicas === 0)
    throw fieldErrorOf("newVersion.replicas", "err.plan.zeroReplicas", { version: ready.version });
  return ready;
}
