// planAction: a stored task + one action + the live cluster -> the writes and waits, the next
// status and state. PURE: never reads or writes the cluster itself.
import { checkTarget } from "./base";
import { confirmedWeights, nextGroupSplit } from "./batch";
import { acceptedEntryRoutes, entryDestinations, entryRouteWrites, pinnedToBase, spreadsOverPods, withVirtualServiceWrites, type EntryIntent } from "./entry-routes";
import { PlanError, fieldErrorOf, planError } from "./errors";
import { moveOrRefuse, type Moves } from "./foreign-routes";
import { hpaDelete } from "./hpa";
import { refuseInvalidIstioWrites } from "./istio-writes";
import { clone, deepEqual } from "./json";
import { activeOwnedRoutes, describeWeights, ISTIO_API_VERSION, onLive, previewOnly, recreation, renderMesh, replacement, uniq, withMoves, type MeshResult } from "./mesh";
import { managedLabels } from "./new-deployment";
import type { PlanOp, WriteOp } from "./ops";
import { restoreDestinationRule, restoreMovedRoutes, restoreVirtualService, resyncedDestinationRuleSpec, resyncedVirtualServiceSpec, subsetsStillRouted } from "./owned";
import type { Plan } from "./planner";
import { drainOps, refuseUnready, rolloutOf, waitReadyOp, type Rollout } from "./readiness";
import { orderScaling, replicasOf, scaleOp, splitPool } from "./replicas";
import { deploymentVersion, findDefaultRoute, routeWeights, templateLabels } from "./routing";
import type { ActionRequest, TaskSpec } from "./spec";
import { transition } from "./state-machine";
import type { TaskStatus } from "./status";
import { findVersionSubset, subsetsOfVersion, versionOfSubset } from "./subsets";
import type { Deployment, Destination, DestinationRuleSpec, K8sObject, ServiceClusterState, TaskState, VirtualService, VirtualServiceSpec } from "./types";

/** What planAction needs of a stored task. */
export interface PlanTask {
  spec: TaskSpec;
  status: TaskStatus;
  state: TaskState;
}

function liveDeployment(cluster: ServiceClusterState, name: string): Deployment {
  const d = cluster.deployments.find((x) => x.metadata.name === name);
  if (!d) throw planError("not_found", "err.action.deploymentGone", { name });
  return d;
}

/**
 * setTraffic keys are version labels (a DR subset name is accepted for the version it selects);
 * returns weights keyed by version.
 */
