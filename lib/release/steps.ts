// The step engine: a task's step plan (spec.steps, or a batch's groups with the spec's steps
// between them), where the task is in it (status.stepState), which step comes next, what a step
// asks of the router (through the strategy module's stepEffect) and when a timed step is due.
// PURE and table-tested (steps.test.ts); the runner (lib/tasks/steps-runner.ts) acts on it.
import type { MatchRule } from "./match-schema";
import { durationMs, kindOf, type SpecStepKind } from "./steps-check";
import type { Step } from "./steps-schema";
import type { TaskState } from "./types";

export type StepKind = SpecStepKind | "batchGroup";

/** One step of the plan, in engine terms. */
export interface PlanStep {
  kind: StepKind;
  /** setWeight / setMirror / setReplicas: the number the step sets. */
  value?: number;
  /** pause / analysis: the duration as written ("30s") and in ms; a pause without one waits for promote. */
  duration?: string;
  durationMs?: number;
  /** setMatch: the rules of the content canary's route from this step on. */
  match?: MatchRule[];
  /** batchGroup: the group (1-based) this step rolls out. */
  group?: number;
}

/** Where a task is in its step plan (TaskStatus.stepState; the analysis gate reads kind and index). */
export interface StepState {
  /** The current step, 0-based. */
  index: number;
  kind: StepKind;
  /** ISO time the step started. */
  startedAt: string;
  /** ISO time a timed pause resumes itself / an analysis step's measuring ends. */
  until?: string;
  /** A person moved the slider: the steps wait until `resume` (or `promote`). */
  heldBy?: "user";
  /** Steps in the plan. */
  total: number;
  /** Every step is done: the task waits for the usual retire/complete. */
  done?: boolean;
  /**
   * Held before step 1 was applied (a person moved the slider right after create or retry):
   * `index` 0 is where the plan will start, nothing of it has run yet.
   */
  notStarted?: boolean;
}

/** What applying a step asks of the release, decided per strategy (StrategyModule.stepEffect). */
export type StepEffect =
  | { kind: "weights"; newWeight: number }
  | { kind: "matchWeight"; newWeight: number }
  | { kind: "match"; rules: MatchRule[] }
  | { kind: "mirror"; percent: number }
  | { kind: "group"; group: number }
  | { kind: "wait" };

/** What the plan is built from: the spec's steps and, for a batch, its groups. */
export interface PlanSource {
  steps?: Step[] | undefined;
}

function planStepOf(step: Step): PlanStep {
  const kind = kindOf(step);
  switch (kind) {
    case "setWeight":
      return { kind, value: step.setWeight ?? 0 };
    case "setMirror":
      return { kind, value: step.setMirror ?? 0 };
    case "setReplicas":
      return { kind, value: step.setReplicas ?? 0 };
    case "setMatch":
      return { kind, match: step.setMatch ?? [] };
    case "pause": {
      const d = step.pause?.duration;
      return d === undefined ? { kind } : { kind, duration: d, durationMs: durationMs(d) ?? 0 };
    }
    case "analysis": {
      const d = step.analysis?.duration ?? "0s";
      return { kind, duration: d, durationMs: durationMs(d) ?? 0 };
    }
  }
}

/**
 * The task's step plan; empty when the spec has no steps. With `groups` (a batch) every group is
 * a step, and the spec's steps (pauses, analyses) run between each group and the next.
 */
export function stepPlan(spec: PlanSource, groups?: number | null): PlanStep[] {
  if (!spec.steps || spec.steps.length === 0) return [];
  const between = spec.steps.map(planStepOf);
  if (!groups) return between;
  return Array.from({ length: groups }, (_, i) => [
    { kind: "batchGroup" as const, group: i + 1 },
    ...(i + 1 < groups ? between : []),
  ]).flat();
}

/** Steps that wait (for time, a measurement or a person) once started; the others are done when applied. */
export function waits(kind: StepKind): boolean {
  return kind === "pause" || kind === "analysis";
}

/** The index the next promote enters: the first step when none started yet. */
/** The step the task is in, -1 before the first one was entered. */
export function currentIndex(state: StepState | null | undefined): number {
  return state && !state.notStarted ? state.index : -1;
}

