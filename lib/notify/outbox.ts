import "server-only";
import type { Db } from "@/lib/db/client";
import { insertDeliveries, readNamespaceTargets, type NewDelivery } from "@/lib/db/notifications-repo";
import { parseJson, type TaskRow } from "@/lib/db/tasks-repo";
import { catalogs } from "@/lib/i18n/catalogs";
import { makeTranslate } from "@/lib/i18n/format";
import { env } from "@/lib/env";
import {
  eventsOfAnalysisFailed,
  eventsOfFinished,
  eventsOfNeedsAttention,
  type EventOccurrence,
  type FinishedAction,
} from "./events";
import { messageOf, type EventData } from "./message";
import { bodyFor } from "./request";
import { NotificationTargetsSchema, type NotificationTarget } from "./schema";

// The outbox: the deliveries of a task event are inserted in the SAME transaction as the event,
// so an event is announced exactly when it is recorded (a crash loses neither, and a rolled-back
// transaction sends nothing). Sending is the leader's sender's job; nothing here talks HTTP.

/** The console's base URL for links in messages. The request's Host is not used: it is the client's to choose. */
export function consoleBase(): string {
  const configured =
    env().GC_PUBLIC_URL ?? process.env.__NEXT_PRIVATE_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;
  return configured.replace(/\/+$/, "");
}

/** The task's own targets, else its namespace's defaults. */
async function targetsOf(tx: Db, task: TaskRow): Promise<NotificationTarget[]> {
  const own = parseJson<{ notifications?: NotificationTarget[] }>(task.spec)?.notifications;
  if (own && own.length > 0) return own;
  const stored = await readNamespaceTargets(tx, task.namespace);
  const parsed = NotificationTargetsSchema.safeParse(stored?.targets ?? []);
  return parsed.success ? parsed.data : [];
}

export interface RecordedEvent {
  id: string;
  at: Date;
  actor: string;
}

function deliveriesOf(
  task: TaskRow,
  state: string,
  event: RecordedEvent,
  occurrences: EventOccurrence[],
  targets: NotificationTarget[],
): NewDelivery[] {
  const t = makeTranslate(catalogs[env().GC_NOTIFY_LOCALE]);
  const taskRef = {
    id: task.id,
    name: task.name,
    namespace: task.namespace,
    service: task.service,
    strategy: task.strategy,
    state,
    baseVersion: task.baseVersion,
    newVersion: task.newVersion,
    url: `${consoleBase()}/releases/${task.id}`,
  };
  return occurrences.flatMap((o, i) => {
    // One id per announced occurrence, stable across retries: receivers deduplicate on it.
    const data: EventData = {
      id: occurrences.length > 1 ? `${event.id}-${i}` : event.id,
      event: o.event,
      task: taskRef,
      at: event.at.toISOString(),
      actor: event.actor,
      detail: o.detail,
    };
    const message = messageOf(data, t);
    return targets.map((target) => ({
      taskId: task.id,
      eventId: event.id,
      event: o.event,
      targetType: target.type,
      url: target.url,
      secret: target.secret ?? null,
      payload: JSON.stringify(bodyFor(target.type, data, message)),
    }));
  });
}

/**
 * Queues the deliveries of `occurrences` inside the caller's transaction. A message that cannot
 * be built is logged and skipped: a notification never fails the release it reports.
 */
export async function enqueueNotifications(
  tx: Db,
  task: TaskRow,
  state: string,
  event: RecordedEvent,
  occurrences: EventOccurrence[],
): Promise<void> {
  if (occurrences.length === 0) return;
  let rows: NewDelivery[] = [];
  try {
    rows = deliveriesOf(task, state, event, occurrences, await targetsOf(tx, task));
  } catch (err) {
    console.warn(
      `[notify] ${task.namespace}/${task.name}: ${occurrences.map((o) => o.event).join(", ")} not queued: ${(err as Error).message}`,
    );
    return;
  }
  await insertDeliveries(tx, rows);
}

interface Snapshot {
  state: string;
  status: {
    batch?: { current: number; plan: number[] } | null;
    stepState?: { index: number; total: number; kind: string; until?: string } | null;
  };
}

/** The step the task entered, for the step-started event. */
function stepChange(before: Snapshot | null, after: Snapshot): FinishedAction["step"] {
  const a = after.status.stepState;
  if (!a) return null;
  return {
    before: before?.status.stepState?.index ?? null,
    after: a.index,
    total: a.total,
    kind: a.kind,
    waitsForPromote: a.kind === "pause" && a.until === undefined,
  };
}

/** The reconciler finished an operation (lib/tasks/reconciler.ts finish): announce what it was. */
export async function notifyFinished(
  tx: Db,
  task: TaskRow,
  action: string,
  before: Snapshot | null,
  after: Snapshot,
  event: RecordedEvent,
): Promise<void> {
  const batch = after.status.batch
    ? { current: after.status.batch.current, total: after.status.batch.plan.length }
    : null;
  const confirmsItself =
    parseJson<{ batch?: { pauseBetweenGroups?: boolean } }>(task.spec)?.batch?.pauseBetweenGroups === false;
  await enqueueNotifications(
    tx,
    task,
    after.state,
    event,
    eventsOfFinished({
      action,
      before: before?.state ?? null,
      after: after.state,
      batch,
      confirmsItself,
      step: stepChange(before, after),
    }),
  );
}

/** The reconciler could not undo a failed operation (needs attention): announce the first time. */
export async function notifyNeedsAttention(
  tx: Db,
  task: TaskRow,
  attempt: number,
  action: string,
  reason: string,
  event: RecordedEvent,
): Promise<void> {
  await enqueueNotifications(tx, task, task.state, event, eventsOfNeedsAttention(attempt, action, reason));
}

/** The metric analysis failed (lib/tasks/analysis-runner.ts): announce it before its rollback or pause lands. */
export async function notifyAnalysisFailed(
  tx: Db,
  task: TaskRow,
  event: RecordedEvent,
  detail: { reason: string; cause: string; onFailure: string },
): Promise<void> {
  await enqueueNotifications(tx, task, task.state, event, eventsOfAnalysisFailed(detail));
}