function resolveWeights(weights: Record<string, number>, status: TaskStatus, cluster: ServiceClusterState): Record<string, number> {
  const deployed = new Set(cluster.deployments.filter((d) => templateLabels(d).app === status.service).map(deploymentVersion));
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

/** What every action handler works with: `s` is the next status, built up as a new value. */
interface Ctx {
  task: PlanTask;
  spec: TaskSpec;
  s: TaskStatus;
  cluster: ServiceClusterState;
  next: TaskState;
  rollout: Rollout;
  base: string;
  nv: string;
}

function done(c: Ctx, ops: PlanOp[], summary: string, nextState: TaskState = c.next): Plan {
  return { ops, status: c.s, state: nextState, summary };
}

/** The mirror as the strategy leaves it: set for mirror releases, untouched (undefined) otherwise. */
function mirrorOf(c: Ctx): { version: string; percent: number } | null | undefined {
  if (c.spec.strategy !== "mirror") return undefined;
  return c.s.mirrorPercent === null ? null : { version: c.nv, percent: c.s.mirrorPercent };
}

/** takeover/switch and rollback: everything on one version (s.weights), only the blue-green preview route kept. */
function allTrafficMesh(c: Ctx, on: ServiceClusterState, allowMissing = false, versions = [c.base, c.nv]): MeshResult {
  const intent = { defaultRoute: { weights: c.s.weights }, mirror: mirrorOf(c), owned: (st: TaskStatus) => previewOnly(c.spec, st), versions };
  return renderMesh(c.s, on, intent, c.cluster.deployments, false, allowMissing);
}

/**
 * The task's entry routes (the ingress gateway's) carrying `intent`, on `on`: the cluster as the
 * action's earlier writes leave it. One that is gone refuses the action, except for the brakes,
 * which leave it and say so.
 */
function followEntries(c: Ctx, action: string, on: ServiceClusterState, intent: EntryIntent, brake = false): { ops: WriteOp[]; note: string } {
  const w = entryRouteWrites(c.s, on, (e) => entryDestinations(e, c.s, intent));
  c.s.entryRoutes = w.entryRoutes;
  if (w.lost.length === 0) return { ops: w.ops, note: "" };
  const ids = w.lost.map((e) => e.id).join(", ");
  if (!brake)
    throw planError("conflict", "err.action.entryRouteLost", { actionKey: `err.word.action.${action}`, routes: ids, service: c.s.service }, { routes: w.lost.map((e) => e.id) });
  return { ops: w.ops, note: `; ingress gateway route ${ids} left as it is (gone)` };
}

type Handler<A extends ActionRequest["action"]> = (c: Ctx, action: Extract<ActionRequest, { action: A }>) => Plan;

const setTraffic: Handler<"setTraffic"> = (c, action) => {
  const { s, spec, cluster, base, nv } = c;
  if (action.mirrorPercent !== undefined && spec.strategy !== "mirror")
    throw fieldErrorOf("mirrorPercent", "err.action.mirrorOnlyForMirror");
  if (s.routing === "replicas") {
    if (!action.weights) throw fieldErrorOf("weights", "err.action.replicaCanaryNeedsWeights");
    for (const k of Object.keys(action.weights)) if (k !== base && k !== nv) throw fieldErrorOf(`weights.${k}`, "err.action.replicaCanarySplitsOnly", { base, next: nv });
    const wn = action.weights[nv] ?? 0;
    s.weights = { [base]: 100 - wn, [nv]: wn };
    const ops = replicaCanaryOps(s, cluster, wn, action, c.rollout);
    return done(c, ops, `replica-canary ${s.service}: ${describeWeights(s, s.weights)} of ${s.replicaPool} pods${newlyMoved(c.task.status, s, cluster)}`);
  }
  if (action.weights) s.weights = resolveWeights(action.weights, s, cluster);
  refuseUnready("setTraffic", s.weights, c.task.status.weights, cluster, s.service);
  if (action.mirrorPercent !== undefined) s.mirrorPercent = action.mirrorPercent;
  const moves = planMoves(action, s, cluster, base, nv, false, true);
  const intent = { defaultRoute: { weights: s.weights }, mirror: mirrorOf(c), owned: (st: TaskStatus) => activeOwnedRoutes(spec, st), versions: uniq([base, nv, ...Object.keys(s.weights)]) };
  const mesh = renderMesh(s, moves.cluster, intent, cluster.deployments, false);
  const entries = followEntries(c, "setTraffic", moves.cluster, { weights: s.weights });
  const mirrorNote = s.mirrorPercent !== null && spec.strategy === "mirror" ? `; mirroring ${s.mirrorPercent}%` : "";
  return done(c, [...withMoves(onLive(mesh, cluster.virtualService), moves), ...entries.ops], `traffic ${describeWeights(s, s.weights)}${mirrorNote}${movedNote(moves, s, cluster)}`);
};

const takeover: Handler<"takeover" | "switch"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  s.takenOver = true;
  s.weights = { [base]: 0, [nv]: 100 };
  if (s.routing === "replicas") {
    const ops = replicaCanaryOps(s, cluster, 100, action, c.rollout);
    return done(c, ops, `${nv} takes all ${s.replicaPool} pods; ${s.baseDeployment} scaled to 0 and kept${newlyMoved(c.task.status, s, cluster)}`);
  }
  refuseUnready(action.action, s.weights, c.task.status.weights, cluster, s.service);
  if (c.spec.strategy === "mirror") s.mirrorPercent = null;
  const moves = planMoves(action, s, cluster, base, nv, false, true);
  const mesh = allTrafficMesh(c, moves.cluster);
  const entries = followEntries(c, action.action, moves.cluster, { weights: s.weights });
  return done(c, [...withMoves(onLive(mesh, cluster.virtualService), moves), ...entries.ops], `${nv} takes 100% of traffic; ${base} keeps running${movedNote(moves, s, cluster)}`);
};

