// Which actions a task accepts in which state, and where each one leads: each strategy module
// says it (lib/release/strategies); this is the planner's and the API's door to it. PURE.
import { localized, type Localized } from "@/lib/i18n/localized";
import { planError, planErrorOf } from "./errors";
import { strategyOf, type RefusalKey, type TransitionStatus } from "./strategies";
import type { ActionName, Strategy, TaskState } from "./types";

export { TERMINAL_STATES, ACTIVE_STATES, isTerminal } from "./terminal";
export type { RefusalKey, TransitionStatus } from "./strategies";

/** Why `action` is refused in `state` (a catalog key, see refusalText), or null when it is allowed. */
export function refusal(
  strategy: Strategy,
  state: TaskState,
  action: ActionName,
  status: TransitionStatus,
): RefusalKey | null {
  return strategyOf(strategy).refusal(state, action, status);
}

/** The refusal said in full: "cannot <action>: <reason>" with the action and state as words. */
export function refusalText(key: RefusalKey, action: ActionName, state: TaskState): Localized {
  return localized(key, { action, actionKey: `err.word.action.${action}`, state, stateKey: `err.word.state.${state}` });
}

export function allowedActions(strategy: Strategy, state: TaskState, status: TransitionStatus): ActionName[] {
  return strategyOf(strategy).actions(state, status);
}

/** Next state after `action`; throws PlanError("conflict") with the reason when it is not allowed. */
export function transition(
  strategy: Strategy,
  state: TaskState,
  action: ActionName,
  status: TransitionStatus,
): TaskState {
  const reason = refusal(strategy, state, action, status);
  if (reason !== null) throw planErrorOf("conflict", refusalText(reason, action, state), { state, action });
  // A confirm needs the groups it walks through; a status without them is corrupt, not a state.
  if (action === "confirm" && !status.batch) throw planError("conflict", "err.state.noBatchProgress");
  return strategyOf(strategy).nextState(state, action, status);
}
