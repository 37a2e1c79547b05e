// Helpers for the strategy modules' table tests. Test code only.
import { TaskSpecSchema, formatZodError, type TaskSpec } from "../spec";
import type { IntentStatus, StrategyModule, TransitionStatus } from "../strategies";
import { TASK_STATES, type ActionName, type Strategy, type TaskState } from "../types";

const IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

function input(strategy: Strategy, extra: Record<string, unknown>) {
  return { name: "rel", namespace: "bookinfo", service: "reviews", strategy, baseVersion: "v1", newVersion: { version: "v2", image: IMAGE }, ...extra };
}

export function specOf(strategy: Strategy, extra: Record<string, unknown> = {}): TaskSpec {
  return TaskSpecSchema.parse(input(strategy, extra));
}

/** The schema's verdict on a spec: [] when accepted, else `path: key` per offending field. */
export function specIssues(strategy: Strategy, extra: Record<string, unknown> = {}): string[] {
  const result = TaskSpecSchema.safeParse(input(strategy, extra));
  return result.success ? [] : formatZodError(result.error).details.map((d) => `${d.path}: ${d.key}`);
}

export function intentStatus(over: Partial<IntentStatus> = {}): IntentStatus {
  return { task: "rel", baseVersion: "v1", newVersion: "v2", weights: { v1: 90, v2: 10 }, mirrorPercent: null, ownedRoutes: [], ...over };
}

export function transitionStatus(over: Partial<TransitionStatus> = {}): TransitionStatus {
  return { newVersion: "v2", weights: { v1: 90, v2: 10 }, batch: null, routing: "istio", ...over };
}

/** The actions the module allows, per state. */
export function actionTable(module: StrategyModule, status: TransitionStatus): Record<TaskState, ActionName[]> {
  return Object.fromEntries(TASK_STATES.map((s) => [s, module.actions(s, status)])) as Record<TaskState, ActionName[]>;
}
