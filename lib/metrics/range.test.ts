import { describe, expect, it } from "vitest";
import {
  MAX_RANGE_SECONDS,
  SUMMARY_WINDOWS,
  configuredWeightSeries,
  defaultStep,
  parseDuration,
  parseRangeStep,
  summaryWindow,
  taskRangeSeconds,
} from "./range";

describe("parseDuration", () => {
  it.each([
    ["15m", 900],
    ["30s", 30],
    ["1h", 3600],
    ["2d", 172800],
    ["15", null],
    ["1.5m", null],
    ["-5m", null],
    ["m", null],
  ])("%s -> %s", (t, want) => {
    expect(parseDuration(t)).toBe(want);
  });
});

describe("parseRangeStep", () => {
  it("defaults to 15 minutes at a 10 s step", () =>
    expect(parseRangeStep(undefined, undefined)).toEqual({ rangeSeconds: 900, stepSeconds: 10 }));
  it("takes explicit values", () =>
    expect(parseRangeStep("1h", "15s")).toEqual({ rangeSeconds: 3600, stepSeconds: 15 }));
  it.each([
    ["10s", "5s", "range"],
    ["8d", "1m", "range"],
    ["15m", "1s", "step"],
    ["7d", "5s", "step"],
    ["abc", undefined, "range"],
  ])("rejects range=%s step=%s naming %s", (r, s, field) => {
    expect(parseRangeStep(r, s)).toMatchObject({ field });
  });
  it("picks round default steps", () => {
    expect(defaultStep(300)).toBe(5);
    expect(defaultStep(6 * 3600)).toBe(300);
  });
});

describe("configuredWeightSeries", () => {
  it("draws a step line from history, carrying the weight in force at the start", () => {
    const s = configuredWeightSeries(
      [
        { at: 100, weights: { v1: 90, v2: 10 } },
        { at: 200, weights: { v1: 80, v2: 20 } },
        { at: 400, weights: { v1: 50, v2: 50 } },
      ],
      150,
      300,
    );
    expect(s.v2).toEqual([
      [150, 10],
      [200, 20],
      [300, 20],
    ]);
    expect(s.v1).toEqual([
      [150, 90],
      [200, 80],
      [300, 80],
    ]);
  });
  it("is empty before the first change", () => {
    expect(configuredWeightSeries([{ at: 500, weights: { v1: 100 } }], 100, 200)).toEqual({ v1: [] });
  });
});

describe("summaryWindow: the observed share's window, in whole units", () => {
  it.each([
    { since: null, want: 300 },
    { since: 5, want: 30 },
    { since: 30, want: 30 },
    { since: 64, want: 60 },
    { since: 119, want: 60 },
    { since: 299, want: 120 },
    { since: 725, want: 600 },
    { since: 86400, want: 3600 },
  ])("$since s since the last change -> $want s", ({ since, want }) => {
    expect(summaryWindow(since)).toBe(want);
  });

  it("is always one of the whole-unit windows", () => {
    for (let s = 0; s < 5000; s += 7) expect(SUMMARY_WINDOWS).toContain(summaryWindow(s));
  });
});

describe("taskRangeSeconds: from just before the task's start to now", () => {
  it.each([0, 20, 59, 300, 3599, 86400, 3 * 86400])(
    "a task %i s old: the range covers its start with a lead, in whole steps",
    (age) => {
      const now = 1_700_000_000;
      const range = taskRangeSeconds(now, now - age);
      const step = defaultStep(range);
      expect(range % step).toBe(0);
      expect(range).toBeGreaterThanOrEqual(60);
      // The grid ends up to one step before now; the start still comes at least 30 s before the task.
      expect(range - step).toBeGreaterThanOrEqual(age + 30 - step);
      expect(parseRangeStep(`${range}s`, undefined)).toEqual({ rangeSeconds: range, stepSeconds: step });
    },
  );

  it("stops at the API's longest range", () =>
    expect(taskRangeSeconds(1_700_000_000, 1_600_000_000)).toBe(MAX_RANGE_SECONDS));
});
