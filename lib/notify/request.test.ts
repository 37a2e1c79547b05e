import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeTranslate } from "@/lib/i18n/format";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { dingtalkSign, dingtalkSignedUrl } from "./formats/dingtalk";
import { feishuSign } from "./formats/feishu";
import { slackEscape } from "./formats/slack";
import { webhookSignature } from "./formats/webhook";
import { messageOf, type EventData } from "./message";
import {
  bodyFor,
  isPermanent,
  outcomeOf,
  receiverVerdict,
  retryDelayMs,
  signedRequest,
  type OutgoingDelivery,
} from "./request";

const event: EventData = {
  id: "ev1",
  event: "step-started",
  task: {
    id: "t1",
    name: "reviews-batch",
    namespace: "shop",
    service: "reviews",
    strategy: "batch",
    state: "awaiting-confirmation",
    baseVersion: "v1",
    newVersion: "v2",
    url: "https://console.example.com/releases/t1",
  },
  at: "2026-12-08T10:00:00.000Z",
  actor: "alice",
  detail: { group: 2, groups: 3, awaitingConfirmation: true },
};
const t = makeTranslate(en);
const message = messageOf(event, t);
const NOW_MS = 1_700_000_000_123;
const NOW_S = 1_700_000_000;

function delivery(
  type: OutgoingDelivery["type"],
  secret: string | null,
  url = "https://hooks.example.com/x?token=abc",
): OutgoingDelivery {
  return { id: "d1", type, event: event.event, url, secret, payload: JSON.stringify(bodyFor(type, event, message)) };
}

describe("the neutral message", () => {
  it("says what happened, where, who, and links back (English and Chinese from the catalogs)", () => {
    expect(message).toEqual({
      title: "reviews-batch: batch 2 of 3 started",
      lines: [
        "Service shop/reviews · Batched rollout",
        "v1 → v2 · Awaiting confirmation",
        "Waiting for confirmation of the next batch",
        "By alice · gray-console",
      ],
      linkText: "Open the task",
      url: "https://console.example.com/releases/t1",
      tone: "info",
    });
    expect(messageOf(event, makeTranslate(zhCN)).title).toBe("reviews-batch：第 2/3 批已开始");
  });
});

