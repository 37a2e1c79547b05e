// Which notification events a recorded task event is. PURE (table-tested in events.test.ts).
import type { NotifyEvent } from "./schema";

export type Detail = Record<string, string | number | boolean>;
export interface EventOccurrence {
  event: NotifyEvent;
  detail: Detail;
}

/** An operation the reconciler finished: the action, the task's state before and after. */
export interface FinishedAction {
  action: string;
  before: string | null;
  after: string;
  /** The batch group now running and the plan's length, when the task is a batch. */
  batch?: { current: number; total: number } | null;
  /** Batch tasks created with pauseBetweenGroups=false confirm themselves: no person is waited for. */
  confirmsItself?: boolean;
  /** Release steps: the step the task was in before and is in after (index 0-based; null: none started). */
  step?: { before: number | null; after: number | null; total: number; kind: string; waitsForPromote: boolean } | null;
}

/**
 * The events of a landed action. A batch confirm that starts a later group is "step-started"
 * (it then waits for the next confirmation, said in its detail); the last one completes.
 */
export function eventsOfFinished(f: FinishedAction): EventOccurrence[] {
  if (f.action === "create") return [{ event: "created", detail: { state: f.after } }];
  if (f.action === "abort" || f.action === "rollback") return [{ event: "rolled-back", detail: { action: f.action } }];
  if (f.after === "completed" && f.before !== "completed")
    return [{ event: "completed", detail: { action: f.action } }];
  if (f.action === "pause" && f.after === "paused") return [{ event: "paused", detail: { reason: "paused" } }];
  // Every step a promote enters (the runner's or a person's) is announced once.
  if (f.action === "promote" && f.step && f.step.after !== null && f.step.after !== f.step.before) {
    const s = f.step;
    return [
      {
        event: "step-started",
        detail: { step: (s.after ?? 0) + 1, steps: s.total, kind: s.kind, awaitingConfirmation: s.waitsForPromote },
      },
    ];
  }
  if (f.action === "confirm" && f.after === "awaiting-confirmation" && f.batch) {
    return [
      {
        event: "step-started",
        detail: { group: f.batch.current, groups: f.batch.total, awaitingConfirmation: !f.confirmsItself },
      },
    ];
  }
  return [];
}

/**
 * The reconciler could not undo a failed operation and retries with backoff: tell the team the
 * first time only, not on every retry.
 */
export function eventsOfNeedsAttention(attempt: number, action: string, reason: string): EventOccurrence[] {
  return attempt === 1 ? [{ event: "needs-attention", detail: { action, reason: reason.slice(0, 500) } }] : [];
}

/** The metric analysis failed (failureLimit failed runs): what it measured and what it does about it. */
export function eventsOfAnalysisFailed(d: { reason: string; cause: string; onFailure: string }): EventOccurrence[] {
  return [
    {
      event: "analysis-failed",
      detail: {
        reason: (d.cause ? `${d.reason}; ${d.cause}` : d.reason).slice(0, 500),
        cause: d.cause.slice(0, 500),
        onFailure: d.onFailure,
      },
    },
  ];
}
