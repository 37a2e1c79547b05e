import { describe, expect, it } from "vitest";
import { clock, secondsLeft, stepPhases, stepText } from "./steps-text";

const plan = [
  { kind: "setWeight" as const, value: 20 },
  { kind: "pause" as const, duration: "30s" },
  { kind: "pause" as const },
];
const state = (index: number, extra = {}) => ({
  index,
  kind: plan[index]!.kind,
  startedAt: "2026-12-06T00:00:00Z",
  total: 3,
  ...extra,
});

describe("steps in words", () => {
  it.each([
    [plan[0]!, { key: "steps.kind.setWeight", vars: { value: 20 } }],
    [plan[1]!, { key: "steps.kind.pauseFor", vars: { duration: "30s" } }],
    [plan[2]!, { key: "steps.kind.pause", vars: {} }],
    [
      { kind: "batchGroup" as const, group: 2 },
      { key: "steps.kind.batchGroup", vars: { group: 2 } },
    ],
    [
      { kind: "analysis" as const, duration: "1m" },
      { key: "steps.kind.analysis", vars: { duration: "1m" } },
    ],
  ])("%j", (step, text) => expect(stepText(step)).toEqual(text));

  it.each([
    ["not started", null, ["next", "next", "next"]],
    ["at the pause", state(1), ["done", "current", "next"]],
    ["all done", state(2, { done: true }), ["done", "done", "done"]],
  ])("phases %s", (_, s, phases) => expect(stepPhases({ plan, state: s })).toEqual(phases));

  it("counts down and never below zero", () => {
    const now = Date.parse("2026-12-06T00:00:00Z");
    expect(secondsLeft("2026-12-06T00:01:05Z", now)).toBe(65);
    expect(clock(65)).toBe("1:05");
    expect(secondsLeft("2026-12-06T00:00:00.400Z", now)).toBe(1);
    expect(secondsLeft("2026-12-05T00:00:00Z", now)).toBe(0);
    expect(secondsLeft(undefined, now)).toBeNull();
  });
});
