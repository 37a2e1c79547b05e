import "server-only";
import type { Db } from "./client";
import type { TaskOperation } from "./generated/sqlite/client";
import { activeKeyOf, isActiveState, type TaskRow } from "./tasks-repo";

// The write-ahead journal's storage. An operation row is written BEFORE any cluster write, in
// the same transaction as the task's new state, and updated as each step lands.

export type OperationRow = TaskOperation;

export const UNFINISHED_OPERATION_STATES = [
  "pending",
  "running",
  "waiting",
  "compensating",
  "needs-attention",
] as const;
export const FINISHED_OPERATION_STATES = ["done", "compensated", "cancelled"] as const;
export type OperationState = (typeof UNFINISHED_OPERATION_STATES)[number] | (typeof FINISHED_OPERATION_STATES)[number];

export function isUnfinished(state: string): boolean {
  return (UNFINISHED_OPERATION_STATES as readonly string[]).includes(state);
}

export interface NewOperation {
  action: string;
  actor: string;
  actorGroups: string[];
  actorSource: string | null;
  request: unknown;
  steps: unknown;
  taskBefore: unknown;
  taskAfter: unknown;
  summary: string;
}

export interface TaskTransition {
  state: string;
  status: unknown;
  finished?: boolean;
  nameFreed?: boolean;
}

/**
 * Records the intent: the task moves to its planned state (guarded by its revision, so two
 * writers never both win) and the operation row is inserted (its unique activeKey refuses a
 * second unfinished operation on the same task). Null when the task changed in between.
 */
export async function recordIntent(
  db: Db,
  row: TaskRow,
  next: TaskTransition,
  op: NewOperation,
): Promise<{ task: TaskRow; op: OperationRow } | null> {
  return db.$transaction(async (tx) => {
    const res = await tx.releaseTask.updateMany({
      where: { id: row.id, revision: row.revision },
      data: taskData(row, next),
    });
    if (res.count === 0) return null;
    const created = await tx.taskOperation.create({ data: operationData(row.id, op) });
    const task = await tx.releaseTask.findUniqueOrThrow({ where: { id: row.id } });
    return { task, op: created };
  });
}

export function taskData(row: Pick<TaskRow, "namespace" | "service" | "revision">, next: TaskTransition) {
  return {
    state: next.state,
    status: JSON.stringify(next.status),
    revision: row.revision + 1,
    activeKey: isActiveState(next.state) ? activeKeyOf(row.namespace, row.service) : null,
    ...(next.nameFreed ? { nameKey: null } : {}),
    ...(next.finished ? { finishedAt: new Date() } : {}),
  };
}

export function operationData(taskId: string, op: NewOperation) {
  return {
    taskId,
    action: op.action,
    actor: op.actor,
    actorGroups: JSON.stringify(op.actorGroups),
    actorSource: op.actorSource,
    request: JSON.stringify(op.request),
    steps: JSON.stringify(op.steps),
    state: "pending",
    taskBefore: op.taskBefore === null ? null : JSON.stringify(op.taskBefore),
    taskAfter: JSON.stringify(op.taskAfter),
    summary: op.summary,
    activeKey: taskId,
  };
}

export async function findOperation(db: Db, id: string): Promise<OperationRow | null> {
  return db.taskOperation.findUnique({ where: { id } });
}

export async function activeOperationOf(db: Db, taskId: string): Promise<OperationRow | null> {
  return db.taskOperation.findUnique({ where: { activeKey: taskId } });
}

export async function latestOperationOf(db: Db, taskId: string): Promise<OperationRow | null> {
  return db.taskOperation.findFirst({ where: { taskId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/** Unfinished operations that are due (no backoff pending), oldest first: the reconciler's queue. */
export async function dueOperations(db: Db, now = new Date()): Promise<OperationRow[]> {
  return db.taskOperation.findMany({
    where: { activeKey: { not: null }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 100,
  });
}

export interface OperationUpdate {
  steps?: unknown;
  state?: OperationState;
  error?: string | null;
  waiting?: unknown;
  attempts?: number;
  nextAttemptAt?: Date | null;
}

export function operationUpdateData(u: OperationUpdate) {
  const finished = u.state !== undefined && !isUnfinished(u.state);
  return {
    ...(u.steps !== undefined ? { steps: JSON.stringify(u.steps) } : {}),
    ...(u.state !== undefined ? { state: u.state } : {}),
    ...(u.error !== undefined ? { error: u.error } : {}),
    ...(u.waiting !== undefined ? { waiting: u.waiting === null ? null : JSON.stringify(u.waiting) } : {}),
    ...(u.attempts !== undefined ? { attempts: u.attempts } : {}),
    ...(u.nextAttemptAt !== undefined ? { nextAttemptAt: u.nextAttemptAt } : {}),
    ...(finished ? { activeKey: null, finishedAt: new Date() } : {}),
  };
}

/** Updates an operation unless it was cancelled meanwhile (an emergency brake took over): false then. */
export async function updateOperation(db: Db, id: string, u: OperationUpdate): Promise<boolean> {
  const res = await db.taskOperation.updateMany({
    where: { id, state: { not: "cancelled" } },
    data: operationUpdateData(u),
  });
  return res.count > 0;
}

/** Abort and rollback stop whatever is in flight: the running operation ends at its next step boundary. */
export async function cancelOperation(db: Db, id: string, reason: string): Promise<void> {
  await db.taskOperation.updateMany({
    where: { id, activeKey: { not: null } },
    data: { state: "cancelled", error: reason, activeKey: null, finishedAt: new Date() },
  });
}
