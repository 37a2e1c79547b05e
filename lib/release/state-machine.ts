// Which actions a task accepts in which state, and where each one leads. PURE.
import { localized, type Localized } from "@/lib/i18n/localized";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { planError, planErrorOf } from "./errors";
import type { TaskStatus } from "./status";
import { ACTIONS, type ActionName, type Strategy, type TaskState } from "./types";

export { TERMINAL_STATES, isTerminal } from "./terminal";
import { isTerminal } from "./terminal";

/** A reason an action is refused: an `err.state.*` message taking {action} and {state}. */
export type RefusalKey = Extract<ErrorKey, `err.state.${string}`>;

/** The parts of TaskStatus the state machine looks at (so callers/tests need not build a full status). */
export type TransitionStatus = Pick<TaskStatus, "newVersion" | "weights" | "batch" | "routing">;

function newHasAllTraffic(status: TransitionStatus): boolean {
  return status.weights[status.newVersion] === 100;
}

/** Why `action` is refused in `state` (a catalog key, see refusalText), or null when it is allowed. */
export function refusal(strategy: Strategy, state: TaskState, action: ActionName, status: TransitionStatus): RefusalKey | null {
  if (isTerminal(state)) return "err.state.isState";
  const batch = strategy === "batch";
  const inState = (...states: TaskState[]) => states.includes(state);
  switch (action) {
    case "confirm":
      if (!batch) return "err.state.onlyBatchConfirms";
      if (state === "paused") return "err.state.isPaused";
      if (state !== "awaiting-confirmation") return "err.state.notAwaiting";
      return null;
    case "pause":
      if (!batch) return "err.state.onlyBatchPauses";
      if (state === "paused") return "err.state.alreadyPaused";
      if (state !== "awaiting-confirmation") return "err.state.notAwaiting";
      return null;
    case "resume":
      if (!batch) return "err.state.onlyBatchResumes";
      if (state !== "paused") return "err.state.notPaused";
      return null;
    case "switch":
      if (strategy !== "blue-green") return "err.state.switchIsBlueGreen";
      if (!inState("progressing", "rolled-back", "failed")) return "err.state.isState";
      return null;
    case "takeover":
      if (batch) return "err.state.batchTakeover";
      if (!inState("progressing", "rolled-back", "failed")) return "err.state.isState";
      return null;
    case "setTraffic":
      if (strategy === "blue-green") return "err.state.blueGreenTraffic";
      if (batch) {
        if (status.routing !== "istio") return "err.state.batchWithoutMesh";
        if (!inState("awaiting-confirmation", "paused", "rolled-back", "failed")) return "err.state.isState";
        return null;
      }
      if (!inState("progressing", "rolled-back", "failed")) return "err.state.isState";
      return null;
    case "rollback":
      if (state === "rolled-back") return "err.state.alreadyRolledBack";
      return null;
    case "retireOld":
      if (state === "rolled-back") return "err.state.retireRolledBack";
      if (batch) return "err.state.batchRetires";
      if (!newHasAllTraffic(status)) return "err.state.takeoverFirst";
      return null;
    case "abort":
      return null;
    case "resync":
    case "acceptDrift":
      if (status.routing !== "istio") return "err.state.noMesh";
      return null;
  }
}

/** The refusal said in full: "cannot <action>: <reason>" with the action and state as words. */
export function refusalText(key: RefusalKey, action: ActionName, state: TaskState): Localized {
  return localized(key, { action, actionKey: `err.word.action.${action}`, state, stateKey: `err.word.state.${state}` });
}

export function allowedActions(strategy: Strategy, state: TaskState, status: TransitionStatus): ActionName[] {
  return ACTIONS.filter((a) => refusal(strategy, state, a, status) === null);
}

/** Next state after `action`; throws PlanError("conflict") with the reason when it is not allowed. */
export function transition(strategy: Strategy, state: TaskState, action: ActionName, status: TransitionStatus): TaskState {
  const reason = refusal(strategy, state, action, status);
  if (reason !== null) throw planErrorOf("conflict", refusalText(reason, action, state), { state, action });
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
      if (!b) throw planError("conflict", "err.state.noBatchProgress");
      return b.current + 1 >= b.plan.length ? "completed" : "awaiting-confirmation";
    }
    case "abort":
      return "aborted";
    case "resync":
    case "acceptDrift":
      return state;
  }
}
