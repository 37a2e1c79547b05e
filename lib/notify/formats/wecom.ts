// WeCom (WeChat Work) group robot: `msgtype: "markdown"` with `markdown: {content}` (at most
// 4096 bytes). The robot has no signing: its key in the URL is the credential. PURE.
// https://developer.work.weixin.qq.com/document/path/91770 (群机器人配置说明)
import { inert, type Message } from "../message";

const MAX_BYTES = 4096;

export function wecomBody(m: Message) {
  const link = `[${inert(m.linkText)}](${m.url})`;
  const text = [`**${inert(m.title)}**`, ...m.lines.map((l) => `> ${inert(l)}`)].join("\n");
  // A long reason is cut, never the link back to the task.
  let kept = text;
  while (Buffer.byteLength(`${kept}…\n${link}`, "utf8") > MAX_BYTES) kept = kept.slice(0, -64);
  return { msgtype: "markdown", markdown: { content: `${kept}${kept === text ? "" : "…"}\n${link}` } };
}
