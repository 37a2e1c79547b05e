// planAction: a stored task + one action + the live cluster -> the writes and waits, the next
// status and state. PURE: never reads or writes the cluster itself. What differs between
// strategies is asked of their modules; routing changes go through renderRouting.
import { abortPlan } from "./abort";
import { gatewayActionPlan } from "./gateway-actions";
import {
  liveDeployment,
  movedNote,
  newlyMoved,
  planMoves,
  replicaCanaryOps,
  resolveWeights,
  rollbackMesh,
} from "./action-moves";
import { checkTarget } from "./base";
import { confirmedWeights, nextGroupSplit } from "./batch";
import { entryDestinations, entryRouteWrites, withVirtualServiceWrites, type EntryIntent } from "./entry-routes";
import { fieldErrorOf, planError } from "./errors";
import type { Moves } from "./foreign-routes";
import { hpaDelete } from "./hpa";
import { refuseInvalidIstioWrites } from "./istio-writes";
import { clone } from "./json";
import { describeWeights, onLive, withMoves } from "./mesh";
import type { PlanOp, WriteOp } from "./ops";
import { restoreMovedRoutes } from "./owned";
import type { Plan } from "./planner";
import { drainOps, refuseUnready, rolloutOf, waitReadyOp, type Rollout } from "./readiness";
import { orderScaling, scaleOp } from "./replicas";
import { acceptedStatus, resyncOps } from "./resync";
import { renderRouting, type RenderOptions, type RouterWrites } from "./routing-writes";
import type { ActionRequest, TaskSpec } from "./spec";
import {
  currentIndex,
  describeStep,
  enterStep,
  finishedState,
  heldBeforeStart,
  nextIndex,
  stepPlan,
  stepsRunning,
  type PlanStep,
} from "./steps";
import { transition } from "./state-machine";
import { strategyOf, type IntentStep, type StrategyModule } from "./strategies";
import type { TaskStatus } from "./status";
import type { ServiceClusterState, TaskState } from "./types";

/** What planAction needs of a stored task. */
export interface PlanTask {
  spec: TaskSpec;
  status: TaskStatus;
  state: TaskState;
}

/** What every action handler works with: `s` is the next status, built up from a copy of the stored one. */
interface Ctx {
  task: PlanTask;
  spec: TaskSpec;
  strategy: StrategyModule;
  s: TaskStatus;
  cluster: ServiceClusterState;
  next: TaskState;
  rollout: Rollout;
  base: string;
  nv: string;
  /** The time the action is planned at: when a step it enters starts. */
  now: Date;
}

function done(c: Ctx, ops: PlanOp[], summary: string, nextState: TaskState = c.next): Plan {
  return { ops, status: c.s, state: nextState, summary };
}

/** The router's writes for the strategy's intent in `step`, on `on`; the status parts they leave go into the next status. */
function route(
  c: Ctx,
  step: IntentStep,
  on: ServiceClusterState,
  opts: Partial<RenderOptions> & { versions?: string[] } = {},
): RouterWrites {
  const intent = c.strategy.intent(c.spec, c.s, step);
  const routing = renderRouting(opts.versions ? { ...intent, versions: opts.versions } : intent, c.s, on, {
    podSources: c.cluster.deployments,
    ...opts,
  });
  Object.assign(c.s, routing.status);
  return routing;
}

/** The foreign routes an action moves, recorded in the next status (abort moves them back). */
function moves(
  c: Ctx,
  action: ActionRequest,
  from: string,
  to: string,
  emptied: boolean,
  ownedWriteFollows: boolean,
): Moves {
  const m = planMoves(action, c.s, c.cluster, from, to, emptied, ownedWriteFollows);
  c.s.movedRoutes = [...(c.s.movedRoutes ?? []), ...m.moved];
  return m;
}

function replicaSplit(c: Ctx, newWeight: number, action: ActionRequest | null): PlanOp[] {
  const r = replicaCanaryOps(c.s, c.cluster, newWeight, action, c.rollout);
  c.s.movedRoutes = [...(c.s.movedRoutes ?? []), ...r.moved];
  return r.ops;
}

/**
 * The task's entry routes (the ingress gateway's) carrying `intent`, on `on`: the cluster as the
 * action's earlier writes leave it. One that is gone refuses the action, except for the brakes,
 * which leave it and say so.
 */
