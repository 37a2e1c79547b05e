import { describe, expect, it } from "vitest";
import { localeCookie, resolveLocale } from "./config";

describe("resolveLocale", () => {
  it.each([
    { cookie: "zh-CN", accept: "en-US,en;q=0.9", want: "zh-CN", why: "cookie wins over the browser" },
    { cookie: "en", accept: "zh-CN,zh;q=0.9", want: "en", why: "cookie wins over the browser" },
    { cookie: undefined, accept: "zh-CN,zh;q=0.9,en;q=0.8", want: "zh-CN", why: "Chinese browser" },
    { cookie: undefined, accept: "zh-TW", want: "zh-CN", why: "any zh variant reads the Chinese catalog" },
    { cookie: undefined, accept: "en-US,en;q=0.9", want: "en", why: "English browser" },
    { cookie: undefined, accept: "fr-FR,zh;q=0.5,en;q=0.8", want: "en", why: "highest q among supported wins" },
    { cookie: undefined, accept: "fr-FR,de;q=0.9", want: "en", why: "unsupported languages fall back to English" },
    { cookie: undefined, accept: "zh;q=0,en;q=0.1", want: "en", why: "q=0 means not acceptable" },
    { cookie: "xx", accept: null, want: "en", why: "unknown cookie value is ignored" },
    { cookie: undefined, accept: undefined, want: "en", why: "nothing known" },
  ])("$why: cookie=$cookie accept=$accept -> $want", ({ cookie, accept, want }) => {
    expect(resolveLocale(cookie, accept)).toBe(want);
  });

  it("writes a site-wide, long-lived cookie", () => {
    expect(localeCookie("zh-CN")).toBe("gc-locale=zh-CN; path=/; max-age=31536000; samesite=lax");
  });
});
