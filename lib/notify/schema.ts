// Notification targets and events (issue 13, part 2). PURE: the zod schema shared by the task
// spec (`notifications`), the namespace defaults API and the outbox.
import { z } from "zod";
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import type { TaskSpec } from "@/lib/release/spec";

export const TARGET_TYPES = ["webhook", "slack", "dingtalk", "feishu", "wecom"] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** The platforms that sign a message with a shared secret (Slack and WeCom robots have none). */
export const SIGNING_TYPES: readonly TargetType[] = ["webhook", "dingtalk", "feishu"];

/**
 * What a task (or a namespace default) tells its team about. `analysis-failed` is emitted by the
 * metric analysis (lib/tasks/analysis-runner.ts) when failureLimit runs failed.
 */
export const NOTIFY_EVENTS = [
  "created",
  "step-started",
  "paused",
  "analysis-failed",
  "rolled-back",
  "completed",
  "needs-attention",
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const MAX_TARGETS = 10;

function msg(key: ErrorKey, params?: MessageVars): string {
  return params ? `${key}${JSON.stringify(params)}` : key;
}

// Private and loopback addresses are allowed on purpose: a self-hosted console commonly posts
// to an in-house relay or chat server. Who may set targets is who may change releases.
const targetUrl = z
  .string()
  .max(2048, { error: msg("err.spec.maxChars", { max: 2048 }) })
  .refine(
    (u) =>
      URL.canParse(u) &&
      /^https?:$/.test(new URL(u).protocol) &&
      new URL(u).username === "" &&
      new URL(u).password === "",
    { error: msg("err.notify.url") },
  );

export const NotificationTargetSchema = z
  .object({
    type: z.enum(TARGET_TYPES, { error: msg("err.spec.oneOf", { values: TARGET_TYPES.join(", ") }) }),
    url: targetUrl,
    secret: z
      .string()
      .min(1, { error: msg("err.spec.notEmpty") })
      .max(256, { error: msg("err.spec.maxChars", { max: 256 }) })
      .optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.secret !== undefined && !SIGNING_TYPES.includes(t.type))
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: msg("err.notify.noSigning", { type: t.type }),
        input: undefined,
      });
  });
export type NotificationTarget = z.infer<typeof NotificationTargetSchema>;

export const NotificationTargetsSchema = z
  .array(NotificationTargetSchema)
  .max(MAX_TARGETS, { error: msg("err.notify.tooMany", { max: MAX_TARGETS }) });

/** PUT /api/namespaces/{ns}/notifications: the namespace's default targets, replaced as a whole. */
export const NamespaceNotificationsRequest = z.object({ targets: NotificationTargetsSchema }).strict();

/** A target as it may be shown: no secret (only whether one is set), no credentials in the URL. */
export const TargetView = z
  .object({
    type: z.enum(TARGET_TYPES),
    url: z.string().describe("no query string, no token-like path segment"),
    secretSet: z.boolean(),
  })
  .meta({ id: "NotificationTargetView" });
export type TargetView = z.infer<typeof TargetView>;

const TOKEN_LIKE = /^[A-Za-z0-9_.~-]{16,}$/;

/**
 * The URL with what may be a credential hidden: the query string (DingTalk's access_token,
 * WeCom's key) and any long token-like path segment (Slack's and Feishu's hook ids).
 */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return "…";
  const u = new URL(url);
  const path = u.pathname
    .split("/")
    .map((seg) => (TOKEN_LIKE.test(seg) ? `${seg.slice(0, 4)}…` : seg))
    .join("/");
  return `${u.protocol}//${u.host}${path}${u.search ? "?…" : ""}`;
}

export function targetView(t: NotificationTarget): TargetView {
  return { type: t.type, url: displayUrl(t.url), secretSet: t.secret !== undefined };
}

/** A task spec as the API shows it: its notification targets without secrets. */
export function redactTargets<S extends { notifications?: NotificationTarget[] }>(
  spec: S,
): Omit<S, "notifications"> & { notifications?: TargetView[] } {
  const { notifications, ...rest } = spec;
  return notifications === undefined ? rest : { ...rest, notifications: notifications.map(targetView) };
}

/** GET/PUT /api/namespaces/{ns}/notifications. */
export const NamespaceNotificationsResponse = z
  .object({
    namespace: z.string(),
    targets: z.array(TargetView),
    updatedBy: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: "NamespaceNotificationsResponse" });
export type NamespaceNotificationsResponse = z.infer<typeof NamespaceNotificationsResponse>;

/** One delivery as the task page shows it (GET /api/tasks/{id} `notifications`). */
export const DeliveryView = z
  .object({
    type: z.enum(TARGET_TYPES),
    url: z.string().describe("displayUrl: no query string, no token-like path segment"),
    event: z.enum(NOTIFY_EVENTS),
    status: z.enum(["pending", "sent", "failed"]),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    at: z.string().describe("when the event happened (the delivery was queued), ISO 8601"),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
  })
  .meta({ id: "NotificationDelivery" });
export type DeliveryView = z.infer<typeof DeliveryView>;

export type SpecView = Omit<TaskSpec, "notifications"> & { notifications?: TargetView[] };
