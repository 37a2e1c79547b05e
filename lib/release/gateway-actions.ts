// planAction for a task on the gateway-api backend (TaskStatus.routing "gateway-api"): the same
// actions as on Istio, each asking the strategy module for its RoutingIntent and rendering it
// into the task's HTTPRoute and per-version Services (routing/gateway-task.ts). Foreign rules
// are never moved: moveRoutes is Istio's (foreign routes of VirtualServices). PURE.
import { restoreBaseOps } from "./abort";
import { liveDeployment, resolveWeights } from "./action-moves";
import { confirmedWeights, nextGroupSplit } from "./batch";
import { fieldErrorOf, planError } from "./errors";
import { hpaDelete } from "./hpa";
import { describeWeights } from "./mesh";
import type { PlanOp, WriteOp } from "./ops";
import type { Plan } from "./planner";
import { drainOps, refuseUnready, waitReadyOp, type Rollout } from "./readiness";
import { orderScaling, scaleOp } from "./replicas";
import type { RenderOptions } from "./routing/backend";
import { gatewayAbort, gatewayAccept, gatewayResync, renderGateway } from "./routing/gateway-task";
import type { ActionRequest, TaskSpec } from "./spec";
import type { IntentStep, StrategyModule } from "./strategies";
import type { TaskStatus } from "./status";
import type { ServiceClusterState, TaskState } from "./types";

/** What a gateway-api action works with (the Istio handlers' context, structurally). */
export interface GatewayCtx {
  task: { spec: TaskSpec; status: TaskStatus; state: TaskState };
  spec: TaskSpec;
  strategy: StrategyModule;
  s: TaskStatus;
  cluster: ServiceClusterState;
  next: TaskState;
  rollout: Rollout;
  base: string;
  nv: string;
}

function done(c: GatewayCtx, s: TaskStatus, ops: PlanOp[], summary: string, state: TaskState = c.next): Plan {
  return { ops, status: s, state, summary };
}

/** The strategy's intent for `step` on `s`, rendered into the HTTPRoute. */
function route(
  c: GatewayCtx,
  s: TaskStatus,
  step: IntentStep,
  options: Partial<RenderOptions> = {},
): { writes: WriteOp[]; status: TaskStatus } {
  return renderGateway(c.strategy.intent(c.spec, s, step), s, c.cluster, {
    podSources: c.cluster.deployments,
    ...options,
  });
}

function refuseMoves(action: ActionRequest): void {
  if ("moveRoutes" in action && action.moveRoutes && action.moveRoutes.length > 0)
    throw fieldErrorOf("moveRoutes", "err.routing.unsupported", {
      backend: "gateway-api",
      featureKey: "err.word.feature.moveRoutes",
    });
}

function setTraffic(c: GatewayCtx, action: Extract<ActionRequest, { action: "setTraffic" }>): Plan {
  const mirrors = c.strategy.capabilities.hasMirror;
  if (action.mirrorPercent !== undefined && !mirrors)
    throw fieldErrorOf("mirrorPercent", "err.action.mirrorOnlyForMirror");
  refuseMoves(action);
  const weights = action.weights ? resolveWeights(action.weights, c.s, c.cluster) : c.s.weights;
  refuseUnready("setTraffic", weights, c.task.status.weights, c.cluster, c.s.service);
  const s: TaskStatus = {
    ...c.s,
    weights,
    ...(action.mirrorPercent !== undefined ? { mirrorPercent: action.mirrorPercent } : {}),
  };
  const r = route(c, s, "traffic");
  const mirrorNote = r.status.mirrorPercent !== null && mirrors ? `; mirroring ${r.status.mirrorPercent}%` : "";
  return done(c, r.status, r.writes, `traffic ${describeWeights(r.status, r.status.weights)}${mirrorNote}`);
}

function takeover(c: GatewayCtx, action: Extract<ActionRequest, { action: "takeover" | "switch" }>): Plan {
  refuseMoves(action);
  const s: TaskStatus = { ...c.s, takenOver: true, weights: { [c.base]: 0, [c.nv]: 100 } };
  refuseUnready(action.action, s.weights, c.task.status.weights, c.cluster, s.service);
  const r = route(c, s, "allTraffic");
  return done(c, r.status, r.writes, `${c.nv} takes 100% of traffic; ${c.base} keeps running`);
}

/** The emergency brake: all traffic back on the base (a deleted route is written again); a base a batch shrank is Ready first. */
function rollback(c: GatewayCtx): Plan {
  const s: TaskStatus = { ...c.s, takenOver: false, weights: { [c.base]: 100, [c.nv]: 0 } };
  const baseReplicas = s.batch?.baseInitialReplicas ?? s.original.baseReplicas;
  const restoreBase = c.strategy.capabilities.hasBatches
    ? scaleOp(liveDeployment(c.cluster, s.baseDeployment), baseReplicas)
    : null;
  const r = route(c, s, "allTraffic", { allowMissing: true });
  const ready =
    restoreBase && r.writes.length > 0
      ? [waitReadyOp(s.namespace, s.baseDeployment, c.base, baseReplicas, c.rollout)]
      : [];
  return done(
    c,
    r.status,
    orderScaling([restoreBase], [...ready, ...r.writes], []),
    `rolled back: ${c.base} takes 100% of traffic; ${c.nv} keeps running`,
  );
}

