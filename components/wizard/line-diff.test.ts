import { describe, expect, it } from "vitest";
import { lineDiff, withContext } from "./line-diff";

describe("lineDiff", () => {
  it.each([
    { before: "", after: "a\nb\n", want: ["+a", "+b"] },
    { before: "a\nb\n", after: "", want: ["-a", "-b"] },
    { before: "a\nb\nc", after: "a\nb\nc", want: [" a", " b", " c"] },
    { before: "a\nweight: 100\nc", after: "a\nweight: 80\nc", want: [" a", "-weight: 100", "+weight: 80", " c"] },
    { before: "a\nc", after: "a\nb\nc", want: [" a", "+b", " c"] },
  ])("$before -> $after", ({ before, after, want }) => {
    const sign = { same: " ", add: "+", del: "-" } as const;
    expect(lineDiff(before, after).map((l) => `${sign[l.kind]}${l.text}`)).toEqual(want);
  });
});

describe("withContext", () => {
  it("collapses long unchanged runs", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n");
    const after = before.replace("l10", "L10");
    const out = withContext(lineDiff(before, after), 2);
    expect(out.map((l) => (l.kind === "skip" ? `…${l.count}` : l.text))).toEqual([
      "…8",
      "l8",
      "l9",
      "l10",
      "L10",
      "l11",
      "l12",
      "…7",
    ]);
  });
});