const rollback: Handler<"rollback"> = (c) => {
  const { s, spec, cluster, base, nv } = c;
  s.takenOver = false;
  s.weights = { [base]: 100, [nv]: 0 };
  if (s.routing === "replicas" && spec.strategy === "replica-canary")
    return done(c, replicaCanaryOps(s, cluster, 0, null, c.rollout), `rolled back: ${base} takes all ${s.replicaPool} pods; ${s.newDeployment} scaled to 0`);
  const baseReplicas = s.batch?.baseInitialReplicas ?? s.original.baseReplicas;
  const restoreBase = spec.strategy === "batch" ? scaleOp(liveDeployment(cluster, s.baseDeployment), baseReplicas) : null;
  if (s.routing === "replicas") {
    // Batch without mesh: traffic follows pods, so the new pods go once the base's are Ready.
    const stopNew = scaleOp(liveDeployment(cluster, s.newDeployment), 0);
    const ready = restoreBase && stopNew ? [waitReadyOp(s.namespace, s.baseDeployment, base, baseReplicas, c.rollout)] : [];
    return done(c, orderScaling([restoreBase], ready, [stopNew]), `rolled back: ${s.baseDeployment} restored, ${s.newDeployment} scaled to 0`);
  }
  if (spec.strategy === "mirror") s.mirrorPercent = null;
  // Routes the task moved to the new version go back with the rest of its traffic.
  const moved = restoreMovedRoutes(s, cluster);
  s.movedRoutes = [];
  const brake = rollbackMesh((versions) => onLive(allTrafficMesh(c, { ...cluster, virtualService: moved.owned }, true, versions), cluster.virtualService), [base, nv]);
  const mesh = brake.mesh;
  const entries = followEntries(c, "rollback", withVirtualServiceWrites(cluster, moved.ops), { weights: s.weights }, true);
  const middle = [...(mesh?.drOp ? [mesh.drOp] : []), ...moved.ops, ...(mesh?.vsOp ? [mesh.vsOp] : []), ...entries.ops];
  // A base scaled down by earlier groups is Ready again before it takes all traffic back.
  const ready = restoreBase && middle.length > 0 ? [waitReadyOp(s.namespace, s.baseDeployment, base, baseReplicas, c.rollout)] : [];
  return done(c, orderScaling([restoreBase], [...ready, ...middle], []), `rolled back: ${base} takes 100% of traffic; ${nv} keeps running${brake.note}${entries.note}`);
};

const retireOld: Handler<"retireOld"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  const doomed = cluster.deployments.filter((d) => s.baseDeployments.includes(d.metadata.name));
  // The base's HPA goes before the base Deployment, or it would be left scaling nothing.
  const deletes: PlanOp[] = [...hpaDelete(cluster, s.hpa?.base), ...doomed.map((d): PlanOp => ({ op: "delete", object: d }))];
  s.weights = { [nv]: 100 };
  const moves = planMoves(action, s, cluster, base, nv, true, s.routing === "istio");
  const retired = `deleted ${doomed.map((d) => d.metadata.name).join(", ") || "nothing (already gone)"}${movedNote(moves, s, cluster)}`;
  if (s.routing === "replicas") return done(c, [...moves.ops, ...deletes], `retired ${base}: ${retired}`);
  if (c.spec.strategy === "mirror") s.mirrorPercent = null;
  const intent = { defaultRoute: { single: nv }, mirror: mirrorOf(c), owned: () => [], versions: [nv], removeVersion: base };
  const mesh = onLive(renderMesh(s, moves.cluster, intent, cluster.deployments, false), cluster.virtualService);
  // The gateway's routes end on the new version's subset too: the base's is about to go.
  const entries = followEntries(c, "retireOld", moves.cluster, { single: nv });
  delete s.subsets[base];
  // Break after make: routes leave the base, requests in flight finish, then its subset and pods go.
  const ops = [...moves.ops, ...(mesh.vsOp ? [mesh.vsOp] : []), ...entries.ops, ...drainOps(base, c.rollout), ...(mesh.drOp ? [mesh.drOp] : []), ...deletes];
  return done(c, ops, `retired ${base}: ${nv} is the only version; ${retired}`);
};

