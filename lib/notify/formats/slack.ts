// Slack incoming webhook: `text` (the notification's fallback) plus Block Kit `blocks` with a
// section and a link back to the task. PURE.
// https://api.slack.com/messaging/webhooks (Sending messages using incoming webhooks) and
// https://api.slack.com/reference/surfaces/formatting#escaping (&, <, > must be escaped).
import type { Message } from "../message";

export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackBody(m: Message) {
  const title = slackEscape(m.title);
  return {
    text: title,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: [`*${title}*`, ...m.lines.map(slackEscape)].join("\n") } },
      { type: "section", text: { type: "mrkdwn", text: `<${m.url}|${slackEscape(m.linkText)}>` } },
    ],
  };
}
