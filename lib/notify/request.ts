// Bodies and signed HTTP requests for each target type. PURE: the time is an argument, so the
// signatures are tested against fixed vectors (request.test.ts).
import { dingtalkBody, dingtalkSignedUrl } from "./formats/dingtalk";
import { feishuBody, feishuSigned } from "./formats/feishu";
import { slackBody } from "./formats/slack";
import { wecomBody } from "./formats/wecom";
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookBody,
  webhookSignature,
} from "./formats/webhook";
import type { EventData, Message } from "./message";
import type { TargetType } from "./schema";

/** The unsigned body a target receives (kept in the outbox; signatures are made when sent). */
export function bodyFor(type: TargetType, e: EventData, m: Message): object {
  switch (type) {
    case "webhook":
      return webhookBody(e);
    case "slack":
      return slackBody(m);
    case "dingtalk":
      return dingtalkBody(m);
    case "feishu":
      return feishuBody(m);
    case "wecom":
      return wecomBody(m);
  }
}

export interface OutgoingDelivery {
  id: string;
  type: TargetType;
  event: string;
  url: string;
  secret: string | null;
  payload: string;
}
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The request to send now: DingTalk signs in the URL, Feishu in the body, our webhook in headers. */
export function signedRequest(d: OutgoingDelivery, nowMs: number): OutgoingRequest {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "gray-console",
  };
  const seconds = Math.floor(nowMs / 1000);
  if (d.type === "webhook") {
    const stamp = { [EVENT_HEADER]: d.event, [DELIVERY_HEADER]: d.id, [TIMESTAMP_HEADER]: String(seconds) };
    const signature: Record<string, string> = d.secret
      ? { [SIGNATURE_HEADER]: webhookSignature(d.secret, seconds, d.payload) }
      : {};
    return { url: d.url, headers: { ...headers, ...stamp, ...signature }, body: d.payload };
  }
  if (d.type === "dingtalk" && d.secret)
    return { url: dingtalkSignedUrl(d.url, d.secret, nowMs), headers, body: d.payload };
  if (d.type === "feishu" && d.secret)
    return {
      url: d.url,
      headers,
      body: JSON.stringify(feishuSigned(JSON.parse(d.payload) as object, d.secret, seconds)),
    };
  return { url: d.url, headers, body: d.payload };
}

/**
 * Whether the receiver took the message. Chat robots answer HTTP 200 with an error code in the
 * body when they refuse (DingTalk/WeCom `errcode`, Feishu `code`): that is a failure too.
 */
export function receiverVerdict(
  type: TargetType,
  status: number,
  text: string,
): { ok: true } | { ok: false; error: string } {
  if (status < 200 || status > 299)
    return { ok: false, error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}` };
  if (type !== "dingtalk" && type !== "wecom" && type !== "feishu") return { ok: true };
  let parsed: { errcode?: unknown; errmsg?: unknown; code?: unknown; msg?: unknown } | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { ok: true };
  }
  const code = type === "feishu" ? parsed?.code : parsed?.errcode;
  if (code === undefined || code === 0) return { ok: true };
  const reason = type === "feishu" ? parsed?.msg : parsed?.errmsg;
  return { ok: false, error: `${type} error ${String(code)}: ${String(reason ?? "").slice(0, 200)}` };
}

/** Exponential backoff before attempt n+1: 2 s, 4 s, 8 s, 16 s (base doubles), capped at 5 min. */
export function retryDelayMs(attempt: number, baseMs = 2000): number {
  return Math.min(300_000, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** 4xx other than 408 (timeout) and 429 (rate limit) will not change on retry. */
export function isPermanent(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export const MAX_ATTEMPTS = 5;

/** One HTTP attempt: the receiver's status (null: no answer) and why it failed (null: it did not). */
export interface Attempt {
  status: number | null;
  error: string | null;
}

export interface Outcome {
  status: "pending" | "sent" | "failed";
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
}

/** What to record after attempt number `attempts`: sent, retried later, or given up. */
export function outcomeOf(attempt: Attempt, attempts: number, now: number): Outcome {
  if (attempt.error === null)
    return { status: "sent", lastStatus: attempt.status, lastError: null, nextAttemptAt: null };
  const giveUp = attempts >= MAX_ATTEMPTS || isPermanent(attempt.status);
  return {
    status: giveUp ? "failed" : "pending",
    lastStatus: attempt.status,
    lastError: attempt.error,
    nextAttemptAt: giveUp ? null : new Date(now + retryDelayMs(attempts)),
  };
}