const confirm: Handler<"confirm"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  const b = s.batch;
  const split = nextGroupSplit(s);
  if (!b || !split) throw planError("conflict", "err.action.noBatchProgress");
  const r = b.plan.reduce((a, x) => a + x, 0);
  s.weights = confirmedWeights(c.task.status, split, action.weights ?? "replicas");
  b.current = split.group;
  const { last, newReplicas: newTarget, baseReplicas: baseTarget } = split;
  const up = scaleOp(liveDeployment(cluster, s.newDeployment), newTarget);
  const down = scaleOp(liveDeployment(cluster, s.baseDeployment), baseTarget);
  // Make before break: the new group's pods are Ready before traffic and the base's pods move.
  const middle: PlanOp[] = [waitReadyOp(s.namespace, s.newDeployment, nv, newTarget, c.rollout)];
  const moves = planMoves(action, s, cluster, base, nv, baseTarget === 0, s.routing === "istio");
  if (s.routing === "istio") {
    const intent = { defaultRoute: { weights: s.weights }, owned: (st: TaskStatus) => activeOwnedRoutes(c.spec, st), versions: [base, nv] };
    middle.push(...withMoves(onLive(renderMesh(s, moves.cluster, intent, cluster.deployments, false), cluster.virtualService), moves));
    middle.push(...followEntries(c, "confirm", moves.cluster, { weights: s.weights }).ops);
  } else middle.push(...moves.ops);
  if (last) s.takenOver = true;
  const kept = action.weights === "keep" ? " (split kept as set)" : "";
  const summary = last
    ? `group ${b.current} of ${b.plan.length} done: ${nv} runs ${r} replicas with 100% of traffic; ${base} scaled to 0`
    : `group ${b.current} of ${b.plan.length}: ${nv} ${newTarget} replicas, ${base} ${baseTarget}; traffic ${describeWeights(s, s.weights)}${kept}`;
  return done(c, orderScaling([up], middle, [down]), `${summary}${movedNote(moves, s, cluster)}`);
};

const resync: Handler<"resync"> = (c) => {
  const ops = resyncOps(c.s, c.cluster);
  return done(c, ops, ops.length === 0 ? "nothing to resync: live objects match what the task applied" : `re-applied the task's VirtualService/DestinationRule specs`);
};

const acceptDrift: Handler<"acceptDrift"> = (c) => {
  const { s, cluster } = c;
  const vs = cluster.virtualService;
  const dr = cluster.destinationRule;
  if (s.lastApplied.virtualServiceSpec && !vs)
    throw planError("conflict", "err.action.acceptDriftGone", { kind: "VirtualService", name: s.virtualServiceName ?? "" });
  if (s.lastApplied.destinationRuleSpec && !dr)
    throw planError("conflict", "err.action.acceptDriftGone", { kind: "DestinationRule", name: s.destinationRuleName ?? "" });
  s.lastApplied = { virtualServiceSpec: vs ? clone(vs.spec) : null, destinationRuleSpec: dr ? clone(dr.spec) : null };
  if (vs) {
    const d = findDefaultRoute(vs, s.service, s.namespace);
    const route = d >= 0 ? vs.spec.http?.[d] : undefined;
    const weights: Record<string, number> = {};
    for (const [subset, w] of Object.entries(routeWeights(route?.route ?? [], s.service, s.namespace))) {
      if (subset.includes("/")) continue;
      const version = versionOfSubset(subset, s.subsets, dr?.spec.subsets ?? []);
      weights[version] = (weights[version] ?? 0) + w;
    }
    s.weights = weights;
    if (c.spec.strategy === "mirror") s.mirrorPercent = route?.mirror ? (route.mirrorPercentage?.value ?? 100) : null;
    s.ownedRoutes = s.ownedRoutes.filter((n) => vs.spec.http?.some((r) => r.name === n));
  }
  s.entryRoutes = acceptedEntryRoutes(s, cluster);
  return done(c, [], `accepted the live routing as the task's own: ${describeWeights(s, s.weights)}`);
};

