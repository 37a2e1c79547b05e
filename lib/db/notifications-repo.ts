import "server-only";
import type { Db } from "./client";
import type { NotificationDelivery } from "./generated/sqlite/client";

// Storage of notification targets (namespace defaults) and the notification outbox. Rows are
// written by lib/notify/outbox.ts inside the transaction that records the task's event, and
// sent by the leader's sender (lib/notify/sender.ts).

export type DeliveryRow = NotificationDelivery;

export interface StoredTargets {
  targets: unknown;
  updatedBy: string;
  updatedAt: Date;
}

export async function readNamespaceTargets(db: Db, namespace: string): Promise<StoredTargets | null> {
  const row = await db.namespaceNotifications.findUnique({ where: { namespace } });
  return row
    ? { targets: JSON.parse(row.targets) as unknown, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
    : null;
}

export async function writeNamespaceTargets(
  db: Db,
  namespace: string,
  targets: unknown,
  updatedBy: string,
): Promise<StoredTargets> {
  const data = { targets: JSON.stringify(targets), updatedBy };
  const row = await db.namespaceNotifications.upsert({
    where: { namespace },
    create: { namespace, ...data },
    update: data,
  });
  return { targets, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

export interface NewDelivery {
  taskId: string;
  eventId: string;
  event: string;
  targetType: string;
  url: string;
  secret: string | null;
  payload: string;
}

export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db.notificationDelivery.createMany({ data: rows.map((r) => ({ ...r, status: "pending" })) });
}

/** Pending deliveries whose time has come, oldest first. */
export async function dueDeliveries(db: Db, now: Date, limit: number): Promise<DeliveryRow[]> {
  return db.notificationDelivery.findMany({
    where: { status: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
  });
}

/**
 * Takes a delivery for one attempt: counts the attempt and holds it until `holdUntil`, so a
 * second sender (a leader handing over) does not send it again meanwhile. False when another
 * sender took it first.
 */
export async function claimDelivery(db: Db, row: DeliveryRow, holdUntil: Date): Promise<boolean> {
  const res = await db.notificationDelivery.updateMany({
    where: { id: row.id, status: "pending", attempts: row.attempts },
    data: { attempts: row.attempts + 1, nextAttemptAt: holdUntil },
  });
  return res.count === 1;
}

export interface DeliveryOutcome {
  status: "pending" | "sent" | "failed";
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
}

export async function recordOutcome(db: Db, id: string, o: DeliveryOutcome): Promise<void> {
  await db.notificationDelivery.update({
    where: { id },
    data: { ...o, ...(o.status === "sent" ? { sentAt: new Date() } : {}) },
  });
}

/** A task's deliveries, newest first (the task page shows them). */
export async function taskDeliveries(db: Db, taskId: string, limit = 50): Promise<DeliveryRow[]> {
  return db.notificationDelivery.findMany({
    where: { taskId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}
