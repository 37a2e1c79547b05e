// The generic webhook: our own JSON event, signed with the target's secret. PURE.
//   body: {id, event, task: {id, name, namespace, service, strategy, state, url}, at, actor, detail}
//   X-Gray-Console-Timestamp: <unix seconds when sent>
//   X-Gray-Console-Signature: sha256=<hex HMAC-SHA256(key=secret, data=timestamp + "." + raw body)>
// The timestamp is inside the signed data (as Stripe and Slack do) so a receiver that rejects
// old timestamps is safe from replays; the body's `id` is stable across retries (deduplicate on it).
import { createHmac } from "node:crypto";
import type { EventData } from "../message";

export const SIGNATURE_HEADER = "X-Gray-Console-Signature";
export const TIMESTAMP_HEADER = "X-Gray-Console-Timestamp";
export const EVENT_HEADER = "X-Gray-Console-Event";
export const DELIVERY_HEADER = "X-Gray-Console-Delivery";

export function webhookBody(e: EventData) {
  const { task } = e;
  return {
    id: e.id,
    event: e.event,
    task: {
      id: task.id,
      name: task.name,
      namespace: task.namespace,
      service: task.service,
      strategy: task.strategy,
      state: task.state,
      url: task.url,
    },
    at: e.at,
    actor: e.actor,
    detail: e.detail,
  };
}

export function webhookSignature(secret: string, timestampSeconds: number, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`, "utf8").digest("hex")}`;
}