function followEntries(
  c: Ctx,
  action: string,
  on: ServiceClusterState,
  intent: EntryIntent,
  brake = false,
): { ops: WriteOp[]; note: string } {
  const w = entryRouteWrites(c.s, on, (e) => entryDestinations(e, c.s, intent));
  c.s.entryRoutes = w.entryRoutes;
  if (w.lost.length === 0) return { ops: w.ops, note: "" };
  const ids = w.lost.map((e) => e.id).join(", ");
  if (!brake)
    throw planError(
      "conflict",
      "err.action.entryRouteLost",
      { actionKey: `err.word.action.${action}`, routes: ids, service: c.s.service },
      { routes: w.lost.map((e) => e.id) },
    );
  return { ops: w.ops, note: `; ingress gateway route ${ids} left as it is (gone)` };
}

type Handler<A extends ActionRequest["action"]> = (c: Ctx, action: Extract<ActionRequest, { action: A }>) => Plan;

/** setTraffic on a strategy without a router: the split is the pods' ratio. */
const setReplicaTraffic: Handler<"setTraffic"> = (c, action) => {
  const { s, base, nv } = c;
  if (!action.weights) throw fieldErrorOf("weights", "err.action.replicaCanaryNeedsWeights");
  for (const k of Object.keys(action.weights))
    if (k !== base && k !== nv)
      throw fieldErrorOf(`weights.${k}`, "err.action.replicaCanarySplitsOnly", { base, next: nv });
  const wn = action.weights[nv] ?? 0;
  s.weights = { [base]: 100 - wn, [nv]: wn };
  const ops = replicaSplit(c, wn, action);
  return done(
    c,
    ops,
    `replica-canary ${s.service}: ${describeWeights(s, s.weights)} of ${s.replicaPool} pods${newlyMoved(c.task.status, s, c.cluster)}`,
  );
};

const setTraffic: Handler<"setTraffic"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  const mirrors = c.strategy.capabilities.hasMirror;
  if (action.mirrorPercent !== undefined && !mirrors)
    throw fieldErrorOf("mirrorPercent", "err.action.mirrorOnlyForMirror");
  if (s.routing === "replicas") return setReplicaTraffic(c, action);
  if (action.weights) s.weights = resolveWeights(action.weights, s, cluster);
  refuseUnready("setTraffic", s.weights, c.task.status.weights, cluster, s.service);
  if (action.mirrorPercent !== undefined) s.mirrorPercent = action.mirrorPercent;
  const m = moves(c, action, base, nv, false, true);
  const mesh = route(c, "traffic", m.cluster);
  const entries = followEntries(c, "setTraffic", m.cluster, { weights: s.weights });
  const mirrorNote = s.mirrorPercent !== null && mirrors ? `; mirroring ${s.mirrorPercent}%` : "";
  return done(
    c,
    [...withMoves(onLive(mesh, cluster.virtualService), m), ...entries.ops],
    `traffic ${describeWeights(s, s.weights)}${mirrorNote}${movedNote(m, s, cluster)}`,
  );
};

const takeover: Handler<"takeover" | "switch"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  s.takenOver = true;
  s.weights = { [base]: 0, [nv]: 100 };
  if (s.routing === "replicas") {
    const ops = replicaSplit(c, 100, action);
    return done(
      c,
      ops,
      `${nv} takes all ${s.replicaPool} pods; ${s.baseDeployment} scaled to 0 and kept${newlyMoved(c.task.status, s, cluster)}`,
    );
  }
  refuseUnready(action.action, s.weights, c.task.status.weights, cluster, s.service);
  const m = moves(c, action, base, nv, false, true);
  const mesh = route(c, "allTraffic", m.cluster);
  const entries = followEntries(c, action.action, m.cluster, { weights: s.weights });
  return done(
    c,
    [...withMoves(onLive(mesh, cluster.virtualService), m), ...entries.ops],
    `${nv} takes 100% of traffic; ${base} keeps running${movedNote(m, s, cluster)}`,
  );
};