describe("platform bodies", () => {
  it.each([
    [
      "slack",
      {
        text: "reviews-batch: batch 2 of 3 started",
        blocks: [
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: "*reviews-batch: batch 2 of 3 started*\nService shop/reviews · Batched rollout\nv1 → v2 · Awaiting confirmation\nWaiting for confirmation of the next batch\nBy alice · gray-console",
            },
          },
          {
            type: "section",
            text: { type: "mrkdwn", text: "<https://console.example.com/releases/t1|Open the task>" },
          },
        ],
      },
    ],
    [
      "dingtalk",
      {
        msgtype: "markdown",
        markdown: {
          title: "reviews-batch: batch 2 of 3 started",
          text: "#### reviews-batch: batch 2 of 3 started\n\n- Service shop/reviews · Batched rollout\n- v1 → v2 · Awaiting confirmation\n- Waiting for confirmation of the next batch\n- By alice · gray-console\n\n[Open the task](https://console.example.com/releases/t1)",
        },
      },
    ],
    [
      "feishu",
      {
        msg_type: "interactive",
        card: {
          header: { title: { tag: "plain_text", content: "reviews-batch: batch 2 of 3 started" }, template: "blue" },
          elements: [
            {
              tag: "div",
              text: {
                tag: "lark_md",
                content:
                  "Service shop/reviews · Batched rollout\nv1 → v2 · Awaiting confirmation\nWaiting for confirmation of the next batch\nBy alice · gray-console",
              },
            },
            {
              tag: "action",
              actions: [
                {
                  tag: "button",
                  text: { tag: "plain_text", content: "Open the task" },
                  url: "https://console.example.com/releases/t1",
                  type: "primary",
                },
              ],
            },
          ],
        },
      },
    ],
    [
      "wecom",
      {
        msgtype: "markdown",
        markdown: {
          content:
            "**reviews-batch: batch 2 of 3 started**\n> Service shop/reviews · Batched rollout\n> v1 → v2 · Awaiting confirmation\n> Waiting for confirmation of the next batch\n> By alice · gray-console\n[Open the task](https://console.example.com/releases/t1)",
        },
      },
    ],
    [
      "webhook",
      {
        id: "ev1",
        event: "step-started",
        task: {
          id: "t1",
          name: "reviews-batch",
          namespace: "shop",
          service: "reviews",
          strategy: "batch",
          state: "awaiting-confirmation",
          url: "https://console.example.com/releases/t1",
        },
        at: "2026-12-08T10:00:00.000Z",
        actor: "alice",
        detail: { group: 2, groups: 3, awaitingConfirmation: true },
      },
    ],
  ] as const)("%s", (type, expected) => {
    expect(bodyFor(type, event, message)).toEqual(expected);
  });

  it("makes markup in names and reasons inert: no Slack link injection, no Feishu @all, no WeCom <font>", () => {
    const hostile = messageOf({ ...event, actor: '<at user_id="all"> & <!channel>' }, t);
    expect(JSON.stringify(bodyFor("slack", event, hostile))).toContain(
      'By &lt;at user_id=\\"all\\"&gt; &amp; &lt;!channel&gt;',
    );
    for (const type of ["feishu", "wecom", "dingtalk"] as const)
      expect(JSON.stringify(bodyFor(type, event, hostile))).not.toMatch(/<at|<!channel/);
    expect(slackEscape("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });

  it("keeps a WeCom message within 4096 bytes, link included", () => {
    const long = messageOf(
      { ...event, event: "needs-attention", detail: { action: "confirm", reason: "错".repeat(3000) } },
      t,
    );
    const content = (bodyFor("wecom", event, long) as { markdown: { content: string } }).markdown.content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content.endsWith("…\n[Open the task](https://console.example.com/releases/t1)")).toBe(true);
  });
});

describe("signatures", () => {
  it('DingTalk: base64(HmacSHA256(key=secret, timestamp+"\\n"+secret)), URL-encoded, appended to the webhook URL', () => {
    // Fixed vector (computed independently with Python's hmac): secret SEC0123456789abcdef, timestamp 1700000000000.
    expect(dingtalkSign("SEC0123456789abcdef", 1_700_000_000_000)).toBe("TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
    expect(
      dingtalkSignedUrl(
        "https://oapi.dingtalk.com/robot/send?access_token=tok",
        "SEC0123456789abcdef",
        1_700_000_000_000,
      ),
    ).toBe(
      "https://oapi.dingtalk.com/robot/send?access_token=tok&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D",
    );
    const req = signedRequest(delivery("dingtalk", "s3cret"), NOW_MS);
    const expected = createHmac("sha256", "s3cret").update(`${NOW_MS}\ns3cret`).digest("base64");
    const url = new URL(req.url);
    expect(url.searchParams.get("token")).toBe("abc");
    expect(url.searchParams.get("timestamp")).toBe(String(NOW_MS));
    expect(url.searchParams.get("sign")).toBe(expected);
    expect(req.body).toBe(delivery("dingtalk", "s3cret").payload);
  });

  it('Feishu: timestamp (seconds) and sign = base64(HmacSHA256(key=timestamp+"\\n"+secret, empty data)) in the body', () => {
    // Fixed vector (computed independently with Python's hmac): secret feishu-secret, timestamp 1700000000.
    expect(feishuSign("feishu-secret", 1_700_000_000)).toBe("OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=");
    const req = signedRequest(delivery("feishu", "s3cret"), NOW_MS);
    const body = JSON.parse(req.body);
    expect(body.timestamp).toBe(String(NOW_S));
    expect(body.sign).toBe(createHmac("sha256", `${NOW_S}\ns3cret`).update(Buffer.alloc(0)).digest("base64"));
    expect(body.msg_type).toBe("interactive");
    expect(req.url).toBe("https://hooks.example.com/x?token=abc");
  });

  it('webhook: sha256=hex(HmacSHA256(key=secret, timestamp+"."+raw body)) with the timestamp, event and delivery headers', () => {
    // Fixed vector (computed independently with Python's hmac).
    expect(webhookSignature("whsec-test", 1_700_000_000, '{"event":"created"}')).toBe(
      "sha256=47914fd0f7efb5e37daadcbebfa334f808581d30a397ff3622c44da76f943ea2",
    );
    const d = delivery("webhook", "s3cret");
    const req = signedRequest(d, NOW_MS);
    expect(req.headers).toMatchObject({
      "X-Gray-Console-Timestamp": String(NOW_S),
      "X-Gray-Console-Event": "step-started",
      "X-Gray-Console-Delivery": "d1",
      "X-Gray-Console-Signature": `sha256=${createHmac("sha256", "s3cret").update(`${NOW_S}.${d.payload}`).digest("hex")}`,
    });
    expect(req.body).toBe(d.payload);
    expect(signedRequest(delivery("webhook", null), NOW_MS).headers).not.toHaveProperty("X-Gray-Console-Signature");
  });

  it("without a secret (and always for Slack and WeCom) the request is the stored body to the configured URL", () => {
    for (const type of ["slack", "wecom", "dingtalk", "feishu"] as const) {
      const d = delivery(type, null);
      expect(signedRequest(d, NOW_MS)).toMatchObject({ url: d.url, body: d.payload });
    }
  });
});

describe("receiver answers and retries", () => {
  it.each([
    ["slack", 200, "ok", { ok: true }],
    ["slack", 404, "no_service", { ok: false, error: "HTTP 404: no_service" }],
    ["webhook", 500, "", { ok: false, error: "HTTP 500" }],
    ["dingtalk", 200, '{"errcode":0,"errmsg":"ok"}', { ok: true }],
    [
      "dingtalk",
      200,
      '{"errcode":310000,"errmsg":"sign not match"}',
      { ok: false, error: "dingtalk error 310000: sign not match" },
    ],
    [
      "wecom",
      200,
      '{"errcode":93000,"errmsg":"invalid webhook url"}',
      { ok: false, error: "wecom error 93000: invalid webhook url" },
    ],
    [
      "feishu",
      200,
      '{"code":19021,"msg":"sign match fail"}',
      { ok: false, error: "feishu error 19021: sign match fail" },
    ],
    ["feishu", 200, '{"StatusCode":0,"code":0,"msg":"success"}', { ok: true }],
  ] as const)("%s answering %i %s", (type, status, text, verdict) => {
    expect(receiverVerdict(type, status, text)).toEqual(verdict);
  });

  it("backs off 2 s, 4 s, 8 s, 16 s; gives up at once on a 4xx that a retry cannot change", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([2000, 4000, 8000, 16000]);
    expect([400, 403, 404, 408, 429, 500, null].map(isPermanent)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it("records a delivery as sent, retried with backoff, or failed after the fifth attempt or a permanent refusal", () => {
    const now = 1_000_000;
    expect(outcomeOf({ status: 200, error: null }, 1, now)).toEqual({
      status: "sent",
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(outcomeOf({ status: 500, error: "HTTP 500" }, 1, now)).toEqual({
      status: "pending",
      lastStatus: 500,
      lastError: "HTTP 500",
      nextAttemptAt: new Date(now + 2000),
    });
    expect(outcomeOf({ status: null, error: "connect ECONNREFUSED 127.0.0.1:9" }, 4, now)).toMatchObject({
      status: "pending",
      nextAttemptAt: new Date(now + 16_000),
    });
    expect(outcomeOf({ status: null, error: "connect ECONNREFUSED 127.0.0.1:9" }, 5, now)).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
    });
    expect(outcomeOf({ status: 403, error: "HTTP 403" }, 1, now)).toMatchObject({ status: "failed", lastStatus: 403 });
  });
});
