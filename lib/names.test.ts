import { describe, expect, it } from "vitest";
import { isDnsLabel, isTaskId } from "./names";

describe("URL segment checks", () => {
  it.each([
    { v: "bookinfo", want: true },
    { v: "a", want: true },
    { v: "my-ns-1", want: true },
    { v: "-bad", want: false },
    { v: "Bad", want: false },
    { v: "a".repeat(64), want: false },
    { v: "", want: false },
  ])("isDnsLabel($v) = $want", ({ v, want }) => {
    expect(isDnsLabel(v)).toBe(want);
  });
  it("task ids are lowercase alphanumerics", () => {
    expect(isTaskId("cm1abc9")).toBe(true);
    expect(isTaskId("../etc")).toBe(false);
    expect(isTaskId("")).toBe(false);
  });
});
