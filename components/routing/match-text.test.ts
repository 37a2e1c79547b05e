import { describe, expect, it } from "vitest";
import { makeTranslate } from "@/lib/i18n/format";
import { en, type Messages } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { describeMatch, matchConditions } from "@/lib/release/routing";
import type { HTTPMatchRequest } from "@/lib/release/types";
import { matchText } from "./match-text";

const enT = makeTranslate(en as Messages);
const zh = makeTranslate(zhCN);

const cases: [string, HTTPMatchRequest[] | undefined][] = [
  ["no match", undefined],
  ["an empty match entry", [{}]],
  ["uri prefix", [{ uri: { prefix: "/api" } }]],
  ["header exact AND uri regex", [{ headers: { "end-user": { exact: "jason" } }, uri: { regex: "^/v[0-9]+" } }]],
  [
    "two entries ORed",
    [{ headers: { cookie: { regex: "^(.*?;)?(user=jason)(;.*)?$" } } }, { queryParams: { debug: { exact: "1" } } }],
  ],
  ["a header that only has to be present", [{ headers: { "x-canary": {} } }]],
  [
    "withoutHeaders, method, scheme, authority",
    [
      {
        withoutHeaders: { "x-test": { prefix: "a" } },
        method: { exact: "GET" },
        scheme: { exact: "https" },
        authority: { prefix: "shop" },
      },
    ],
  ],
  ["a field the console has no word for", [{ port: 9080 } as HTTPMatchRequest]],
];

describe("route match conditions worded by the UI", () => {
  it.each(cases)("%s: English reads exactly as the API's match string", (_name, match) => {
    expect(matchText(matchConditions(match), enT)).toBe(describeMatch(match));
  });

  it("zh-CN words the operators and fields, keeping names and values as they are", () => {
    const text = matchText(
      matchConditions([{ uri: { prefix: "/api" }, headers: { "end-user": { exact: "jason" } } }]),
      zh,
    );
    expect(text).toBe('URI 以 "/api" 开头 且 请求头 end-user 等于 "jason"');
    expect(text).not.toMatch(/\b(uri|prefix|exact|header|AND)\b/);
  });

  it("zh-CN says 'any request' in Chinese", () => {
    expect(matchText(matchConditions(undefined), zh)).toBe("任意请求");
  });
});