export function nextIndex(state: StepState | null | undefined): number {
  return currentIndex(state) + 1;
}

/** A person's slider move before step 1 was entered: the plan waits, at its start, for resume. */
export function heldBeforeStart(plan: readonly PlanStep[], now: Date): StepState {
  return {
    index: 0,
    kind: plan[0]?.kind ?? "setWeight",
    startedAt: now.toISOString(),
    total: plan.length,
    heldBy: "user",
    notStarted: true,
  };
}

/** The state of a task that just entered step `index` at `now`. */
export function enterStep(plan: readonly PlanStep[], index: number, now: Date): StepState {
  const step = plan[index];
  if (!step) throw new RangeError(`step ${index} is outside a plan of ${plan.length}`);
  const until = step.durationMs !== undefined ? new Date(now.getTime() + step.durationMs).toISOString() : undefined;
  const last = index === plan.length - 1;
  return {
    index,
    kind: step.kind,
    startedAt: now.toISOString(),
    ...(until ? { until } : {}),
    total: plan.length,
    // The last step, when it is done the moment it is applied, ends the plan.
    ...(last && !waits(step.kind) ? { done: true } : {}),
  };
}

/** The state once every step is done (a promote past the last step, or promoteFull). */
export function finishedState(plan: readonly PlanStep[], now: Date): StepState {
  const last = plan.length - 1;
  return {
    index: last,
    kind: plan[last]?.kind ?? "setWeight",
    startedAt: now.toISOString(),
    total: plan.length,
    done: true,
  };
}

/** The steps are running (started, not done, not held): what a person's slider move interrupts. */
export function stepsRunning(state: StepState | null | undefined): boolean {
  return !!state && !state.done && !state.heldBy;
}

/**
 * What the runner does about a task now: "advance" (promote into the next step), "analysis"
 * (the analysis step's time is over: promote if the gate passes), or null (nothing is due).
 */
export function dueStep(
  plan: readonly PlanStep[],
  stepState: StepState | null | undefined,
  taskState: TaskState,
  now: Date,
): "advance" | "analysis" | null {
  if (plan.length === 0) return null;
  if (taskState !== "progressing" && taskState !== "awaiting-confirmation") return null;
  if (!stepState) return "advance";
  if (stepState.done || stepState.heldBy) return null;
  const step = plan[stepState.index];
  if (!step) return null;
  if (!waits(step.kind)) return "advance";
  if (!stepState.until || now.getTime() < Date.parse(stepState.until)) return null;
  return step.kind === "analysis" ? "analysis" : "advance";
}

/** "setWeight 50", "pause 30s", "pause", "group 2": a step in a history line. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "setWeight":
    case "setMirror":
    case "setReplicas":
      return `${step.kind} ${step.value}`;
    case "setMatch":
      return `setMatch (${step.match?.length ?? 0} rules)`;
    case "batchGroup":
      return `group ${step.group}`;
    default:
      return step.duration ? `${step.kind} ${step.duration}` : step.kind;
  }
}

/** Capabilities the default step effect looks at (strategy.ts StrategyCapabilities). */
export interface StepEffectFacts {
  /** The spec sets the default route's split (traffic.weights), or the strategy splits by pods. */
  splitsDefault: boolean;
  /** Pods in the shared pool (replica canary), for setReplicas. */
  pool: number | null;
}

/** What a step asks of a two-version release: the strategy modules use this unless they differ. */
export function defaultStepEffect(step: PlanStep, facts: StepEffectFacts): StepEffect {
  switch (step.kind) {
    case "setWeight":
      return facts.splitsDefault
        ? { kind: "weights", newWeight: step.value ?? 0 }
        : { kind: "matchWeight", newWeight: step.value ?? 0 };
    case "setReplicas": {
      const pool = Math.max(facts.pool ?? 1, 1);
      return { kind: "weights", newWeight: Math.round((100 * Math.min(step.value ?? 0, pool)) / pool) };
    }
    case "setMirror":
      return { kind: "mirror", percent: step.value ?? 0 };
    case "setMatch":
      return { kind: "match", rules: step.match ?? [] };
    case "batchGroup":
      return { kind: "group", group: step.group ?? 1 };
    default:
      return { kind: "wait" };
  }
}
