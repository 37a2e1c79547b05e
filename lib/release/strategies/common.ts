// What the strategy modules share: the state machine's common rules (each module overrides the
// actions it treats differently), the routing intent built from a module's owned routes, and the
// two-way weight check. PURE.
import type { OwnedRouteIntent, RoutingIntent } from "../routing/intent";
import { ownedRouteName } from "../routing/owned-name";
import type { TaskSpec } from "../spec";
import type { TaskStatus } from "../status";
import { defaultStepEffect } from "../steps";
import { checkSteps, type SpecStepKind } from "../steps-check";
import { isTerminal } from "../terminal";
import { ACTIONS, type ActionName, type Strategy, type TaskState } from "../types";
import type {
  BarAction,
  InitialSplit,
  IntentStatus,
  IntentStep,
  IssueAt,
  RefusalKey,
  StrategyCapabilities,
  StrategyModule,
  TrafficField,
  TransitionStatus,
} from "./strategy";

type RefusalRule = (state: TaskState, status: TransitionStatus) => RefusalKey | null;

/** Steps move a running release forward; promoteFull is take-over past the remaining steps. */
function promotable(state: TaskState, status: TransitionStatus): RefusalKey | null {
  if (!status.stepTotal) return "err.state.noSteps";
  return state === "progressing" ? null : "err.state.isState";
}
type NextRule = (state: TaskState, status: TransitionStatus) => TaskState;

/** Take-over and traffic changes move a release that is running, rolled back or failed. */
export function movable(state: TaskState): RefusalKey | null {
  return state === "progressing" || state === "rolled-back" || state === "failed" ? null : "err.state.isState";
}

/** The rules every strategy follows unless its module says otherwise. */
const COMMON_REFUSALS: Record<ActionName, RefusalRule> = {
  confirm: () => "err.state.onlyBatchConfirms",
  // Any release may be paused (the metric analysis pauses one when it cannot judge): nothing
  // moves on its own until a person resumes it.
  pause: (state) =>
    state === "paused"
      ? "err.state.alreadyPaused"
      : state === "progressing" || state === "awaiting-confirmation"
        ? null
        : "err.state.isState",
  // ...and resumed; a person's slider move holds the steps, and resume lets them go on too.
  resume: (state, status) => (state === "paused" || status.stepState?.heldBy ? null : "err.state.notPaused"),
  promote: promotable,
  promoteFull: promotable,
  retry: (state, status) => {
    if (!status.stepTotal) return "err.state.noSteps";
    return state === "rolled-back" ? null : "err.state.retryAfterRollback";
  },
  switch: () => "err.state.switchIsBlueGreen",
  takeover: (state) => movable(state),
  setTraffic: (state) => movable(state),
  rollback: (state) => (state === "rolled-back" ? "err.state.alreadyRolledBack" : null),
  retireOld: (state, status) => {
    if (state === "rolled-back") return "err.state.retireRolledBack";
    return status.weights[status.newVersion] === 100 ? null : "err.state.takeoverFirst";
  },
  abort: () => null,
  resync: (_, status) => (status.routing === "replicas" ? "err.state.noMesh" : null),
  acceptDrift: (_, status) => (status.routing === "replicas" ? "err.state.noMesh" : null),
};

const COMMON_NEXT: Record<ActionName, NextRule> = {
  setTraffic: () => "progressing",
  takeover: () => "progressing",
  switch: () => "progressing",
  rollback: () => "rolled-back",
  retireOld: () => "completed",
  pause: () => "paused",
  // A paused release goes on; a held step plan goes on where it was.
  resume: (state) => (state === "paused" ? "progressing" : state),
  promote: (state) => state,
  promoteFull: () => "progressing",
  retry: () => "progressing",
  confirm: (state, status) => {
    const b = status.batch;
    if (!b) return state;
    return b.current + 1 >= b.plan.length ? "completed" : "awaiting-confirmation";
  },
  abort: () => "aborted",
  resync: (state) => state,
  acceptDrift: (state) => state,
};

/** What a module file writes down; defineStrategy fills in the shared behaviour. */
export interface StrategyDefinition {
  name: Strategy;
  capabilities: StrategyCapabilities;
  trafficFields: readonly TrafficField[];
  checkSpec?: (spec: TaskSpec, issue: IssueAt) => void;
  initialSplit: StrategyModule["initialSplit"];
  ownedRoutes?: StrategyModule["ownedRoutes"];
  /** Purposes of owned routes that stay when all traffic moves to one version (blue-green's preview). */
  keptOnAllTraffic?: readonly string[];
  refusals?: Partial<Record<ActionName, RefusalRule>>;
  next?: Partial<Record<ActionName, NextRule>>;
  statusAfter?: StrategyModule["statusAfter"];
  buttons?: StrategyModule["buttons"];
  /** The step kinds its spec may list (default: none). */
  stepKinds?: readonly SpecStepKind[];
  stepEffect?: StrategyModule["stepEffect"];
}

/** With steps, promote / promoteFull walk the plan where take-over would jump to its end. */
const STEP_BUTTONS: StrategyModule["buttons"] = () => [
  "promote",
  "promoteFull",
  "resume",
  "retireOld",
  "rollback",
  "retry",
  "abort",
];

