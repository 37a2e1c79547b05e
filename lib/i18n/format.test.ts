import { describe, expect, it } from "vitest";
import { formatAge, formatRelative, interpolate, makeTranslate, placeholders, type MessageVars } from "./format";
import { en } from "./messages/en";
import { zhCN } from "./messages/zh-CN";

describe("interpolate", () => {
  it.each<{ msg: string; vars: MessageVars | undefined; want: string }>([
    { msg: "Page {page} of {pages}", vars: { page: 2, pages: 5 }, want: "Page 2 of 5" },
    { msg: "{a}{a}", vars: { a: "x" }, want: "xx" },
    { msg: "no vars", vars: undefined, want: "no vars" },
    { msg: "keeps {missing} visible", vars: { other: 1 }, want: "keeps {missing} visible" },
    { msg: "{n}%", vars: { n: 0 }, want: "0%" },
  ])("$msg", ({ msg, vars, want }) => {
    expect(interpolate(msg, vars)).toBe(want);
  });

  it("lists placeholders sorted", () => {
    expect(placeholders("{total} and {n} and {n}")).toEqual(["n", "n", "total"]);
  });
});

describe("makeTranslate", () => {
  it("reads the given catalog", () => {
    expect(makeTranslate(en)("releases.page", { page: 1, pages: 3 })).toBe("Page 1 of 3");
    expect(makeTranslate(zhCN)("releases.page", { page: 1, pages: 3 })).toBe("第 1 / 3 页");
  });
});

describe("time formatting", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");
  it.each([
    { iso: "2026-01-10T11:59:30Z", want: "30s" },
    { iso: "2026-01-10T11:30:00Z", want: "30m" },
    { iso: "2026-01-10T06:00:00Z", want: "6h" },
    { iso: "2026-01-01T12:00:00Z", want: "9d" },
    { iso: null, want: "—" },
    { iso: "not a date", want: "—" },
  ])("formatAge($iso) = $want", ({ iso, want }) => {
    expect(formatAge(iso, now)).toBe(want);
  });

  it("formats relative times in the locale", () => {
    expect(formatRelative("2026-01-10T11:57:00Z", "en", now)).toBe("3 minutes ago");
    expect(formatRelative("2026-01-10T11:57:00Z", "zh-CN", now)).toBe("3分钟前");
    expect(formatRelative(null, "en", now)).toBe("—");
  });
});
