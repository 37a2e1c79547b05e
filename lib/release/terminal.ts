// The states a task never leaves. Apart from the state machine so that every page can ask
// "is this task over?" without loading the machine's refusal messages. PURE.
import type { TaskState } from "./types";

export const TERMINAL_STATES: readonly TaskState[] = ["completed", "aborted"];

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.includes(state);
}
