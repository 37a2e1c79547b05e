import "server-only";
import { db } from "@/lib/db/client";
import { taskDeliveries, type DeliveryRow } from "@/lib/db/notifications-repo";
import { displayUrl, type DeliveryView, type NotifyEvent, type TargetType } from "./schema";

// What the task page shows of a task's notifications: never a secret or a URL's credentials.

export function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    type: row.targetType as TargetType,
    url: displayUrl(row.url),
    event: row.event as NotifyEvent,
    status: row.status as DeliveryView["status"],
    attempts: row.attempts,
    lastError: row.lastError,
    lastStatus: row.lastStatus,
    at: row.createdAt.toISOString(),
    // While an attempt is in flight nextAttemptAt is its hold, not a retry: shown only between attempts.
    nextAttemptAt: row.status === "pending" && row.attempts > 0 ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

export async function taskNotifications(taskId: string): Promise<DeliveryView[]> {
  return (await taskDeliveries(db(), taskId)).map(deliveryView);
}
