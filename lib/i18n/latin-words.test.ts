import { describe, expect, it } from "vitest";
import { zhCN } from "./messages/zh-CN";
import { untranslatedWords } from "./latin-words";

// Messages a Chinese reader gets in Latin letters on purpose.
const LATIN_ON_PURPOSE: Record<string, string> = {
  "header.switchLanguage": 'the language switch speaks the other language (rendered with lang="en")',
  "auth.signin.tokenCommand": "a shell command, shown as code",
};

describe("finding untranslated words", () => {
  it.each([
    ["Working…", ["Working"]],
    ['uri prefix "/api"', ["uri", "prefix"]],
    ["处理中… anonymous", ["anonymous"]],
    ["Switch 切换", ["Switch"]],
    ['服务器拒绝了此发布：service "reviews" already exists', ["service", "already", "exists"]],
  ])("flags %s", (text, words) => {
    expect(untranslatedWords(text)).toEqual(words);
  });

  it.each([
    "v1 80% · v2 20%",
    "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2",
    '请求头 end-user 等于 "jason"',
    "VirtualService reviews 中没有 Pod",
    "newVersion.replicas：至少需要 1 个副本",
    "p99 120 ms，5xx 3%，2.5 rps",
    "URI 以 / 开头（A/B 测试）",
    "app=reviews, version=v1",
    '请求头 user-agent 匹配正则 ".*(?:Android).*Mobile Safari"',
    '找不到发布任务 "some words in a name"',
  ])("lets names, identifiers, units and product words through: %s", (text) => {
    expect(untranslatedWords(text, new Set(["reviews"]))).toEqual([]);
  });

  it("takes the names it is given (namespaces, services...) as they are", () => {
    expect(untranslatedWords("服务 storefront", new Set())).toEqual(["storefront"]);
    expect(untranslatedWords("服务 storefront", new Set(["storefront"]))).toEqual([]);
  });
});

describe("the zh-CN catalog", () => {
  it("has no English word in any message (placeholders stand for names)", () => {
    const found = Object.entries(zhCN)
      .filter(([key]) => !(key in LATIN_ON_PURPOSE))
      .map(([key, text]) => [key, untranslatedWords(text.replace(/\{\w+\}/g, "x1"))] as const)
      .filter(([, words]) => words.length > 0)
      .map(([key, words]) => `${key}: ${words.join(", ")}`);
    expect(found).toEqual([]);
  });
});
