import { describe, expect, it } from "vitest";
import { makeTranslate } from "@/lib/i18n/format";
import { untranslatedWords } from "@/lib/i18n/latin-words";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { stepView, type PlanOp } from "@/lib/release/ops";
import { stepText } from "./step-text";

const zh = makeTranslate(zhCN);
const dep = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "reviews-v2", namespace: "bookinfo" } };

describe("an operation's steps in Chinese", () => {
  it.each<[string, PlanOp, string]>([
    ["create", { op: "create", object: dep }, "创建 Deployment/reviews-v2"],
    [
      "scale",
      { op: "patchReplicas", kind: "Deployment", namespace: "bookinfo", name: "reviews-v1", replicas: 0, previous: 3 },
      "把 Deployment/reviews-v1 从 3 缩放到 0",
    ],
    [
      "wait for Ready pods",
      {
        op: "waitReady",
        namespace: "bookinfo",
        deployment: "reviews-v2",
        version: "v2",
        replicas: 2,
        timeoutSeconds: 600,
      },
      "等待 reviews-v2 有 2 个就绪 Pod",
    ],
    ["drain", { op: "drain", version: "v1", seconds: 30 }, "排空 v1，等待 30 秒"],
  ])("%s", (_what, op, want) => {
    const text = stepText(stepView(op), zh);
    expect(text).toBe(want);
    expect(untranslatedWords(text, new Set(["reviews-v1", "reviews-v2"]))).toEqual([]);
  });
});