/** Rollback without a router: the base's pods back first (a batch shrank them), then the new ones go. */
function rollbackReplicas(c: Ctx, restoreBase: PlanOp | null, baseReplicas: number): Plan {
  const { s, cluster, base } = c;
  if (c.strategy.capabilities.splitsPods)
    return done(
      c,
      replicaSplit(c, 0, null),
      `rolled back: ${base} takes all ${s.replicaPool} pods; ${s.newDeployment} scaled to 0`,
    );
  const stopNew = scaleOp(liveDeployment(cluster, s.newDeployment), 0);
  const ready =
    restoreBase && stopNew ? [waitReadyOp(s.namespace, s.baseDeployment, base, baseReplicas, c.rollout)] : [];
  return done(
    c,
    orderScaling([restoreBase], ready, [stopNew]),
    `rolled back: ${s.baseDeployment} restored, ${s.newDeployment} scaled to 0`,
  );
}

const rollback: Handler<"rollback"> = (c) => {
  const { s, cluster, base, nv } = c;
  s.takenOver = false;
  s.weights = { [base]: 100, [nv]: 0 };
  const baseReplicas = s.batch?.baseInitialReplicas ?? s.original.baseReplicas;
  const restoreBase = c.strategy.capabilities.hasBatches
    ? scaleOp(liveDeployment(cluster, s.baseDeployment), baseReplicas)
    : null;
  if (s.routing === "replicas") return rollbackReplicas(c, restoreBase, baseReplicas);
  // Routes the task moved to the new version go back with the rest of its traffic.
  const moved = restoreMovedRoutes(s, cluster);
  s.movedRoutes = [];
  const on = { ...cluster, virtualService: moved.owned };
  const brake = rollbackMesh((versions) =>
    onLive(
      route(c, "allTraffic", on, { allowMissing: true, ...(versions ? { versions } : {}) }),
      cluster.virtualService,
    ),
  );
  const mesh = brake.mesh;
  const entries = followEntries(
    c,
    "rollback",
    withVirtualServiceWrites(cluster, moved.ops),
    { weights: s.weights },
    true,
  );
  const middle = [...(mesh?.drOp ? [mesh.drOp] : []), ...moved.ops, ...(mesh?.vsOp ? [mesh.vsOp] : []), ...entries.ops];
  // A base scaled down by earlier groups is Ready again before it takes all traffic back.
  const ready =
    restoreBase && middle.length > 0 ? [waitReadyOp(s.namespace, s.baseDeployment, base, baseReplicas, c.rollout)] : [];
  return done(
    c,
    orderScaling([restoreBase], [...ready, ...middle], []),
    `rolled back: ${base} takes 100% of traffic; ${nv} keeps running${brake.note}${entries.note}`,
  );
};

const retireOld: Handler<"retireOld"> = (c, action) => {
  const { s, cluster, base, nv } = c;
  const doomed = cluster.deployments.filter((d) => s.baseDeployments.includes(d.metadata.name));
  // The base's HPA goes before the base Deployment, or it would be left scaling nothing.
  const deletes: PlanOp[] = [
    ...hpaDelete(cluster, s.hpa?.base),
    ...doomed.map((d): PlanOp => ({ op: "delete", object: d })),
  ];
  s.weights = { [nv]: 100 };
  const m = moves(c, action, base, nv, true, s.routing === "istio");
  const retired = `deleted ${doomed.map((d) => d.metadata.name).join(", ") || "nothing (already gone)"}${movedNote(m, s, cluster)}`;
  if (s.routing === "replicas") return done(c, [...m.ops, ...deletes], `retired ${base}: ${retired}`);
  const mesh = onLive(route(c, "retire", m.cluster), cluster.virtualService);
  // The gateway's routes end on the new version's subset too: the base's is about to go.
  const entries = followEntries(c, "retireOld", m.cluster, { single: nv });
  const { [base]: _gone, ...subsets } = s.subsets;
  s.subsets = subsets;
  // Break after make: routes leave the base, requests in flight finish, then its subset and pods go.
  const ops = [
    ...m.ops,
    ...(mesh.vsOp ? [mesh.vsOp] : []),
    ...entries.ops,
    ...drainOps(base, c.rollout),
    ...(mesh.drOp ? [mesh.drOp] : []),
    ...deletes,
  ];
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
  const m = moves(c, action, base, nv, baseTarget === 0, s.routing === "istio");
  if (s.routing === "istio") {
    middle.push(...withMoves(onLive(route(c, "traffic", m.cluster), cluster.virtualService), m));
    middle.push(...followEntries(c, "confirm", m.cluster, { weights: s.weights }).ops);
  } else middle.push(...m.ops);
  if (last) s.takenOver = true;
  const kept = action.weights === "keep" ? " (split kept as set)" : "";
  const summary = last
    ? `group ${b.current} of ${b.plan.length} done: ${nv} runs ${r} replicas with 100% of traffic; ${base} scaled to 0`
    : `group ${b.current} of ${b.plan.length}: ${nv} ${newTarget} replicas, ${base} ${baseTarget}; traffic ${describeWeights(s, s.weights)}${kept}`;
  return done(c, orderScaling([up], middle, [down]), `${summary}${movedNote(m, s, cluster)}`);
};

