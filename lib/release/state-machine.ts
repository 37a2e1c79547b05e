// Which actions a task accepts in which state, and where each one leads. PURE.
import { PlanError } from "./errors";
import type { TaskStatus } from "./status";
import { ACTIONS, type ActionName, type Strategy, type TaskState } from "./types";

export const TERMINAL_STATES: readonly TaskState[] = ["completed", "aborted"];

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** The parts of TaskStatus the state machine looks at (so callers/tests need not build a full status). */
export type TransitionStatus = Pick<TaskStatus, "newVersion" | "weights" | "batch" | "routing">;

function newHasAllTraffic(status: TransitionStatus): boolean {
  return status.weights[status.newVersion] === 100;
}

/** Why `action` is refused in `state`, or null when it is allowed. */
export function refusal(strategy: Strategy, state: TaskState, action: ActionName, status: TransitionStatus): string | null {
  if (isTerminal(state)) return `task is ${state}`;
  const batch = strategy === "batch";
  const inState = (...states: TaskState[]) => states.includes(state);
  switch (action) {
    case "confirm":
      if (!batch) return "only batch releases have groups to confirm";
      if (state === "paused") return "task is paused";
      if (state !== "awaiting-confirmation") return `task is ${state}, not awaiting confirmation`;
      return null;
    case "pause":
      if (!batch) return "only batch releases can be paused";
      if (state === "paused") return "task is already paused";
      if (state !== "awaiting-confirmation") return `task is ${state}, not awaiting confirmation`;
      return null;
    case "resume":
      if (!batch) return "only batch releases can be paused and resumed";
      if (state !== "paused") return `task is ${state}, not paused`;
      return null;
    case "switch":
      if (strategy !== "blue-green") return "switch is for blue-green releases; use takeover";
      if (!inState("progressing", "rolled-back", "failed")) return `task is ${state}`;
      return null;
    case "takeover":
      if (batch) return "batch releases hand traffic over group by group: confirm the remaining groups";
      if (!inState("progressing", "rolled-back", "failed")) return `task is ${state}`;
      return null;
    case "setTraffic":
      if (strategy === "blue-green") return "blue-green moves all traffic at once: use switch or rollback";
      if (batch) {
        if (status.routing !== "istio") return "this batch release has no VirtualService: traffic follows replica counts";
        if (!inState("awaiting-confirmation", "paused", "rolled-back", "failed")) return `task is ${state}`;
        return null;
      }
      if (!inState("progressing", "rolled-back", "failed")) return `task is ${state}`;
      return null;
    case "rollback":
      if (state === "rolled-back") return "task is already rolled back";
      return null;
    case "retireOld":
      if (state === "rolled-back") return "task is rolled back: take over all traffic first";
      if (batch) return "batch releases retire the old version by confirming the last group";
      if (!newHasAllTraffic(status)) return "take over all traffic first";
      return null;
    case "abort":
      return null;
    case "resync":
    case "acceptDrift":
      if (status.routing !== "istio") return "task manages no VirtualService or DestinationRule";
      return null;
  }
}

export function allowedActions(strategy: Strategy, state: TaskState, status: TransitionStatus): ActionName[] {
  return ACTIONS.filter((a) => refusal(strategy, state, a, status) === null);
}

/** Next state after `action`; throws PlanError("conflict") with the reason when it is not allowed. */
export function transition(strategy: Strategy, state: TaskState, action: ActionName, status: TransitionStatus): TaskState {
  const reason = refusal(strategy, state, action, status);
  if (reason !== null) throw new PlanError("conflict", `cannot ${action}: ${reason}`, { state, action });
  switch (action) {
    case "setTraffic":
      if (strategy === "batch") return state === "paused" ? "paused" : "awaiting-confirmation";
      return "progressing";
    case "takeover":
    case "switch":
      return "progressing";
    case "rollback":
      return "rolled-back";
    case "retireOld":
      return "completed";
    case "pause":
      return "paused";
    case "resume":
      return "awaiting-confirmation";
    case "confirm": {
      const b = status.batch;
      if (!b) throw new PlanError("conflict", "cannot confirm: task has no batch progress recorded");
      return b.current + 1 >= b.plan.length ? "completed" : "awaiting-confirmation";
    }
    case "abort":
      return "aborted";
    case "resync":
    case "acceptDrift":
      return state;
  }
}