export function defineStrategy(def: StrategyDefinition): StrategyModule {
  const ownedRoutes = def.ownedRoutes ?? (() => []);
  const refusal = (state: TaskState, action: ActionName, status: TransitionStatus): RefusalKey | null => {
    if (isTerminal(state)) return "err.state.isState";
    return (def.refusals?.[action] ?? COMMON_REFUSALS[action])(state, status);
  };
  const forward: BarAction = def.capabilities.advance;
  const stepKinds = def.stepKinds ?? [];
  const buttons: StrategyModule["buttons"] = (state, facts) =>
    def.buttons?.(state, facts) ??
    (facts?.hasSteps ? STEP_BUTTONS(state, facts) : [forward, "retireOld", "rollback", "abort"]);
  return {
    name: def.name,
    capabilities: def.capabilities,
    trafficFields: def.trafficFields,
    stepKinds,
    checkSpec: (spec, issue) => {
      def.checkSpec?.(spec, issue);
      checkSteps(spec, stepKinds, issue);
    },
    stepEffect:
      def.stepEffect ??
      ((_, status, step) => defaultStepEffect(step, { splitsDefault: true, pool: status.replicaPool })),
    initialSplit: def.initialSplit,
    ownedRoutes,
    intent: (spec, status, step) => routingIntent({ ...def, ownedRoutes }, spec, status, step),
    refusal,
    actions: (state, status) => ACTIONS.filter((a) => refusal(state, a, status) === null),
    nextState: (state, action, status) => (def.next?.[action] ?? COMMON_NEXT[action])(state, status),
    statusAfter: def.statusAfter ?? ((_, status) => status),
    buttons,
  };
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** The owned routes the task still has in force (a take-over or rollback dropped the others). */
function inForce(routes: readonly OwnedRouteIntent[], status: IntentStatus): OwnedRouteIntent[] {
  return routes.filter((r) => status.ownedRoutes.includes(ownedRouteName(status.task, r.purpose)));
}

/** The mirror as the strategy leaves it: set while the task mirrors, removed once it stopped, else untouched. */
function mirrorIntent(caps: StrategyCapabilities, status: IntentStatus, nv: string): RoutingIntent["mirror"] {
  if (!caps.hasMirror) return undefined;
  return status.mirrorPercent === null ? null : { version: nv, percent: status.mirrorPercent };
}

type IntentSource = Pick<StrategyDefinition, "capabilities" | "keptOnAllTraffic"> & {
  ownedRoutes: StrategyModule["ownedRoutes"];
};

export function routingIntent(
  source: IntentSource,
  spec: TaskSpec,
  status: IntentStatus,
  step: IntentStep,
): RoutingIntent {
  const base = status.baseVersion;
  const nv = status.newVersion;
  const mirror = mirrorIntent(source.capabilities, status, nv);
  const routes = source.ownedRoutes(spec, status);
  const weighted = { weights: status.weights };
  switch (step) {
    case "create": {
      const routed = routes.flatMap((r) => Object.keys(r.weights));
      return {
        defaultRoute: weighted,
        mirror,
        owned: routes,
        versions: uniq([base, nv, ...Object.keys(status.weights), ...routed]),
      };
    }
    case "traffic":
      return {
        defaultRoute: weighted,
        mirror,
        owned: inForce(routes, status),
        versions: uniq([base, nv, ...Object.keys(status.weights)]),
      };
    case "allTraffic": {
      const kept = routes.filter((r) => (source.keptOnAllTraffic ?? []).includes(r.purpose));
      return { defaultRoute: weighted, mirror, owned: inForce(kept, status), versions: [base, nv] };
    }
    case "retire":
      return { defaultRoute: { single: nv }, mirror, owned: [], versions: [nv], removeVersion: base };
  }
}

/** A split that leaves the base alone and starts progressing. */
export function plainSplit(spec: TaskSpec, weights: Record<string, number>): InitialSplit {
  return { weights, newReplicas: spec.newVersion.replicas, baseTarget: null, state: "progressing" };
}

/** A two-way split from the spec's weights, base first; the base must be one of them. */
export function twoWayWeights(
  spec: TaskSpec,
  weights: Record<string, number>,
  base: string,
  refuse: Parameters<StrategyModule["initialSplit"]>[2],
): Record<string, number> {
  const nv = spec.newVersion.version;
  if (!(base in weights))
    refuse("traffic.weights", "err.plan.weightsNeedBase", { base, version: nv, got: Object.keys(weights).join(", ") });
  return { [base]: weights[base] ?? 0, [nv]: weights[nv] ?? 0 };
}

/** traffic.weights names exactly the new version and one other (the base, when the spec names it). */
export function checkTwoVersionWeights(spec: TaskSpec, weights: Record<string, number>, issue: IssueAt): void {
  const newVersion = spec.newVersion.version;
  const keys = Object.keys(weights);
  if (keys.length !== 2 || !keys.includes(newVersion)) {
    issue(["traffic", "weights"], "err.spec.weightsTwo", { version: newVersion });
    return;
  }
  if (spec.baseVersion !== undefined && !keys.includes(spec.baseVersion))
    issue(["traffic", "weights"], "err.spec.weightsTwoBase", { base: spec.baseVersion, version: newVersion });
}

/** The status with the mirror stopped (take-over, rollback, retire of a mirror release). */
export function mirrorStopped(status: TaskStatus): TaskStatus {
  return { ...status, mirrorPercent: null };
}
