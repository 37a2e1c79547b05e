// The platform-neutral message of one event, worded from the UI catalogs (GC_NOTIFY_LOCALE).
// PURE: the formats turn it into each platform's body.
import type { MessageKey } from "@/lib/i18n/messages/en";
import type { Translate } from "@/lib/i18n/format";
import type { Detail } from "./events";
import type { NotifyEvent } from "./schema";

export interface TaskRef {
  id: string;
  name: string;
  namespace: string;
  service: string;
  strategy: string;
  state: string;
  baseVersion: string;
  newVersion: string;
  /** Link back to the task page. */
  url: string;
}

/** What happened, as data: the generic webhook sends exactly this (plus its id). */
export interface EventData {
  id: string;
  event: NotifyEvent;
  task: TaskRef;
  at: string;
  actor: string;
  detail: Detail;
}

export interface Message {
  /** One line: the chat notification's preview. */
  title: string;
  /** Further lines of plain text (no markup: each format escapes for its platform). */
  lines: string[];
  linkText: string;
  url: string;
  /** Severity, for platforms that colour a card. */
  tone: "info" | "good" | "warning" | "danger";
}

const TONE: Record<NotifyEvent, Message["tone"]> = {
  created: "info",
  "step-started": "info",
  paused: "warning",
  "analysis-failed": "danger",
  "rolled-back": "warning",
  completed: "good",
  "needs-attention": "danger",
};

function detailLines(e: EventData, t: Translate): string[] {
  const d = e.detail;
  const lines: string[] = [];
  if (e.event === "step-started" && d.awaitingConfirmation === true) lines.push(t("notify.line.awaiting"));
  if (typeof d.action === "string")
    lines.push(t("notify.line.action", { action: t(`action.${d.action}` as MessageKey) }));
  if (typeof d.reason === "string" && e.event !== "paused") lines.push(t("notify.line.reason", { reason: d.reason }));
  return lines;
}

export function messageOf(e: EventData, t: Translate): Message {
  const { task } = e;
  const titleVars = {
    task: task.name,
    group: Number(e.detail.group ?? 0),
    groups: Number(e.detail.groups ?? 0),
    step: Number(e.detail.step ?? 0),
    steps: Number(e.detail.steps ?? 0),
  };
  // A release step (spec.steps) rather than a batch group: its own title.
  const titleKey =
    e.event === "step-started" && e.detail.step !== undefined ? "notify.title.step" : `notify.title.${e.event}`;
  return {
    title: t(titleKey as MessageKey, titleVars),
    lines: [
      t("notify.line.service", {
        namespace: task.namespace,
        service: task.service,
        strategy: t(`strategy.${task.strategy}.name` as MessageKey),
      }),
      t("notify.line.versions", {
        base: task.baseVersion,
        new: task.newVersion,
        state: t(`state.${task.state}` as MessageKey),
      }),
      ...detailLines(e, t),
      t("notify.line.actor", { actor: e.actor }),
    ],
    linkText: t("notify.open"),
    url: task.url,
    tone: TONE[e.event],
  };
}

/**
 * Text a chat renders as markup is made inert: angle brackets would let an actor name or an
 * error message mention everyone (Feishu `<at user_id="all">`) or colour text (WeCom `<font>`).
 */
export function inert(text: string): string {
  return (
    text
      .replace(/</g, "‹")
      .replace(/>/g, "›")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
      .replace(/[\u0000-\u0008\u000b-\u001f]/g, " ")
  );
}
