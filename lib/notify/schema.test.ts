import { describe, expect, it } from "vitest";
import { displayUrl, NamespaceNotificationsRequest, NotificationTargetSchema, redactTargets } from "./schema";
import { TaskSpecSchema } from "@/lib/release/spec";

describe("notification targets", () => {
  it.each([
    [{ type: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX" }, true],
    [{ type: "webhook", url: "http://127.0.0.1:8080/hook", secret: "s" }, true],
    [{ type: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret: "SECabc" }, true],
    [{ type: "feishu", url: "https://open.feishu.cn/open-apis/bot/v2/hook/abc", secret: "s" }, true],
    [{ type: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc" }, true],
    [{ type: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", secret: "s" }, false],
    [{ type: "slack", url: "https://hooks.slack.com/x", secret: "s" }, false],
    [{ type: "teams", url: "https://example.com" }, false],
    [{ type: "webhook", url: "ftp://example.com/x" }, false],
    [{ type: "webhook", url: "https://user:pw@example.com/x" }, false],
    [{ type: "webhook", url: "not a url" }, false],
    [{ type: "webhook", url: "https://example.com", extra: 1 }, false],
  ])("%j valid: %s", (target, valid) => {
    expect(NotificationTargetSchema.safeParse(target).success).toBe(valid);
  });

  it("says which field is wrong, with a catalog key", () => {
    const res = NotificationTargetSchema.safeParse({ type: "wecom", url: "https://x.example/", secret: "s" });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]).toMatchObject({ path: ["secret"], message: 'err.notify.noSigning{"type":"wecom"}' });
  });

  it("is part of the task spec, optional, and at most 10 per list", () => {
    const spec = {
      name: "t",
      namespace: "ns",
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: "reviews:v2", replicas: 1 },
      traffic: { weights: { v1: 90, v2: 10 } },
    };
    expect(TaskSpecSchema.safeParse(spec).success).toBe(true);
    expect(
      TaskSpecSchema.safeParse({ ...spec, notifications: [{ type: "slack", url: "https://hooks.slack.com/x" }] })
        .success,
    ).toBe(true);
    expect(TaskSpecSchema.safeParse({ ...spec, notifications: [{ type: "slack", url: "mailto:a@b" }] }).success).toBe(
      false,
    );
    const eleven = Array.from({ length: 11 }, () => ({ type: "webhook", url: "https://example.com/h" }));
    expect(NamespaceNotificationsRequest.safeParse({ targets: eleven }).success).toBe(false);
  });
});

describe("what is shown of a target", () => {
  it.each([
    [
      "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123",
      "https://oapi.dingtalk.com/robot/send?…",
    ],
    [
      "https://hooks.slack.com/services/T0123456789/B1001010101/7IsoQTrixdUtE971O1xQTm4T",
      "https://hooks.slack.com/services/T0123456789/B1001010101/7Iso…",
    ],
    [
      "https://open.feishu.cn/open-apis/bot/v2/hook/2f0c6a7e-1b7a-4c9a-9b8e-2f1f0a0b0c0d",
      "https://open.feishu.cn/open-apis/bot/v2/hook/2f0c…",
    ],
    ["http://127.0.0.1:8080/hooks/release", "http://127.0.0.1:8080/hooks/release"],
  ])("%s -> %s", (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });

  it("a spec's targets lose their secrets (secretSet) and URL credentials", () => {
    expect(
      redactTargets({
        name: "t",
        notifications: [{ type: "webhook" as const, url: "https://example.com/h?k=v", secret: "s" }],
      }),
    ).toEqual({
      name: "t",
      notifications: [{ type: "webhook", url: "https://example.com/h?…", secretSet: true }],
    });
    const none: { name: string; notifications?: [] } = { name: "t" };
    expect(redactTargets(none)).toEqual({ name: "t" });
  });
});
