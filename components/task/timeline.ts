// Pure helpers of the batch and event timelines (unit-tested).
import type { BatchView, RoutingSnapshot, TaskEventView } from "@/lib/api/contracts";
import { ACTIONS, type ActionName, type TaskState } from "@/lib/release/types";
import type { Translate } from "@/lib/i18n/format";
import { describeWeights } from "@/components/routing/segments";
import { keyedText } from "@/lib/i18n/error-text";

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
  if (action === "analysis") return t("event.analysis");
  return action;
}

/** "v1 80% · v2 20%" for a history entry (with the mirrored share); "—" when nothing was recorded. */
export function snapshotText(s: RoutingSnapshot | null, t: Translate): string {
  if (!s) return "—";
  const w = Object.keys(s.weights).length > 0 ? describeWeights(s.weights) : "—";
  return s.mirrorPercent !== null ? t("task.mirrorSnapshot", { weights: w, percent: s.mirrorPercent }) : w;
}

/** An event's failure or refusal in the reader's language when it carries a catalog key, else as recorded. */
export function eventErrorText(e: Pick<TaskEventView, "error" | "errorText">, t: Translate): string | null {
  if (e.error === null && e.errorText === null) return null;
  return keyedText(e.errorText, t) ?? e.error;
}

/**
 * The foreign routes an event moved: those in `after` that `before` did not have (grouped by the
 * version they went to), and those `before` had that `after` has not (moved back by abort).
 */
export function movedRoutesChange(
  before: RoutingSnapshot | null,
  after: RoutingSnapshot | null,
): { moved: { to: string; routes: string[] }[]; back: string[] } {
  // Only a recorded after says what moved: an event without one (a refusal, a failure) moved nothing.
  if (!after) return { moved: [], back: [] };
  const had = new Set((before?.movedRoutes ?? []).map((m) => m.id));
  const has = new Set((after.movedRoutes ?? []).map((m) => m.id));
  const byVersion = new Map<string, string[]>();
  for (const m of after.movedRoutes ?? [])
    if (!had.has(m.id)) byVersion.set(m.to, [...(byVersion.get(m.to) ?? []), m.id]);
  return { moved: [...byVersion].map(([to, routes]) => ({ to, routes })), back: [...had].filter((id) => !has.has(id)) };
}

/** Newest first. */
export function sortEvents(events: readonly TaskEventView[]): TaskEventView[] {
  return [...events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