/** The writes and waits of one action; every VS/DR write passes Istio's rules first (istio-writes.ts). */
export function planAction(task: PlanTask, action: ActionRequest, cluster: ServiceClusterState): Plan {
  const plan = actionPlan(task, action, cluster);
  refuseInvalidIstioWrites(plan.ops, cluster, plan.status);
  return plan;
}

function actionPlan(task: PlanTask, action: ActionRequest, cluster: ServiceClusterState): Plan {
  const { spec, state } = task;
  checkTarget(spec, cluster);
  const next = transition(spec.strategy, state, action.action, task.status);
  const s = clone(task.status);
  // Without the CRDs the VS/DR are gone with them; abort can still remove the Deployment.
  if (s.routing === "istio" && !cluster.istioAvailable && action.action !== "abort")
    throw planError("invalid", "err.action.istioMissing");
  const c: Ctx = { task, spec, s, cluster, next, rollout: rolloutOf(spec), base: s.baseVersion, nv: s.newVersion };
  switch (action.action) {
    case "setTraffic":
      return setTraffic(c, action);
    case "takeover":
    case "switch":
      return takeover(c, action);
    case "rollback":
      return rollback(c, action);
    case "retireOld":
      return retireOld(c, action);
    case "pause":
      return done(c, [], `paused after group ${s.batch?.current ?? 0}`);
    case "resume":
      return done(c, [], `resumed; awaiting confirmation of group ${(s.batch?.current ?? 0) + 1}`);
    case "confirm":
      return confirm(c, action);
    case "abort":
      return done(c, abortOps(s, cluster, c.rollout), `aborted: ${s.newDeployment} removed; the task's routes and subsets undone, edits others made kept`);
    case "resync":
      return resync(c, action);
    case "acceptDrift":
      return acceptDrift(c, action);
  }
}

/**
 * Rollback is an emergency brake: when the live VS/DR were edited so that the task's routing
 * cannot be rendered (a subset relabelled, a catch-all in front), it still runs and says what it
 * left alone instead of refusing.
 */
function rollbackMesh(render: (versions: string[]) => MeshResult, versions: string[]): { mesh: MeshResult | null; note: string } {
  const attempt = (vs: string[]): MeshResult | PlanError => {
    try {
      return render(vs);
    } catch (err) {
      if (err instanceof PlanError) return err;
      throw err;
    }
  };
  const full = attempt(versions);
  if (!(full instanceof PlanError)) return { mesh: full, note: "" };
  // Second try: the routes only, with the subsets the task already knows, DR untouched.
  const routesOnly = attempt([]);
  if (!(routesOnly instanceof PlanError)) return { mesh: { ...routesOnly, drOp: null }, note: `; DestinationRule left as it is (${full.message})` };
  return { mesh: null, note: `; VirtualService/DestinationRule left as they are (${routesOnly.message})` };
}

