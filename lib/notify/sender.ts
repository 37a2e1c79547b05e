import "server-only";
import { db } from "@/lib/db/client";
import { claimDelivery, dueDeliveries, recordOutcome, type DeliveryRow } from "@/lib/db/notifications-repo";
import { postOnce } from "./http";
import { outcomeOf, receiverVerdict, signedRequest, type Attempt } from "./request";
import type { TargetType } from "./schema";

// Sends the outbox. Runs in every console process but acts only while that process holds the
// reconciler's leader Lease, so one process sends. Each attempt has its own timeout; a failed
// one is retried with exponential backoff (2 s, 4 s, 8 s, 16 s) up to MAX_ATTEMPTS, then the
// delivery is "failed" and the task page says why. Nothing here touches a task: a receiver that
// is down changes nothing about the release. Delivery is at least once (a leader that dies
// after sending and before recording it is repeated by the next): receivers deduplicate on the
// message id.

export const ATTEMPT_TIMEOUT_MS = 5_000;
const POLL_MS = 1_000;
const BATCH = 20;

/** One HTTP attempt: the receiver's status, or why there was none. */
export async function attemptDelivery(row: DeliveryRow, now = Date.now()): Promise<Attempt> {
  const type = row.targetType as TargetType;
  const req = signedRequest(
    { id: row.id, type, event: row.event, url: row.url, secret: row.secret, payload: row.payload },
    now,
  );
  try {
    const res = await postOnce(req.url, req.headers, req.body, ATTEMPT_TIMEOUT_MS);
    const verdict = receiverVerdict(type, res.status, res.text);
    return { status: res.status, error: verdict.ok ? null : verdict.error };
  } catch (err) {
    return { status: null, error: describeSendError(err) };
  }
}

function describeSendError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  return (e?.message || e?.code || String(err)).slice(0, 300);
}

export class NotificationSender {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly isLeader: () => boolean) {}

  start(): void {
    const tick = async () => {
      if (this.isLeader() && !this.busy) {
        this.busy = true;
        try {
          await this.sendDue();
        } catch (err) {
          console.warn(`[notify] ${(err as Error).message}`);
        } finally {
          this.busy = false;
        }
      }
      this.timer = setTimeout(tick, POLL_MS);
      this.timer.unref();
    };
    void tick();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Sends every due delivery once, in parallel (each bounded by its timeout). */
  async sendDue(now = Date.now()): Promise<number> {
    const due = await dueDeliveries(db(), new Date(now), BATCH);
    await Promise.all(due.map((row) => this.deliver(row)));
    return due.length;
  }

  private async deliver(row: DeliveryRow): Promise<void> {
    // Held for longer than one attempt can take, so no other sender picks it up meanwhile.
    if (!(await claimDelivery(db(), row, new Date(Date.now() + ATTEMPT_TIMEOUT_MS * 6)))) return;
    const attempt = await attemptDelivery(row);
    const outcome = outcomeOf(attempt, row.attempts + 1, Date.now());
    if (outcome.status !== "sent")
      console.warn(
        `[notify] ${row.targetType} ${row.event} of task ${row.taskId}: attempt ${row.attempts + 1}: ${attempt.error}`,
      );
    await recordOutcome(db(), row.id, outcome);
  }
}

const g = globalThis as unknown as { __grayConsoleNotifySender?: NotificationSender };

/** Starts the process's sender (once); it sends while `isLeader()` holds. */
export function startNotificationSender(isLeader: () => boolean): void {
  if (g.__grayConsoleNotifySender) return;
  g.__grayConsoleNotifySender = new NotificationSender(isLeader);
  g.__grayConsoleNotifySender.start();
}
