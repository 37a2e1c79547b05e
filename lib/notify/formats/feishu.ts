// Feishu (Lark) custom bot: an interactive card (`msg_type: "interactive"`) with the lines and
// a button back to the task. PURE.
// https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot (message formats; signing:
// body fields `timestamp` (seconds, as a string) and `sign` = base64(HmacSHA256 with the key
// timestamp+"\n"+secret over empty data); the timestamp must be within one hour).
import { createHmac } from "node:crypto";
import { inert, type Message } from "../message";

const TEMPLATE: Record<Message["tone"], string> = { info: "blue", good: "green", warning: "orange", danger: "red" };

export function feishuBody(m: Message) {
  return {
    msg_type: "interactive",
    card: {
      header: { title: { tag: "plain_text", content: m.title }, template: TEMPLATE[m.tone] },
      elements: [
        { tag: "div", text: { tag: "lark_md", content: m.lines.map(inert).join("\n") } },
        {
          tag: "action",
          actions: [{ tag: "button", text: { tag: "plain_text", content: m.linkText }, url: m.url, type: "primary" }],
        },
      ],
    },
  };
}

export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

/** The body with the signature fields Feishu checks. */
export function feishuSigned(body: object, secret: string, timestampSeconds: number): object {
  return { timestamp: String(timestampSeconds), sign: feishuSign(secret, timestampSeconds), ...body };
}