/** Break after make: the route leaves the base, requests in flight finish, then its Service (if the task made it) and pods go. */
function retireOld(c: GatewayCtx, action: Extract<ActionRequest, { action: "retireOld" }>): Plan {
  refuseMoves(action);
  const doomed = c.cluster.deployments.filter((d) => c.s.baseDeployments.includes(d.metadata.name));
  const deletes: PlanOp[] = [
    ...hpaDelete(c.cluster, c.s.hpa?.base),
    ...doomed.map((d): PlanOp => ({ op: "delete", object: d })),
  ];
  const r = route(c, { ...c.s, weights: { [c.nv]: 100 } }, "retire");
  const isServiceDelete = (w: WriteOp) => w.op === "delete" && w.object.kind === "Service";
  const ops = [
    ...r.writes.filter((w) => !isServiceDelete(w)),
    ...drainOps(c.base, c.rollout),
    ...r.writes.filter(isServiceDelete),
    ...deletes,
  ];
  return done(
    c,
    r.status,
    ops,
    `retired ${c.base}: ${c.nv} is the only version; deleted ${doomed.map((d) => d.metadata.name).join(", ") || "nothing (already gone)"}`,
  );
}

/** The next batch group: its pods Ready, then the route's weights, then the base scaled down. */
function confirm(c: GatewayCtx, action: Extract<ActionRequest, { action: "confirm" }>): Plan {
  refuseMoves(action);
  const b = c.s.batch;
  const split = nextGroupSplit(c.s);
  if (!b || !split) throw planError("conflict", "err.action.noBatchProgress");
  const s: TaskStatus = {
    ...c.s,
    weights: confirmedWeights(c.task.status, split, action.weights ?? "replicas"),
    batch: { ...b, current: split.group },
    takenOver: c.s.takenOver || split.last,
  };
  const up = scaleOp(liveDeployment(c.cluster, s.newDeployment), split.newReplicas);
  const down = scaleOp(liveDeployment(c.cluster, s.baseDeployment), split.baseReplicas);
  const r = route(c, s, "traffic");
  const middle: PlanOp[] = [waitReadyOp(s.namespace, s.newDeployment, c.nv, split.newReplicas, c.rollout), ...r.writes];
  return done(
    c,
    r.status,
    orderScaling([up], middle, [down]),
    `group ${split.group} of ${b.plan.length}: ${c.nv} ${split.newReplicas} replicas, ${c.base} ${split.baseReplicas}; traffic ${describeWeights(s, s.weights)}`,
  );
}

/** Abort: the base's replicas back, the route as found, requests in flight drained, then the new version's Deployment and Services. */
function abort(c: GatewayCtx): Plan {
  const s = c.s;
  const restored = gatewayAbort(s, c.cluster);
  const isServiceDelete = (w: WriteOp) => w.op === "delete" && w.object.kind === "Service";
  const newDep = c.cluster.deployments.find((d) => d.metadata.name === s.newDeployment);
  const routes = restored.filter((w) => !isServiceDelete(w));
  const ops: PlanOp[] = [
    ...restoreBaseOps(s, c.cluster, c.rollout),
    ...routes,
    ...(routes.length > 0 ? drainOps(s.newVersion, c.rollout) : []),
    ...hpaDelete(c.cluster, s.hpa?.copy),
    ...(newDep && s.created.deployment ? [{ op: "delete" as const, object: newDep }] : []),
    ...restored.filter(isServiceDelete),
  ];
  const status: TaskStatus = { ...s, ownedRoutes: [], weights: { [s.baseVersion]: 100 }, mirrorPercent: null };
  return done(
    c,
    status,
    ops,
    `aborted: ${s.newDeployment} removed; the task's HTTPRoute rules undone, edits others made kept`,
  );
}

export function gatewayActionPlan(c: GatewayCtx, action: ActionRequest): Plan {
  if (!c.cluster.gatewayApiAvailable && action.action !== "abort")
    throw planError("invalid", "err.gateway.notInstalled");
  switch (action.action) {
    case "setTraffic":
      return setTraffic(c, action);
    case "takeover":
    case "switch":
      return takeover(c, action);
    case "rollback":
      return rollback(c);
    case "retireOld":
      return retireOld(c, action);
    case "pause":
      return done(c, c.s, [], `paused after group ${c.s.batch?.current ?? 0}`);
    case "resume":
      return done(c, c.s, [], `resumed; awaiting confirmation of group ${(c.s.batch?.current ?? 0) + 1}`);
    case "confirm":
      return confirm(c, action);
    case "abort":
      return abort(c);
    case "resync": {
      const ops = gatewayResync(c.s, c.cluster);
      return done(
        c,
        c.s,
        ops,
        ops.length === 0
          ? "nothing to resync: the HTTPRoute matches what the task applied"
          : "re-applied the task's HTTPRoute rules",
      );
    }
    case "acceptDrift": {
      const s = gatewayAccept(c.s, c.cluster, c.strategy.capabilities.hasMirror);
      return done(c, s, [], `accepted the live routing as the task's own: ${describeWeights(s, s.weights)}`);
    }
    case "promote":
    case "promoteFull":
    case "retry":
      // chooseRouting refuses steps on this backend at create, so the state machine never lets
      // these through; said plainly should that ever change.
      throw planError("invalid", "err.routing.stepsUnsupported", { backend: "gateway-api" });
  }
}