/** Foreign routes moved from `from` to `to` (and recorded); refused when `emptied` leaves one unlisted on `from`. */
function planMoves(action: ActionRequest, s: TaskStatus, cluster: ServiceClusterState, from: string, to: string, emptied: boolean, ownedWriteFollows: boolean): Moves {
  const requested = "moveRoutes" in action ? action.moveRoutes : undefined;
  if (requested && !cluster.istioAvailable) throw fieldErrorOf("moveRoutes", "err.foreignRoutes.noIstio");
  if ((!emptied && !requested) || !cluster.istioAvailable) return { cluster, ops: [], moved: [] };
  const target: Destination = { host: s.destinationHost };
  const subset = s.subsets[to] ?? findVersionSubset(cluster.destinationRule?.spec.subsets ?? [], to, null);
  if (subset !== null && subset !== undefined) target.subset = subset;
  const from_ = { version: from, subsets: subsetsOfVersion(from, s.subsets, cluster.destinationRule) };
  const m = moveOrRefuse(action.action, cluster, s, from_, target, requested, ownedWriteFollows, emptied);
  s.movedRoutes = [...(s.movedRoutes ?? []), ...m.moved];
  return m;
}

/** "; moved reviews/qa to v2.1": the version, as the API speaks, not its subset. */
function movedNote(m: Pick<Moves, "moved">, s: TaskStatus, cluster: ServiceClusterState): string {
  const to = m.moved[0]?.toSubset;
  if (to === undefined) return "";
  return `; moved ${m.moved.map((r) => r.id).join(", ")} to ${versionOfSubset(to, s.subsets, cluster.destinationRule?.spec.subsets ?? [])}`;
}

function newlyMoved(before: TaskStatus, after: TaskStatus, cluster: ServiceClusterState): string {
  return movedNote({ moved: (after.movedRoutes ?? []).slice((before.movedRoutes ?? []).length) }, after, cluster);
}

/**
 * replica-canary: the growing side scales up and is Ready before the other side shrinks. A side
 * left with 0 pods must not be the target of any foreign route (rollback, the brake, skips that check).
 */
function replicaCanaryOps(s: TaskStatus, cluster: ServiceClusterState, newWeight: number, action: ActionRequest | null, rollout: Rollout): PlanOp[] {
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
  const moves = action ? planMoves(action, s, cluster, shrinkVersion, growVersion, down !== null && shrinkTo === 0, false) : null;
  const middle: PlanOp[] = up && down ? [waitReadyOp(s.namespace, grow.metadata.name, growVersion, growTo, rollout)] : [];
  return orderScaling([up], [...middle, ...(moves?.ops ?? [])], [down]);
}

/**
 * Abort on the live objects: base replicas back, the task's routes undone (foreign edits kept),
 * a drain for requests in flight to the new version, then its subsets, its HPA copy, its Deployment.
 * A gateway route that had no subset goes back last: until the new pods are gone it stays on the base.
 */
function abortOps(s: TaskStatus, cluster: ServiceClusterState, rollout: Rollout): PlanOp[] {
  const ops: PlanOp[] = [];
  let afterPods: PlanOp[] = [];
  const baseDep = cluster.deployments.find((d) => d.metadata.name === s.baseDeployment);
  const restoreBase = baseDep ? scaleOp(baseDep, s.original.baseReplicas) : null;
  if (restoreBase) ops.push(restoreBase);
  // Make before break here too: a base a batch shrank (maybe to 0) is Ready before it gets all traffic back.
  if (restoreBase && restoreBase.op === "patchReplicas" && restoreBase.replicas > restoreBase.previous)
    ops.push(waitReadyOp(s.namespace, s.baseDeployment, s.baseVersion, s.original.baseReplicas, rollout));
  if (cluster.istioAvailable) {
    const moved = restoreMovedRoutes(s, cluster);
    ops.push(...moved.ops);
    let routed = moved.ops.length > 0;
    if (s.routing === "istio") {
      const vsOp = restoreVirtualService(s, cluster.virtualService, moved.owned);
      const routes = [...moved.ops, ...(vsOp ? [vsOp] : [])];
      const entries = restoreEntryRoutes(s, withVirtualServiceWrites(cluster, routes));
      const inUse = subsetsStillRouted(s, cluster, [...routes, ...entries.now, ...entries.afterPods]);
      const drOp = restoreDestinationRule(s, cluster.destinationRule, inUse);
      if (vsOp) ops.push(vsOp);
      ops.push(...entries.now);
      routed = routed || vsOp !== null || entries.now.length > 0;
      if (routed) ops.push(...drainOps(s.newVersion, rollout));
      // A subset the pinned gateway route still names goes only after that route is back as found.
      afterPods = [...entries.afterPods, ...(drOp && entries.afterPods.length > 0 ? [drOp] : [])];
      if (drOp && entries.afterPods.length === 0) ops.push(drOp);
      s.lastApplied = { virtualServiceSpec: specAfter(vsOp, cluster.virtualService), destinationRuleSpec: specAfter(drOp, cluster.destinationRule) };
    } else if (routed) ops.push(...drainOps(s.newVersion, rollout));
  }
  ops.push(...hpaDelete(cluster, s.hpa?.copy));
  const newDep = cluster.deployments.find((d) => d.metadata.name === s.newDeployment);
  if (newDep && s.created.deployment) ops.push({ op: "delete", object: newDep });
  ops.push(...afterPods);
  s.ownedRoutes = [];
  s.movedRoutes = [];
  s.entryRoutes = [];
  s.weights = { [s.baseVersion]: 100 };
  s.mirrorPercent = null;
  return ops;
}

