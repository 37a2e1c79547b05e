import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTranslate } from "@/lib/i18n/format";
import { en, type Messages } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { actorName } from "./actor";

const root = path.resolve(__dirname, "../..");
const zh = makeTranslate(zhCN);

describe("actors in history", () => {
  it("the console's placeholder identities are words in the reader's language", () => {
    expect(actorName("anonymous", zh)).toBe("匿名用户");
    expect(actorName("system:reconciler", zh)).toBe("控制台（协调器）");
    expect(actorName("system:auto-advance", zh)).toBe("控制台（自动推进）");
    expect(actorName("anonymous", makeTranslate(en as Messages))).toBe("anonymous");
  });

  it("people and ServiceAccounts are names and stay as they are", () => {
    expect(actorName("system:serviceaccount:bookinfo:deployer", zh)).toBe("system:serviceaccount:bookinfo:deployer");
    expect(actorName("oidc:alice@example.com", zh)).toBe("oidc:alice@example.com");
  });

  it("knows the server's placeholder names as the server spells them", () => {
    const read = (file: string) => readFileSync(path.join(root, file), "utf8");
    expect(read("lib/auth/identity.ts")).toContain('export const ANONYMOUS = "anonymous";');
    expect(read("lib/tasks/reconciler.ts")).toContain('export const RECONCILER_ACTOR = "system:reconciler";');
    expect(read("lib/tasks/auto-advance.ts")).toContain('export const AUTO_ACTOR = "system:auto-advance";');
  });
});
