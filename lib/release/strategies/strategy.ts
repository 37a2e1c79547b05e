// The one shape every release strategy has. A strategy module (one file per strategy in this
// folder) says which traffic settings its spec takes and checks them, how it splits traffic at
// create, which routes it owns, what the router must do in each step (a RoutingIntent, in no
// router's terms), which actions it accepts in which state and where they lead, and what the UI
// needs to know about it (capabilities). Everything outside this folder asks the registry
// (index.ts) instead of comparing strategy names. PURE; types and light helpers only, since the
// UI bundles the registry too.
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import type { OwnedRouteIntent, RoutingIntent } from "../routing/intent";
import type { TaskSpec } from "../spec";
import type { PlanStep, StepEffect } from "../steps";
import type { SpecStepKind } from "../steps-check";
import type { TaskStatus } from "../status";
import type { ActionName, Deployment, Strategy, TaskState } from "../types";

/** The `traffic` fields a spec may carry; each strategy takes some of them. */
export type TrafficField =
  | "weights"
  | "match"
  | "matchWeight"
  | "mirrorPercent"
  | "previewHeader"
  | "previewCookie"
  | "variants";

/** Adds a custom validation issue at `path` (relative to the spec) saying the catalog message `key`. */
export type IssueAt = (path: (string | number)[], key: ErrorKey, params?: MessageVars) => void;

/** Refuses the create at `path` (throws): the planner passes its PlanError factory. */
export type Refuse = (path: string, key: ErrorKey, params?: MessageVars, code?: "invalid" | "not_found") => never;

/** What the UI and the planner may ask about a strategy instead of its name. */
export interface StrategyCapabilities {
  /**
   * How traffic is steered. "router": by the mesh (refused without it); "replicas": by pod
   * counts behind the Service, no router; "router-or-replicas": the mesh when the service has a
   * VirtualService, else pod counts.
   */
  routing: "router" | "replicas" | "router-or-replicas";
  /** The spec's traffic.weights: a two-way split of base and new. */
  hasWeights: boolean;
  /** The spec's traffic.match (+ matchWeight): matched requests to the new version. */
  hasMatchRules: boolean;
  /** The spec's previewHeader/previewCookie: a preview route to the new version before the switch. */
  hasPreview: boolean;
  /** The spec's traffic.variants: several versions, by match or by weight. */
  hasVariants: boolean;
  /** The spec's traffic.mirrorPercent: a copy of live traffic to the new version. */
  hasMirror: boolean;
  /** The spec's batch: groups of replicas confirmed one by one (confirm/pause/resume). */
  hasBatches: boolean;
  /** Scales the base itself: an HPA on the base would fight it, and the base must be one Deployment. */
  scalesBase: boolean;
  /**
   * The split IS the pod ratio of one shared pool: the new Deployment (`<service>-canary`) carries
   * the Service's selector labels, and take-over / roll-back scale a side to 0.
   */
  splitsPods: boolean;
  /** What the task page's slider sets: the two-way split, the mirrored percentage, or nothing. */
  slider: "weights" | "mirror" | "none";
  /** The action that moves the release forward: take over, switch at once, or confirm the next group. */
  advance: "takeover" | "switch" | "confirm";
}

/** What the planner knows about the base when it asks for the initial split. */
export interface BaseFacts {
  version: string;
  replicas: number;
  /** The Deployments of the service (to check the versions a spec names exist). */
  deployments: readonly Deployment[];
}

/** The intended split at create: weights, the new Deployment's replicas, the base's target. */
export interface InitialSplit {
  weights: Record<string, number>;
  newReplicas: number;
  /** Replicas the base is scaled to (null: untouched). */
  baseTarget: number | null;
  state: TaskState;
  replicaPool?: number;
  batch?: TaskStatus["batch"];
  mirrorPercent?: number;
}

/**
 * Which routing a step asks for. "create": every route the spec asks for; "traffic" (setTraffic,
 * confirm): the default route's weights with the owned routes still in force; "allTraffic"
 * (takeover, switch, rollback): all traffic on one version, only routes kept on all traffic;
 * "retire": the new version alone, the base no longer addressed.
 */
export type IntentStep = "create" | "traffic" | "allTraffic" | "retire";

/** The parts of TaskStatus the state machine looks at (so callers/tests need not build a full status). */
export type TransitionStatus = Pick<
  TaskStatus,
  "newVersion" | "weights" | "batch" | "routing" | "stepState" | "stepTotal"
>;

/** A reason an action is refused: an `err.state.*` message taking {action} and {state}. */
export type RefusalKey = Extract<ErrorKey, `err.state.${string}`>;

/** The parts of the status a routing intent is built from. */
export type IntentStatus = Pick<
  TaskStatus,
  "task" | "baseVersion" | "newVersion" | "weights" | "mirrorPercent" | "ownedRoutes" | "stepMatch" | "stepMatchWeight"
>;

/** The status parts a strategy's owned routes come from: the versions, and what steps changed (setMatch, setWeight). */
export type RouteStatus = Pick<TaskStatus, "baseVersion" | "newVersion" | "stepMatch" | "stepMatchWeight">;

/** What the action bar knows of the task's steps when it asks for buttons. */
export interface ButtonFacts {
  /** The spec has steps: promote / promoteFull / retry take the place of take-over. */
  hasSteps: boolean;
}

/** The buttons of the task page's action bar (setTraffic, resync and acceptDrift live elsewhere). */
export type BarAction = Exclude<ActionName, "setTraffic" | "resync" | "acceptDrift">;

export interface StrategyModule {
  readonly name: Strategy;
  readonly capabilities: StrategyCapabilities;
  /** Its part of the spec schema: the traffic fields it understands (others are refused, not ignored)... */
  readonly trafficFields: readonly TrafficField[];
  /** ...and the checks of its own settings, reported through `issue`. */
  checkSpec(spec: TaskSpec, issue: IssueAt): void;
  /** The split at create (throws through `refuse` when the spec cannot be served). */
  initialSplit(spec: TaskSpec, base: BaseFacts, refuse: Refuse): InitialSplit;
  /** Every route the spec asks the router to own, in order. */
  ownedRoutes(spec: TaskSpec, status: RouteStatus): OwnedRouteIntent[];
  /** What the router must do in `step`. */
  intent(spec: TaskSpec, status: IntentStatus, step: IntentStep): RoutingIntent;
  /** Why `action` is refused in `state` (a catalog key), or null when it is allowed. */
  refusal(state: TaskState, action: ActionName, status: TransitionStatus): RefusalKey | null;
  /** The actions allowed in `state`. */
  actions(state: TaskState, status: TransitionStatus): ActionName[];
  /** The state an allowed action leads to. */
  nextState(state: TaskState, action: ActionName, status: TransitionStatus): TaskState;
  /** The status after `action` as far as the strategy's own settings go (e.g. a mirror stops on take-over). */
  statusAfter(action: ActionName, status: TaskStatus): TaskStatus;
  /** The action bar's buttons in `state`, in screen order: move forward, hold, back out. */
  buttons(state: TaskState, facts?: ButtonFacts): BarAction[];
  /** The step kinds its spec may list in `steps` (none: it takes no steps). */
  readonly stepKinds: readonly SpecStepKind[];
  /** What applying `step` asks of this release (a new split, mirror, match rules, the next group, or waiting). */
  stepEffect(spec: TaskSpec, status: TaskStatus, step: PlanStep): StepEffect;
}
