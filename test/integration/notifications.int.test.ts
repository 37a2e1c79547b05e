// Notifications (issue 13, part 2) end to end: a REAL local HTTP receiver on an ephemeral port,
// the console over HTTP against the real cluster. Each target type must receive its platform's
// exact message shape with a valid signature; a receiver answering 500 is retried; a receiver
// that is not there shows on the task while the release goes on.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, as, settled } from "./helpers/api";
import { freePort } from "./helpers/auth";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

interface Received {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
}

/** Records every POST; `/flaky/...` answers 500 to its first request, everything else a platform-style success. */
class Receiver {
  readonly requests: Received[] = [];
  private server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://receiver");
      let body: any = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      this.requests.push({
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw,
        body,
        at: Date.now(),
      });
      if (url.pathname.startsWith("/hang")) return; // never answers: the sender's timeout must end the attempt
      if (url.pathname.startsWith("/flaky") && this.requests.filter((r) => r.path === url.pathname).length === 1) {
        res.writeHead(500).end("receiver is starting");
      } else if (url.pathname.includes("dingtalk") || url.pathname.includes("wecom")) {
        res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
      } else if (url.pathname.includes("feishu")) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end('{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}');
      } else {
        res.writeHead(200).end("ok");
      }
    });
  });
  base = "";
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  at(prefix: string): Received[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }
}

let kc: k8s.KubeConfig;
let k: Kube;
const receiver = new Receiver();
const namespaces: TestNamespace[] = [];

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await Promise.all(namespaces.map((n) => n.delete().catch(() => undefined)));
});

async function freshReviews(): Promise<string> {
  const ns = await createTestNamespace(kc, "notify");
  namespaces.push(ns);
  await seedReviews(k, ns.name);
  return ns.name;
}

async function act(id: string, body: Record<string, unknown>) {
  const res = await api("POST", `/api/tasks/${id}/actions`, body, as("alice"));
  expect(res.status, res.text).toBe(200);
  return settled(id);
}

const canary = (namespace: string, over: Record<string, unknown> = {}) => ({
  name: "reviews-canary",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  rollout: { drainSeconds: 0 },
  ...over,
});

const hmacHex = (key: string, data: string) => createHmac("sha256", key).update(data).digest("hex");
const hmacB64 = (key: string, data: string) => createHmac("sha256", key).update(data).digest("base64");

