import { describe, expect, it } from "vitest";
import { isDnsLabel, isTaskId } from "./names";
import { newReleaseHref } from "./links";

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

it("newReleaseHref carries only what is known", () => {
  expect(newReleaseHref()).toBe("/releases/new");
  expect(newReleaseHref("bookinfo", "reviews")).toBe("/releases/new?namespace=bookinfo&service=reviews");
  expect(newReleaseHref(undefined, undefined, "blue-green")).toBe("/releases/new?strategy=blue-green");
});
