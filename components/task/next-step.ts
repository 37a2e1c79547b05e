// The action bar's buttons for a task: which actions its strategy has, which one is the next
// sensible step (the primary button), and why each of the others cannot be used right now.
// PURE: returns message keys + values, so the table tests need no catalog.
import type { TaskDetail } from "@/lib/api/contracts";
import type { ActionName, TaskState } from "@/lib/release/types";
import { isTerminal } from "@/lib/release/terminal";
import { capabilitiesOf, strategyOf, type BarAction as StrategyBarAction } from "@/lib/release/strategies";
import type { MessageKey } from "@/lib/i18n/messages/en";

type BarAction = StrategyBarAction;

/** Why a button is disabled; `stateVar` is a task state the component words with `state.*`. */
export interface Reason {
  key: MessageKey;
  vars?: Record<string, string | number>;
  stateVar?: TaskState;
}

export interface BarButton {
  action: BarAction;
  primary: boolean;
  enabled: boolean;
  reason: Reason | null;
}

export type BarTask = Pick<
  TaskDetail,
  "strategy" | "state" | "weights" | "baseVersion" | "newVersion" | "allowedActions" | "drift" | "operation"
> & { steps?: TaskDetail["steps"] };

/** Never blocked by drift or by an operation in flight (the server says the same). */
const BRAKES: readonly ActionName[] = ["abort", "rollback"];

/** The buttons a strategy has at all, in screen order: move forward, hold, back out. */
export function strategyActions(task: Pick<BarTask, "strategy" | "state" | "steps">): BarAction[] {
  return strategyOf(task.strategy).buttons(task.state, { hasSteps: (task.steps ?? null) !== null });
}

/** With steps running: go on (resume a hold, else promote); null when the steps are done or not running. */
function stepsPrimary(task: Pick<BarTask, "state" | "steps">): BarAction | null {
  const s = task.steps?.state;
  if (!task.steps || s?.done) return null;
  if (s?.heldBy) return "resume";
  return task.state === "progressing" || task.state === "awaiting-confirmation" ? "promote" : null;
}

/**
 * The next sensible step: confirm a waiting group, resume a paused batch, retire the old version
 * once the new one has all traffic (after take-over or a blue-green switch), else move all
 * traffic over. None when the task is finished, rolled back or failed: what comes next is the
 * operator's call (try again or abort), not one obvious step.
 */
export function primaryAction(
  task: Pick<BarTask, "strategy" | "state" | "weights" | "newVersion" | "steps">,
): BarAction | null {
  const stepping = stepsPrimary({ state: task.state, steps: task.steps ?? null });
  if (stepping) return stepping;
  if (task.state === "awaiting-confirmation") return task.steps ? "promote" : "confirm";
  if (task.state === "paused") return "resume";
  const advance = capabilitiesOf(task.strategy).advance;
  // A release that moves group by group has no single step forward while progressing.
  if (task.state !== "progressing" || advance === "confirm") return null;
  if (task.weights[task.newVersion] === 100) return "retireOld";
  return advance;
}

function refusalReason(action: BarAction, task: BarTask): Reason {
  const s = task.state;
  const next = task.newVersion;
  switch (action) {
    case "retireOld":
      return {
        key:
          capabilitiesOf(task.strategy).advance === "switch"
            ? "nextStep.why.switchFirst"
            : "nextStep.why.takeOverFirst",
        vars: { next, base: task.baseVersion },
      };
    case "rollback":
      if (s === "rolled-back") return { key: "nextStep.why.rolledBack", vars: { base: task.baseVersion } };
      break;
    case "confirm":
      if (s === "paused") return { key: "nextStep.why.paused" };
      return { key: "nextStep.why.notAwaiting" };
    case "pause":
      return { key: "nextStep.why.notAwaiting" };
    case "resume":
      return task.steps ? { key: "nextStep.why.notHeld" } : { key: "nextStep.why.notPaused" };
    case "retry":
      return { key: "nextStep.why.notRolledBack" };
    default:
      break;
  }
  return { key: "nextStep.why.state", stateVar: s };
}

/** Why `action` cannot be used now, or null when it can. */
export function unavailableReason(action: BarAction, task: BarTask): Reason | null {
  const brake = BRAKES.includes(action);
  if (task.operation !== null && !brake) return { key: "nextStep.why.operation" };
  if (task.drift !== null && !brake) return { key: "nextStep.why.drift" };
  if (!task.allowedActions.includes(action)) return refusalReason(action, task);
  return null;
}

/** Every button of the bar, the primary one first; empty when the task is finished. */
export function barButtons(task: BarTask): BarButton[] {
  if (isTerminal(task.state)) return [];
  const primary = primaryAction(task);
  const order = strategyActions(task);
  const sorted = primary ? [primary, ...order.filter((a) => a !== primary)] : order;
  return sorted.map((action) => {
    const reason = unavailableReason(action, task);
    return { action, primary: action === primary, enabled: reason === null, reason };
  });
}
