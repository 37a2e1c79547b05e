// The states a task never leaves, and the ones it is still active in (its complement, so the
// two can never disagree). Apart from the state machine so that every page can ask "is this
// task over?" without loading the machine's refusal messages. PURE.
import { TASK_STATES, type TaskState } from "./types";

export const TERMINAL_STATES: readonly TaskState[] = ["completed", "aborted"];

/** Every state that is not terminal: a task in one holds its service (one active task per service). */
export const ACTIVE_STATES: readonly TaskState[] = TASK_STATES.filter((s) => !TERMINAL_STATES.includes(s));

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** A stored state (a string from the database) that is active. */
export function isActiveState(state: string): boolean {
  return (ACTIVE_STATES as readonly string[]).includes(state);
}
