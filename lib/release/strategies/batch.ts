// Batch: the new version takes over in groups of replicas, each confirmed (or confirmed by the
// console when pauseBetweenGroups is false); the base shrinks as the new version grows. Traffic
// follows the groups through the mesh when the service has a VirtualService, else by pod counts.
import { batchPlan } from "../replicas";
import type { TaskSpec } from "../spec";
import type { TaskState } from "../types";
import { defineStrategy } from "./common";
import type { BaseFacts, InitialSplit, IssueAt, Refuse, RefusalKey, TransitionStatus } from "./strategy";

function checkBatch(spec: TaskSpec, issue: IssueAt): void {
  if (spec.batch === undefined) {
    issue(["batch"], "err.spec.batchNeedsGroups");
    return;
  }
  const r = spec.newVersion.replicas;
  if (spec.batch.groups > r)
    issue(["batch", "groups"], "err.spec.groupsOverReplicas", { replicas: r, groups: spec.batch.groups });
  if (spec.batch.betaGroup && spec.batch.groups < 2 && r > 1) issue(["batch", "betaGroup"], "err.spec.betaNeedsGroups");
}

/** The first group: its replicas, the base shrunk by the same share, traffic by that ratio. */
function firstGroup(spec: TaskSpec, base: BaseFacts, refuse: Refuse): InitialSplit {
  if (!spec.batch) return refuse("batch", "err.spec.batchNeedsGroups");
  const r = spec.newVersion.replicas;
  const nv = spec.newVersion.version;
  const plan = batchPlan(r, spec.batch.groups, spec.batch.betaGroup ?? false);
  const first = plan[0] ?? r;
  const last = plan.length === 1;
  const wn = last ? 100 : Math.round((100 * first) / r);
  const baseTarget = last ? 0 : Math.round(base.replicas * (1 - first / r));
  const batch = { plan, current: 1, baseInitialReplicas: base.replicas };
  const state: TaskState = last ? "completed" : "awaiting-confirmation";
  return { weights: { [base.version]: 100 - wn, [nv]: wn }, newReplicas: last ? r : first, baseTarget, state, batch };
}

const awaiting = (state: TaskState, key: RefusalKey): RefusalKey | null =>
  state === "paused" ? key : state !== "awaiting-confirmation" ? "err.state.notAwaiting" : null;

function setTrafficRefusal(state: TaskState, status: TransitionStatus): RefusalKey | null {
  if (status.routing === "replicas") return "err.state.batchWithoutMesh";
  const waiting =
    state === "awaiting-confirmation" || state === "paused" || state === "rolled-back" || state === "failed";
  return waiting ? null : "err.state.isState";
}

export const batch = defineStrategy({
  name: "batch",
  capabilities: {
    routing: "router-or-replicas",
    hasWeights: false,
    hasMatchRules: false,
    hasPreview: false,
    hasVariants: false,
    hasMirror: false,
    hasBatches: true,
    scalesBase: true,
    splitsPods: false,
    slider: "weights",
    advance: "confirm",
  },
  trafficFields: [],
  checkSpec: checkBatch,
  initialSplit: firstGroup,
  refusals: {
    confirm: (state) => awaiting(state, "err.state.isPaused"),
    pause: (state) => awaiting(state, "err.state.alreadyPaused"),
    resume: (state, status) => (state === "paused" || status.stepState?.heldBy ? null : "err.state.notPaused"),
    // Promote confirms the next group (or ends a step between groups) while a group waits.
    promote: (state, status) => (status.stepTotal ? awaiting(state, "err.state.isPaused") : "err.state.noSteps"),
    promoteFull: (_, status) => (status.stepTotal ? "err.state.batchPromoteFull" : "err.state.noSteps"),
    takeover: () => "err.state.batchTakeover",
    setTraffic: setTrafficRefusal,
    retireOld: (state) => (state === "rolled-back" ? "err.state.retireRolledBack" : "err.state.batchRetires"),
  },
  // A split set while a group waits keeps the task waiting (or paused).
  next: {
    setTraffic: (state) => (state === "paused" ? "paused" : "awaiting-confirmation"),
    // A paused batch waits for its next group again.
    resume: (state) => (state === "paused" ? "awaiting-confirmation" : state),
    // Tried again from its first group, which waits for its confirmation like at create.
    retry: () => "awaiting-confirmation",
  },
  stepKinds: ["pause", "analysis"],
  buttons: (state, facts) => [
    facts?.hasSteps ? "promote" : "confirm",
    state === "paused" ? "resume" : "pause",
    "rollback",
    ...(facts?.hasSteps ? (["retry"] as const) : []),
    "abort",
  ],
});