/**
 * The gateway routes the task followed, back as found: at once when that sends nothing to the new
 * pods; a route that had no subset (it would spread over every pod of the service) is all on the
 * base meanwhile and goes back after the new Deployment. Ones that are gone are left alone.
 */
function restoreEntryRoutes(s: TaskStatus, on: ServiceClusterState): { now: WriteOp[]; afterPods: WriteOp[] } {
  const now = entryRouteWrites(s, on, (e) => (spreadsOverPods(e.original) ? pinnedToBase(e, s) : e.original));
  const later = entryRouteWrites({ ...s, entryRoutes: now.entryRoutes }, withVirtualServiceWrites(on, now.ops), (e) => e.original);
  return { now: now.ops, afterPods: later.ops };
}

function specAfter<T>(op: PlanOp | null, live: { spec: T } | null): T | null {
  if (!op) return live ? clone(live.spec) : null;
  if (op.op === "create" || op.op === "replace") return clone(op.object.spec) as T;
  return null;
}

/** resync puts back only the task's parts (default route, owned routes, its subsets); foreign edits stay. */
function resyncOps(s: TaskStatus, cluster: ServiceClusterState): PlanOp[] {
  const ops: PlanOp[] = [];
  const one = <T extends K8sObject>(live: T | null, wanted: T["spec"] | null, merge: (wanted: T["spec"], live: T["spec"]) => unknown, kind: string, name: string | null, original: T | null): void => {
    if (wanted === null || wanted === undefined) return;
    if (live) {
      const spec = merge(wanted, live.spec);
      if (!deepEqual(live.spec, spec)) ops.push({ op: "replace", object: replacement(live, spec), before: live });
      return;
    }
    const identity = original
      ? recreation(original)
      : { apiVersion: ISTIO_API_VERSION, kind, metadata: { name: name ?? s.service, namespace: s.namespace, labels: managedLabels(s.task) } };
    ops.push({ op: "create", object: { ...identity, spec: clone(wanted) } });
  };
  const dr = (w: DestinationRuleSpec, l: DestinationRuleSpec) => resyncedDestinationRuleSpec(s, w, l);
  const vs = (w: VirtualServiceSpec, l: VirtualServiceSpec) => resyncedVirtualServiceSpec(s, w, l);
  one(cluster.destinationRule, s.lastApplied.destinationRuleSpec, dr, "DestinationRule", s.destinationRuleName, s.original.destinationRule);
  one(cluster.virtualService, s.lastApplied.virtualServiceSpec, vs, "VirtualService", s.virtualServiceName, s.original.virtualService);
  // Gateway routes get back the destinations the task wrote; one that is gone stays drift (acceptDrift stops following it).
  ops.push(...entryRouteWrites(s, cluster, (e) => e.applied).ops);
  return ops;
}
