// DingTalk custom robot: `msgtype: "markdown"` with `markdown: {title, text}`. PURE.
// https://open.dingtalk.com/document/robots/custom-robot-access (message types and formats)
// https://open.dingtalk.com/document/robots/customize-robot-security-settings (signing: with a
// secret, append `&timestamp=<ms>&sign=<urlencode(base64(HmacSHA256(key=secret,
// data=timestamp+"\n"+secret)))>` to the webhook URL; the timestamp must be within one hour).
import { createHmac } from "node:crypto";
import { inert, type Message } from "../message";

export function dingtalkBody(m: Message) {
  const lines = m.lines.map((l) => `- ${inert(l)}`);
  return {
    msgtype: "markdown",
    markdown: {
      title: inert(m.title),
      text: [`#### ${inert(m.title)}`, "", ...lines, "", `[${inert(m.linkText)}](${m.url})`].join("\n"),
    },
  };
}

export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/** The webhook URL with the signature's query parameters appended. */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sep = url.includes("?") ? "&" : "?";
  return `${url}${sep}timestamp=${timestampMs}&sign=${encodeURIComponent(dingtalkSign(secret, timestampMs))}`;
}