const resync: Handler<"resync"> = (c) => {
  const ops = resyncOps(c.s, c.cluster);
  return done(
    c,
    ops,
    ops.length === 0
      ? "nothing to resync: live objects match what the task applied"
      : `re-applied the task's VirtualService/DestinationRule specs`,
  );
};

const acceptDrift: Handler<"acceptDrift"> = (c) => {
  c.s = acceptedStatus(c.s, c.cluster, c.strategy.capabilities.hasMirror);
  return done(c, [], `accepted the live routing as the task's own: ${describeWeights(c.s, c.s.weights)}`);
};

const abort: Handler<"abort"> = (c) => {
  const plan = abortPlan(c.s, c.cluster, c.rollout);
  c.s = plan.status;
  return done(
    c,
    plan.ops,
    `aborted: ${c.s.newDeployment} removed; the task's routes and subsets undone, edits others made kept`,
  );
};

/** The task's step plan (a batch's groups are steps). */
function planOf(c: Ctx): PlanStep[] {
  return stepPlan(c.spec, c.s.batch?.plan.length ?? null);
}

function stepsRefusal(action: ActionRequest["action"], key: "err.steps.none" | "err.steps.finished"): never {
  throw planError("conflict", key, { action, actionKey: `err.word.action.${action}` });
}

/** What entering `step` asks of the release, planned by the handler that already does it. */
function applyStep(c: Ctx, step: PlanStep): Plan {
  const effect = c.strategy.stepEffect(c.spec, c.s, step);
  const { base, nv } = c;
  switch (effect.kind) {
    case "weights":
      if (effect.newWeight === 100) c.s.takenOver = true;
      return setTraffic(c, {
        action: "setTraffic",
        weights: { [base]: 100 - effect.newWeight, [nv]: effect.newWeight },
      });
    case "matchWeight":
      c.s.stepMatchWeight = effect.newWeight;
      return setTraffic(c, { action: "setTraffic", weights: c.s.weights });
    case "match":
      c.s.stepMatch = effect.rules;
      return setTraffic(c, { action: "setTraffic", weights: c.s.weights });
    case "mirror":
      return setTraffic(c, { action: "setTraffic", mirrorPercent: effect.percent });
    case "group": {
      // Group 1 rolled out at create (and a group already confirmed by hand): nothing to do.
      if ((c.s.batch?.current ?? 0) >= effect.group) return done(c, [], `group ${effect.group} already rolled out`);
      c.next = c.strategy.nextState(c.task.state, "confirm", c.s);
      return confirm(c, { action: "confirm" });
    }
    case "wait":
      return done(c, [], step.duration ? `waiting ${step.duration}` : "waiting for promote");
  }
}

const promote: Handler<"promote"> = (c, action) => {
  const plan = planOf(c);
  if (plan.length === 0) stepsRefusal("promote", "err.steps.none");
  const current = c.task.status.stepState ?? null;
  const at = currentIndex(current);
  if (action.fromStep !== undefined && action.fromStep !== at)
    throw planError("conflict", "err.steps.moved", {
      action: "promote",
      actionKey: "err.word.action.promote",
      current: at + 1,
      expected: action.fromStep + 1,
    });
  if (current?.done) stepsRefusal("promote", "err.steps.finished");
  const index = nextIndex(current);
  if (index >= plan.length) {
    c.s.stepState = finishedState(plan, c.now);
    return done(c, [], `step ${plan.length} of ${plan.length} done: every step is done`);
  }
  const step = plan[index]!;
  // Entering a step ends any hold: the person who moved the slider chose to go on.
  c.s.stepState = enterStep(plan, index, c.now);
  const applied = applyStep(c, step);
  return { ...applied, summary: `step ${index + 1} of ${plan.length} (${describeStep(step)}): ${applied.summary}` };
};