describe("each target type receives its platform's message, signed", () => {
  it("created, step-started, paused and rolled-back reach webhook, Slack, DingTalk, Feishu and WeCom", async () => {
    const ns = await freshReviews();
    const targets = [
      { type: "webhook", url: `${receiver.base}/${ns}/webhook`, secret: "wh-secret" },
      { type: "slack", url: `${receiver.base}/${ns}/slack/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX` },
      {
        type: "dingtalk",
        url: `${receiver.base}/${ns}/dingtalk/robot/send?access_token=ding-token`,
        secret: "SECding-secret",
      },
      {
        type: "feishu",
        url: `${receiver.base}/${ns}/feishu/open-apis/bot/v2/hook/0123456789abcdef0123`,
        secret: "feishu-secret",
      },
      { type: "wecom", url: `${receiver.base}/${ns}/wecom/cgi-bin/webhook/send?key=wecom-key` },
    ];
    await k.apps.patchNamespacedDeployment({
      namespace: ns,
      name: "reviews-v1",
      body: [{ op: "replace", path: "/spec/replicas", value: 3 }],
    });
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v1"))?.status?.readyReplicas ?? 0) === 3, {
      description: "reviews-v1 3 ready",
    });
    const created = await api(
      "POST",
      "/api/tasks",
      {
        name: "reviews-notify",
        namespace: ns,
        service: "reviews",
        strategy: "batch",
        newVersion: { version: "v2", image: V2, replicas: 3 },
        batch: { groups: 3 },
        rollout: { drainSeconds: 0 },
        notifications: targets,
      },
      as("alice"),
    );
    expect(created.status, created.text).toBe(201);
    const id: string = created.json.task.id;
    // Who the console says acted (GC_AUTH=none: "anonymous"; a trusted proxy: its user).
    const actor: string = created.json.task.createdBy;
    // The API never shows a secret or a URL's credentials.
    expect(created.text).not.toMatch(/wh-secret|SECding-secret|feishu-secret|ding-token|wecom-key/);
    expect(created.json.task.spec.notifications).toEqual([
      { type: "webhook", url: `${receiver.base}/${ns}/webhook`, secretSet: true },
      { type: "slack", url: `${receiver.base}/${ns}/slack/services/T000/B000/XXXX…`, secretSet: false },
      { type: "dingtalk", url: `${receiver.base}/${ns}/dingtalk/robot/send?…`, secretSet: true },
      { type: "feishu", url: `${receiver.base}/${ns}/feishu/open-apis/bot/v2/hook/0123…`, secretSet: true },
      { type: "wecom", url: `${receiver.base}/${ns}/wecom/cgi-bin/webhook/send?…`, secretSet: false },
    ]);
    await settled(id);
    await waitFor(async () => ((await tryDeployment(k, ns, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
      description: "group 1 ready",
    });
    await act(id, { action: "confirm" });
    await act(id, { action: "pause" });
    await act(id, { action: "resume" });
    const aborted = await act(id, { action: "abort" });
    expect(aborted.state).toBe("aborted");

    // 4 announced events (resume is not one) x 5 targets.
    await waitFor(async () => receiver.at(`/${ns}/`).length >= 20, {
      description: "20 deliveries received",
      timeoutMs: 30_000,
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.at(`/${ns}/`)).toHaveLength(20);
    const task = (await api("GET", `/api/tasks/${id}`)).json.task;
    expect(task.notifications).toHaveLength(20);
    expect(task.notifications.every((d: any) => d.status === "sent" && d.attempts === 1 && d.lastError === null)).toBe(
      true,
    );
    const link = expect.stringMatching(new RegExp(`^https?://[^/]+/releases/${id}$`));

    // Generic webhook: our JSON event, HMAC-SHA256 over "<timestamp>.<raw body>".
    const hooks = receiver.at(`/${ns}/webhook`);
    expect(hooks.map((r) => r.body.event)).toEqual(
      expect.arrayContaining(["created", "step-started", "paused", "rolled-back"]),
    );
    for (const r of hooks) {
      const ts = String(r.headers["x-gray-console-timestamp"]);
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(300);
      expect(r.headers["x-gray-console-signature"]).toBe(`sha256=${hmacHex("wh-secret", `${ts}.${r.raw}`)}`);
      expect(r.headers["x-gray-console-event"]).toBe(r.body.event);
      expect(r.headers["content-type"]).toMatch(/^application\/json/);
    }
    const paused = hooks.find((r) => r.body.event === "paused")!;
    expect(paused.body).toEqual({
      id: expect.any(String),
      event: "paused",
      task: {
        id,
        name: "reviews-notify",
        namespace: ns,
        service: "reviews",
        strategy: "batch",
        state: "paused",
        url: link,
      },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor,
      detail: { reason: "paused" },
    });
    expect(hooks.find((r) => r.body.event === "step-started")!.body.detail).toEqual({
      group: 2,
      groups: 3,
      awaitingConfirmation: true,
    });
    expect(hooks.find((r) => r.body.event === "rolled-back")!.body.detail).toEqual({ action: "abort" });

    // Slack: text + blocks (a section and a link section), no signature of ours.
    const slack = receiver.at(`/${ns}/slack`).find((r) => r.body.text === "reviews-notify: paused")!;
    expect(slack.body).toEqual({
      text: "reviews-notify: paused",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `*reviews-notify: paused*\nService ${ns}/reviews · Batched rollout\nv1 → v2 · Paused\nBy ${actor} · gray-console`,
          },
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: expect.stringMatching(new RegExp(`^<https?://[^/]+/releases/${id}\\|Open the task>$`)),
          },
        },
      ],
    });
    expect(slack.headers["x-gray-console-signature"]).toBeUndefined();

    // DingTalk: markdown; timestamp (ms) and sign in the query beside the access token.
    const ding = receiver.at(`/${ns}/dingtalk`);
    for (const r of ding) {
      const ts = r.query.get("timestamp")!;
      expect(r.query.get("access_token")).toBe("ding-token");
      expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(3_600_000);
      expect(r.query.get("sign")).toBe(hmacB64("SECding-secret", `${ts}\nSECding-secret`));
      expect(Object.keys(r.body)).toEqual(["msgtype", "markdown"]);
    }
    const dingPaused = ding.find((r) => r.body.markdown.title === "reviews-notify: paused")!;
    expect(dingPaused.body).toEqual({
      msgtype: "markdown",
      markdown: {
        title: "reviews-notify: paused",
        text: expect.stringMatching(
          new RegExp(
            `^#### reviews-notify: paused\\n\\n- Service ${ns}/reviews · Batched rollout\\n- v1 → v2 · Paused\\n- By ${actor} · gray-console\\n\\n\\[Open the task\\]\\(https?://[^/]+/releases/${id}\\)$`,
          ),
        ),
      },
    });

    // Feishu: interactive card; timestamp (s) and sign in the body.
    const feishu = receiver.at(`/${ns}/feishu`);
    for (const r of feishu) {
      const ts = r.body.timestamp as string;
      expect(ts).toMatch(/^\d{10}$/);
      expect(r.body.sign).toBe(createHmac("sha256", `${ts}\nfeishu-secret`).update("").digest("base64"));
    }
    const feishuPaused = feishu.find((r) => r.body.card.header.title.content === "reviews-notify: paused")!;
    expect(feishuPaused.body).toEqual({
      timestamp: expect.any(String),
      sign: expect.any(String),
      msg_type: "interactive",
      card: {
        header: { title: { tag: "plain_text", content: "reviews-notify: paused" }, template: "orange" },
        elements: [
          {
            tag: "div",
            text: {
              tag: "lark_md",
              content: `Service ${ns}/reviews · Batched rollout\nv1 → v2 · Paused\nBy ${actor} · gray-console`,
            },
          },
          {
            tag: "action",
            actions: [
              { tag: "button", text: { tag: "plain_text", content: "Open the task" }, url: link, type: "primary" },
            ],
          },
        ],
      },
    });

    // WeCom: markdown content, the key stays in the URL.
    const wecom = receiver.at(`/${ns}/wecom`);
    expect(
      wecom.every((r) => r.query.get("key") === "wecom-key" && Object.keys(r.body).join() === "msgtype,markdown"),
    ).toBe(true);
    const wecomPaused = wecom.find((r) => r.body.markdown.content.startsWith("**reviews-notify: paused**"))!;
    expect(wecomPaused.body.markdown.content).toMatch(
      new RegExp(
        `^\\*\\*reviews-notify: paused\\*\\*\\n> Service ${ns}/reviews · Batched rollout\\n> v1 → v2 · Paused\\n> By ${actor} · gray-console\\n\\[Open the task\\]\\(https?://[^/]+/releases/${id}\\)$`,
      ),
    );
  });
});

