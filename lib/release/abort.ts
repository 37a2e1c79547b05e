// Abort on the live objects: base replicas back, the task's routes undone (foreign edits kept),
// a drain for requests in flight to the new version, then its subsets, its HPA copy, its
// Deployment. PURE.
import { entryRouteWrites, withVirtualServiceWrites } from "./entry-routes";
import { hpaDelete } from "./hpa";
import { clone } from "./json";
import type { PlanOp, WriteOp } from "./ops";
import { restoreDestinationRule, restoreMovedRoutes, restoreVirtualService, subsetsStillRouted } from "./owned";
import { drainOps, waitReadyOp, type Rollout } from "./readiness";
import { pinnedToBase, spreadsOverPods } from "./entry-routes";
import { scaleOp } from "./replicas";
import type { TaskStatus } from "./status";
import type { ServiceClusterState } from "./types";

/**
 * The gateway routes the task followed, back as found: at once when that sends nothing to the new
 * pods; a route that had no subset (it would spread over every pod of the service) is all on the
 * base meanwhile and goes back after the new Deployment. Ones that are gone are left alone.
 */
function restoreEntryRoutes(s: TaskStatus, on: ServiceClusterState): { now: WriteOp[]; afterPods: WriteOp[] } {
  const now = entryRouteWrites(s, on, (e) => (spreadsOverPods(e.original) ? pinnedToBase(e, s) : e.original));
  const later = entryRouteWrites(
    { ...s, entryRoutes: now.entryRoutes },
    withVirtualServiceWrites(on, now.ops),
    (e) => e.original,
  );
  return { now: now.ops, afterPods: later.ops };
}

function specAfter<T>(op: PlanOp | null, live: { spec: T } | null): T | null {
  if (!op) return live ? clone(live.spec) : null;
  if (op.op === "create" || op.op === "replace") return clone(op.object.spec) as T;
  return null;
}

/** The base's replicas back; a base a batch shrank (maybe to 0) is Ready before it gets all traffic back. */
export function restoreBaseOps(s: TaskStatus, cluster: ServiceClusterState, rollout: Rollout): PlanOp[] {
  const baseDep = cluster.deployments.find((d) => d.metadata.name === s.baseDeployment);
  const restoreBase = baseDep ? scaleOp(baseDep, s.original.baseReplicas) : null;
  if (!restoreBase) return [];
  const grows = restoreBase.op === "patchReplicas" && restoreBase.replicas > restoreBase.previous;
  return grows
    ? [restoreBase, waitReadyOp(s.namespace, s.baseDeployment, s.baseVersion, s.original.baseReplicas, rollout)]
    : [restoreBase];
}

interface MeshUndo {
  ops: PlanOp[];
  afterPods: PlanOp[];
  lastApplied: TaskStatus["lastApplied"] | null;
}

/** The task's routes and subsets undone; a subset the pinned gateway route still names goes only after that route is back as found. */
function undoMesh(s: TaskStatus, cluster: ServiceClusterState, rollout: Rollout): MeshUndo {
  if (!cluster.istioAvailable) return { ops: [], afterPods: [], lastApplied: null };
  const moved = restoreMovedRoutes(s, cluster);
  if (s.routing !== "istio")
    return {
      ops: [...moved.ops, ...(moved.ops.length > 0 ? drainOps(s.newVersion, rollout) : [])],
      afterPods: [],
      lastApplied: null,
    };
  const vsOp = restoreVirtualService(s, cluster.virtualService, moved.owned);
  const routes = [...moved.ops, ...(vsOp ? [vsOp] : [])];
  const entries = restoreEntryRoutes(s, withVirtualServiceWrites(cluster, routes));
  const inUse = subsetsStillRouted(s, cluster, [...routes, ...entries.now, ...entries.afterPods]);
  const drOp = restoreDestinationRule(s, cluster.destinationRule, inUse);
  const routed = moved.ops.length > 0 || vsOp !== null || entries.now.length > 0;
  const pinned = entries.afterPods.length > 0;
  const ops = [
    ...routes,
    ...entries.now,
    ...(routed ? drainOps(s.newVersion, rollout) : []),
    ...(drOp && !pinned ? [drOp] : []),
  ];
  const afterPods = [...entries.afterPods, ...(drOp && pinned ? [drOp] : [])];
  return {
    ops,
    afterPods,
    lastApplied: {
      virtualServiceSpec: specAfter(vsOp, cluster.virtualService),
      destinationRuleSpec: specAfter(drOp, cluster.destinationRule),
    },
  };
}

/**
 * A gateway route that had no subset goes back last: until the new pods are gone it stays on the
 * base. Returns the ops and the status after abort.
 */
export function abortPlan(
  s: TaskStatus,
  cluster: ServiceClusterState,
  rollout: Rollout,
): { ops: PlanOp[]; status: TaskStatus } {
  const mesh = undoMesh(s, cluster, rollout);
  const newDep = cluster.deployments.find((d) => d.metadata.name === s.newDeployment);
  const ops: PlanOp[] = [
    ...restoreBaseOps(s, cluster, rollout),
    ...mesh.ops,
    ...hpaDelete(cluster, s.hpa?.copy),
    ...(newDep && s.created.deployment ? [{ op: "delete" as const, object: newDep }] : []),
    ...mesh.afterPods,
  ];
  const status: TaskStatus = {
    ...s,
    ...(mesh.lastApplied ? { lastApplied: mesh.lastApplied } : {}),
    ownedRoutes: [],
    movedRoutes: [],
    entryRoutes: [],
    weights: { [s.baseVersion]: 100 },
    mirrorPercent: null,
  };
  return { ops, status };
}