const promoteFull: Handler<"promoteFull"> = (c, action) => {
  const plan = planOf(c);
  if (plan.length === 0) stepsRefusal("promoteFull", "err.steps.none");
  c.s.stepState = finishedState(plan, c.now);
  const p = takeover(c, { ...action, action: "takeover" });
  return { ...p, summary: `remaining steps skipped: ${p.summary}` };
};

/** After a rollback: the plan starts over (the runner enters step 1); a batch from its first group. */
const retry: Handler<"retry"> = (c) => {
  if (planOf(c).length === 0) stepsRefusal("retry", "err.steps.none");
  c.s.stepState = null;
  c.s.stepMatch = null;
  c.s.stepMatchWeight = null;
  if (c.s.batch) c.s.batch = { ...c.s.batch, current: 0 };
  return done(c, [], "tried again: the steps start over from step 1");
};

/** resume: a held step plan goes on; a paused batch waits for its next confirmation again. */
function resume(c: Ctx): Plan {
  const held = c.s.stepState?.heldBy;
  if (held && c.s.stepState?.notStarted) {
    c.s.stepState = null;
    return done(c, [], "resumed: the steps start at step 1");
  }
  if (held && c.s.stepState) {
    const { heldBy: _held, ...going } = c.s.stepState;
    c.s.stepState = going;
    return done(c, [], `resumed the steps at step ${going.index + 1} of ${going.total}`);
  }
  return done(c, [], c.s.batch ? `resumed; awaiting confirmation of group ${c.s.batch.current + 1}` : "resumed");
}

/**
 * A person's traffic change while steps run holds them (until resume or promote); a take-over
 * (or switch) by hand ends them, as promoteFull would.
 */
function withSteps(c: Ctx, action: ActionRequest, plan: Plan): Plan {
  const steps = planOf(c);
  if (steps.length === 0) return plan;
  if (action.action === "setTraffic" && stepsRunning(plan.status.stepState))
    return { ...plan, status: { ...plan.status, stepState: { ...plan.status.stepState!, heldBy: "user" } } };
  // Before the runner entered step 1 (just created, or retried): held at the plan's start.
  if (action.action === "setTraffic" && !plan.status.stepState)
    return { ...plan, status: { ...plan.status, stepState: heldBeforeStart(steps, c.now) } };
  if (action.action === "takeover" || action.action === "switch")
    return { ...plan, status: { ...plan.status, stepState: finishedState(steps, c.now) } };
  return plan;
}

/** The writes and waits of one action; every VS/DR write passes Istio's rules first (istio-writes.ts). */
export function planAction(
  task: PlanTask,
  action: ActionRequest,
  cluster: ServiceClusterState,
  now: Date = new Date(),
): Plan {
  const plan = actionPlan(task, action, cluster, now);
  refuseInvalidIstioWrites(plan.ops, cluster, plan.status);
  return plan;
}

function actionPlan(task: PlanTask, action: ActionRequest, cluster: ServiceClusterState, now: Date): Plan {
  const { spec, state } = task;
  checkTarget(spec, cluster);
  const next = transition(spec.strategy, state, action.action, task.status);
  const strategy = strategyOf(spec.strategy);
  const s = strategy.statusAfter(action.action, clone(task.status));
  // Without the CRDs the VS/DR are gone with them; abort can still remove the Deployment.
  if (s.routing === "istio" && !cluster.istioAvailable && action.action !== "abort")
    throw planError("invalid", "err.action.istioMissing");
  const c: Ctx = {
    task,
    spec,
    strategy,
    s,
    cluster,
    next,
    rollout: rolloutOf(spec),
    base: s.baseVersion,
    nv: s.newVersion,
    now,
  };
  return withSteps(c, action, handle(c, action));
}

function handle(c: Ctx, action: ActionRequest): Plan {
  const s = c.s;
  // The routing backend seam for actions: a task on the Gateway API renders into its HTTPRoute
  // (such a task has no steps: chooseRouting refuses them on that backend).
  if (s.routing === "gateway-api") return gatewayActionPlan(c, action);
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
      return done(c, [], s.batch ? `paused after group ${s.batch.current}` : "paused");
    case "resume":
      return resume(c);
    case "confirm":
      return confirm(c, action);
    case "abort":
      return abort(c, action);
    case "resync":
      return resync(c, action);
    case "acceptDrift":
      return acceptDrift(c, action);
    case "promote":
      return promote(c, action);
    case "promoteFull":
      return promoteFull(c, action);
    case "retry":
      return retry(c, action);
  }
}