describe("delivery never blocks a release", () => {
  it("a receiver answering 500 then 200 is retried after a backoff; the same message is sent again", async () => {
    const ns = await freshReviews();
    const res = await api(
      "POST",
      "/api/tasks",
      canary(ns, { notifications: [{ type: "webhook", url: `${receiver.base}/flaky/${ns}` }] }),
      as("alice"),
    );
    expect(res.status, res.text).toBe(201);
    const id = res.json.task.id;
    const sent = await waitFor(
      async () => {
        const d = (await api("GET", `/api/tasks/${id}`)).json.task.notifications[0];
        return d?.status === "sent" ? d : null;
      },
      { description: "the created event delivered", timeoutMs: 30_000 },
    );
    expect(sent).toMatchObject({
      type: "webhook",
      event: "created",
      status: "sent",
      attempts: 2,
      lastError: null,
      lastStatus: 200,
    });
    const got = receiver.at(`/flaky/${ns}`);
    expect(got).toHaveLength(2);
    expect(got[1]!.raw).toBe(got[0]!.raw);
    expect(got[1]!.headers["x-gray-console-delivery"]).toBe(got[0]!.headers["x-gray-console-delivery"]);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it("with nothing listening the release still succeeds, and the task says why its messages did not arrive", async () => {
    const ns = await freshReviews();
    const port = await freePort();
    const res = await api(
      "POST",
      "/api/tasks",
      canary(ns, {
        notifications: [{ type: "slack", url: `http://127.0.0.1:${port}/services/T/B/0123456789abcdefghij` }],
      }),
      as("alice"),
    );
    expect(res.status, res.text).toBe(201);
    const id = res.json.task.id;
    await settled(id);
    const moved = await act(id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(moved.weights).toEqual({ v1: 50, v2: 50 });
    const failed = await waitFor(
      async () => {
        const d = (await api("GET", `/api/tasks/${id}`)).json.task.notifications.find(
          (n: any) => n.event === "created",
        );
        return d?.attempts >= 2 ? d : null;
      },
      { description: "a second failed attempt", timeoutMs: 30_000 },
    );
    expect(failed).toMatchObject({
      type: "slack",
      url: `http://127.0.0.1:${port}/services/T/B/0123…`,
      status: "pending",
      lastStatus: null,
    });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    expect(failed.nextAttemptAt).not.toBeNull();
    const aborted = await act(id, { action: "abort" });
    expect(aborted.state).toBe("aborted");
    const gaveUp = await waitFor(
      async () => {
        const d = (await api("GET", `/api/tasks/${id}`)).json.task.notifications.find(
          (n: any) => n.event === "created",
        );
        return d?.status === "failed" ? d : null;
      },
      { description: "the delivery given up after 5 attempts", timeoutMs: 60_000 },
    );
    expect(gaveUp).toMatchObject({ status: "failed", attempts: 5, nextAttemptAt: null });
  });
});

describe("a receiver that never answers", () => {
  it("is given up on after 5 s per attempt, and the action that caused the message answered at once", async () => {
    const ns = await freshReviews();
    const started = Date.now();
    const res = await api(
      "POST",
      "/api/tasks",
      canary(ns, { notifications: [{ type: "feishu", url: `${receiver.base}/hang/${ns}` }] }),
      as("alice"),
    );
    expect(res.status, res.text).toBe(201);
    expect(Date.now() - started).toBeLessThan(5000);
    const id = res.json.task.id;
    const timedOut = await waitFor(
      async () => {
        const d = (await api("GET", `/api/tasks/${id}`)).json.task.notifications[0];
        return d?.lastError ? d : null;
      },
      { description: "the first attempt timed out", timeoutMs: 20_000 },
    );
    expect(timedOut).toMatchObject({
      type: "feishu",
      event: "created",
      status: "pending",
      attempts: 1,
      lastStatus: null,
      lastError: "no answer within 5 s",
    });
    expect(receiver.at(`/hang/${ns}`).length).toBeGreaterThanOrEqual(1);
  });
});

describe("namespace defaults", () => {
  it("GET never shows a secret; a task without targets uses them; bad input is a 400 that changes nothing", async () => {
    const ns = await freshReviews();
    const empty = await api("GET", `/api/namespaces/${ns}/notifications`);
    expect(empty.status, empty.text).toBe(200);
    expect(empty.json).toEqual({ namespace: ns, targets: [], updatedBy: null, updatedAt: null });
    const put = await api(
      "PUT",
      `/api/namespaces/${ns}/notifications`,
      { targets: [{ type: "webhook", url: `${receiver.base}/defaults/${ns}?token=t0p`, secret: "ns-secret" }] },
      as("alice"),
    );
    expect(put.status, put.text).toBe(200);
    const shown = {
      namespace: ns,
      targets: [{ type: "webhook", url: `${receiver.base}/defaults/${ns}?…`, secretSet: true }],
      updatedBy: expect.any(String),
      updatedAt: expect.any(String),
    };
    expect(put.json).toEqual(shown);
    const bad = await api(
      "PUT",
      `/api/namespaces/${ns}/notifications`,
      { targets: [{ type: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", secret: "x" }] },
      as("alice"),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: "invalid_argument" });
    expect(bad.json.error.message).toBe("targets[0].secret: wecom robots have no signing: leave secret out");
    const notUrl = await api(
      "PUT",
      `/api/namespaces/${ns}/notifications`,
      { targets: [{ type: "webhook", url: "file:///etc/passwd" }] },
      as("alice"),
    );
    expect(notUrl.status).toBe(400);
    const missing = await api("PUT", `/api/namespaces/${ns}-gone/notifications`, { targets: [] }, as("alice"));
    expect(missing.status, missing.text).toBe(404);
    const after = await api("GET", `/api/namespaces/${ns}/notifications`);
    expect(after.json).toEqual(shown);
    expect(after.text).not.toMatch(/ns-secret|t0p/);

    const res = await api("POST", "/api/tasks", canary(ns), as("alice"));
    expect(res.status, res.text).toBe(201);
    await waitFor(async () => receiver.at(`/defaults/${ns}`).length >= 1, {
      description: "the default target reached",
      timeoutMs: 20_000,
    });
    const r = receiver.at(`/defaults/${ns}`)[0]!;
    expect(r.query.get("token")).toBe("t0p");
    expect(r.body).toMatchObject({
      event: "created",
      task: { id: res.json.task.id, name: "reviews-canary", namespace: ns, strategy: "canary" },
      actor: res.json.task.createdBy,
    });
    // The same caller set the defaults and created the task.
    expect(put.json.updatedBy).toBe(res.json.task.createdBy);
    expect(r.headers["x-gray-console-signature"]).toBe(
      `sha256=${hmacHex("ns-secret", `${r.headers["x-gray-console-timestamp"]}.${r.raw}`)}`,
    );
  });
});
