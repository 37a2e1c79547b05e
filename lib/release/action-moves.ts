// What several actions share: the live Deployments they scale, the weights a setTraffic names,
// the foreign routes they move, and replica-canary's scaling. PURE.
import { PlanError, fieldErrorOf, planError } from "./errors";
import { moveOrRefuse, type Moves } from "./foreign-routes";
import type { PlanOp } from "./ops";
import { waitReadyOp, type Rollout } from "./readiness";
import { orderScaling, replicasOf, scaleOp, splitPool } from "./replicas";
import { deploymentVersion, templateLabels } from "./routing";
import type { RouterWrites } from "./routing-writes";
import type { ActionRequest } from "./spec";
import type { TaskStatus } from "./status";
import { findVersionSubset, subsetsOfVersion, versionOfSubset } from "./subsets";
import type { Deployment, Destination, ServiceClusterState } from "./types";

export function liveDeployment(cluster: ServiceClusterState, name: string): Deployment {
  const d = cluster.deployments.find((x) => x.metadata.name === name);
  if (!d) throw planError("not_found", "err.action.deploymentGone", { name });
  return d;
}

/**
 * setTraffic keys are version labels (a DR subset name is accepted for the version it selects);
 * returns weights keyed by version.
 */
export function resolveWeights(
  weights: Record<string, number>,
  status: TaskStatus,
  cluster: ServiceClusterState,
): Record<string, number> {
  const deployed = new Set(
    cluster.deployments.filter((d) => templateLabels(d).app === status.service).map(deploymentVersion),
  );
  const isVersion = (v: string) => v === status.baseVersion || v === status.newVersion || deployed.has(v);
  const liveSubsets = cluster.destinationRule?.spec.subsets ?? [];
  const out: Record<string, number> = {};
  for (const [key, w] of Object.entries(weights)) {
    const version = isVersion(key) ? key : versionOfSubset(key, status.subsets, liveSubsets);
    if (!isVersion(version)) {
      if (!liveSubsets.some((s) => s.name === key))
        throw fieldErrorOf(`weights.${key}`, "err.action.unknownVersion", { version: key, service: status.service });
      if (w > 0) throw fieldErrorOf(`weights.${key}`, "err.action.subsetWithoutPods", { subset: key });
      continue;
    }
    out[version] = (out[version] ?? 0) + w;
  }
  return out;
}

/** Foreign routes moved from `from` to `to`, and the status's record of them; refused when `emptied` leaves one unlisted on `from`. */
export function planMoves(
  action: ActionRequest,
  s: TaskStatus,
  cluster: ServiceClusterState,
  from: string,
  to: string,
  emptied: boolean,
  ownedWriteFollows: boolean,
): Moves {
  const requested = "moveRoutes" in action ? action.moveRoutes : undefined;
  if (requested && !cluster.istioAvailable) throw fieldErrorOf("moveRoutes", "err.foreignRoutes.noIstio");
  if ((!emptied && !requested) || !cluster.istioAvailable) return { cluster, ops: [], moved: [] };
  const target: Destination = { host: s.destinationHost };
  const subset = s.subsets[to] ?? findVersionSubset(cluster.destinationRule?.spec.subsets ?? [], to, null);
  if (subset !== null && subset !== undefined) target.subset = subset;
  const from_ = { version: from, subsets: subsetsOfVersion(from, s.subsets, cluster.destinationRule) };
  return moveOrRefuse(action.action, cluster, s, from_, target, requested, ownedWriteFollows, emptied);
}

/** "; moved reviews/qa to v2.1": the version, as the API speaks, not its subset. */
export function movedNote(m: Pick<Moves, "moved">, s: TaskStatus, cluster: ServiceClusterState): string {
  const to = m.moved[0]?.toSubset;
  if (to === undefined) return "";
  return `; moved ${m.moved.map((r) => r.id).join(", ")} to ${versionOfSubset(to, s.subsets, cluster.destinationRule?.spec.subsets ?? [])}`;
}

export function newlyMoved(before: TaskStatus, after: TaskStatus, cluster: ServiceClusterState): string {
  return movedNote({ moved: (after.movedRoutes ?? []).slice((before.movedRoutes ?? []).length) }, after, cluster);
}

/**
 * replica-canary: the growing side scales up and is Ready before the other side shrinks. A side
 * left with 0 pods must not be the target of any foreign route (rollback, the brake, skips that
 * check). Returns the ops and the routes moved.
 */
export function replicaCanaryOps(
  s: TaskStatus,
  cluster: ServiceClusterState,
  newWeight: number,
  action: ActionRequest | null,
  rollout: Rollout,
): { ops: PlanOp[]; moved: Moves["moved"] } {
  const pool = s.replicaPool ?? 1;
  const split = splitPool(pool, newWeight);
  const canary = liveDeployment(cluster, s.newDeployment);
  const baseDep = liveDeployment(cluster, s.baseDeployment);
  const canaryGrows = split.canary >= replicasOf(canary);
  const [grow, growTo, growVersion, shrink, shrinkTo, shrinkVersion] = canaryGrows
    ? [canary, split.canary, s.newVersion, baseDep, split.base, s.baseVersion]
    : [baseDep, split.base, s.baseVersion, canary, split.canary, s.newVersion];
  const up = scaleOp(grow, growTo);
  const down = scaleOp(shrink, shrinkTo);
  const moves = action
    ? planMoves(action, s, cluster, shrinkVersion, growVersion, down !== null && shrinkTo === 0, false)
    : null;
  const middle: PlanOp[] =
    up && down ? [waitReadyOp(s.namespace, grow.metadata.name, growVersion, growTo, rollout)] : [];
  return { ops: orderScaling([up], [...middle, ...(moves?.ops ?? [])], [down]), moved: moves?.moved ?? [] };
}

/**
 * Rollback is an emergency brake: when the live VS/DR were edited so that the task's routing
 * cannot be rendered (a subset relabelled, a catch-all in front), it still runs and says what it
 * left alone instead of refusing.
 */
export function rollbackMesh(render: (versions?: string[]) => RouterWrites): {
  mesh: RouterWrites | null;
  note: string;
} {
  const attempt = (versions?: string[]): RouterWrites | PlanError => {
    try {
      return render(versions);
    } catch (err) {
      if (err instanceof PlanError) return err;
      throw err;
    }
  };
  const full = attempt();
  if (!(full instanceof PlanError)) return { mesh: full, note: "" };
  // Second try: the routes only, with the subsets the task already knows, DR untouched.
  const routesOnly = attempt([]);
  if (!(routesOnly instanceof PlanError))
    return { mesh: { ...routesOnly, drOp: null }, note: `; DestinationRule left as it is (${full.message})` };
  return { mesh: null, note: `; VirtualService/DestinationRule left as they are (${routesOnly.message})` };
}
