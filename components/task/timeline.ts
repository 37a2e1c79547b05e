// Pure helpers of the batch and event timelines (unit-tested).
import type { BatchView, RoutingSnapshot, TaskEventView } from "@/lib/api/contracts";
import { ACTIONS, type ActionName, type TaskState } from "@/lib/release/types";
import type { Translate } from "@/lib/i18n/format";
import { describeWeights } from "@/components/routing/segments";

export type GroupStatus = "done" | "awaiting" | "paused" | "pending";

/** Status of each planned group: rolled out, the one waiting for the user, or still to come. */
export function groupStatuses(batch: BatchView, state: TaskState): GroupStatus[] {
  return batch.plan.map((_, i) => {
    if (i < batch.groupsDone) return "done";
    if (i === batch.groupsDone) {
      if (state === "paused") return "paused";
      if (batch.awaitingConfirmation) return "awaiting";
    }
    return "pending";
  });
}

export function eventLabel(action: string, t: Translate): string {
  if ((ACTIONS as readonly string[]).includes(action)) return t(`action.${action as ActionName}`);
  if (action === "create") return t("event.create");
  return action;
}

/** "v1 80% · v2 20%" for a history entry (with the mirrored share); "—" when nothing was recorded. */
export function snapshotText(s: RoutingSnapshot | null, t: Translate): string {
  if (!s) return "—";
  const w = Object.keys(s.weights).length > 0 ? describeWeights(s.weights) : "—";
  return s.mirrorPercent !== null ? t("task.mirrorSnapshot", { weights: w, percent: s.mirrorPercent }) : w;
}

/** Newest first. */
export function sortEvents(events: readonly TaskEventView[]): TaskEventView[] {
  return [...events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
