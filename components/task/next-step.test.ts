import { describe, expect, it } from "vitest";
import { barButtons, primaryAction, unavailableReason, type BarTask } from "./next-step";

const task = (over: Partial<BarTask> = {}): BarTask => ({
  strategy: "canary",
  state: "progressing",
  weights: { v1: 80, v2: 20 },
  baseVersion: "v1",
  newVersion: "v2",
  allowedActions: ["setTraffic", "takeover", "rollback", "abort", "resync", "acceptDrift"],
  drift: null,
  operation: null,
  ...over,
});
const op = {
  id: "o",
  action: "setTraffic",
  actor: "a",
  state: "waiting",
  summary: "",
  steps: [],
  waiting: null,
  error: null,
  leftovers: [],
  leftoverSteps: [],
  attempts: 0,
  nextAttemptAt: null,
  createdAt: "",
};
const takenOver: Partial<BarTask> = {
  weights: { v1: 0, v2: 100 },
  allowedActions: ["setTraffic", "takeover", "rollback", "retireOld", "abort", "resync", "acceptDrift"],
};
const switched: Partial<BarTask> = {
  strategy: "blue-green",
  weights: { v1: 0, v2: 100 },
  allowedActions: ["switch", "rollback", "retireOld", "abort", "resync", "acceptDrift"],
};

describe("primaryAction: the next sensible step", () => {
  it.each<[string, Partial<BarTask>, string | null]>([
    ["canary at a partial weight: take over", {}, "takeover"],
    [
      "mirror (v2 gets copies, 0% of answers): take over",
      { strategy: "mirror", weights: { v1: 100, v2: 0 } },
      "takeover",
    ],
    ["after take-over (v2 at 100%): retire", takenOver, "retireOld"],
    ["blue-green before the switch: switch", { strategy: "blue-green", weights: { v1: 100, v2: 0 } }, "switch"],
    ["blue-green after the switch: retire", switched, "retireOld"],
    ["a batch group awaiting confirmation: confirm", { strategy: "batch", state: "awaiting-confirmation" }, "confirm"],
    ["a paused batch: resume", { strategy: "batch", state: "paused" }, "resume"],
    ["rolled back: no single next step", { state: "rolled-back", weights: { v1: 100, v2: 0 } }, null],
    ["failed: no single next step", { state: "failed" }, null],
    ["completed: nothing", { state: "completed" }, null],
  ])("%s", (_, over, want) => {
    expect(primaryAction(task(over))).toBe(want);
  });
});

describe("barButtons: every button of the strategy, the primary first, the unavailable ones disabled with a reason", () => {
  const view = (over: Partial<BarTask>) =>
    barButtons(task(over)).map((b) => [b.action, b.primary, b.enabled, b.reason?.key ?? null]);

  it("canary at 20%: Take over leads; Retire is there but waits for all traffic", () => {
    expect(view({})).toEqual([
      ["takeover", true, true, null],
      ["retireOld", false, false, "nextStep.why.takeOverFirst"],
      ["rollback", false, true, null],
      ["abort", false, true, null],
    ]);
  });

  it("after take-over: Retire leads, Take over is still there", () => {
    expect(view(takenOver)).toEqual([
      ["retireOld", true, true, null],
      ["takeover", false, true, null],
      ["rollback", false, true, null],
      ["abort", false, true, null],
    ]);
  });

  it("after a blue-green switch: Retire leads, Roll back beside it", () => {
    expect(view(switched).slice(0, 3)).toEqual([
      ["retireOld", true, true, null],
      ["switch", false, true, null],
      ["rollback", false, true, null],
    ]);
  });

  it("rolled back: no primary; Roll back says it is done, Retire says to take over first", () => {
    const rolled = view({
      state: "rolled-back",
      weights: { v1: 100, v2: 0 },
      allowedActions: ["setTraffic", "takeover", "abort", "resync", "acceptDrift"],
    });
    expect(rolled).toEqual([
      ["takeover", false, true, null],
      ["retireOld", false, false, "nextStep.why.takeOverFirst"],
      ["rollback", false, false, "nextStep.why.rolledBack"],
      ["abort", false, true, null],
    ]);
  });

  it("batch: Confirm leads while a group waits; pause and resume are one button", () => {
    const waiting: Partial<BarTask> = {
      strategy: "batch",
      state: "awaiting-confirmation",
      allowedActions: ["setTraffic", "rollback", "pause", "confirm", "abort", "resync", "acceptDrift"],
    };
    expect(view(waiting).map((b) => b[0])).toEqual(["confirm", "pause", "rollback", "abort"]);
    const paused: Partial<BarTask> = {
      strategy: "batch",
      state: "paused",
      allowedActions: ["setTraffic", "rollback", "resume", "abort", "resync", "acceptDrift"],
    };
    expect(view(paused)).toEqual([
      ["resume", true, true, null],
      ["confirm", false, false, "nextStep.why.paused"],
      ["rollback", false, true, null],
      ["abort", false, true, null],
    ]);
  });

  it("an operation in flight: only the brakes, the rest wait for it", () => {
    expect(view({ operation: op, allowedActions: ["rollback", "abort"] })).toEqual([
      ["takeover", true, false, "nextStep.why.operation"],
      ["retireOld", false, false, "nextStep.why.operation"],
      ["rollback", false, true, null],
      ["abort", false, true, null],
    ]);
  });

  it("drift: everything but the brakes waits for re-sync or accept", () => {
    const drifted = view({
      drift: { virtualService: [{ path: "http[0]", expected: 1, actual: 2 }] } as BarTask["drift"],
    });
    expect(drifted.filter((b) => !b[2]).map((b) => [b[0], b[3]])).toEqual([
      ["takeover", "nextStep.why.drift"],
      ["retireOld", "nextStep.why.drift"],
    ]);
  });

  it("a finished release has no buttons", () => {
    expect(barButtons(task({ state: "completed" }))).toEqual([]);
  });

  it("a refusal the bar has no word for names the state", () => {
    expect(unavailableReason("takeover", task({ state: "failed", allowedActions: [] }))).toEqual({
      key: "nextStep.why.state",
      stateVar: "failed",
    });
  });
});

describe("a release with steps", () => {
  const plan = [
    { kind: "setWeight" as const, value: 20 },
    { kind: "pause" as const },
    { kind: "setWeight" as const, value: 100 },
  ];
  const at = (index: number, extra = {}) => ({
    plan,
    state: { index, kind: plan[index]!.kind, startedAt: "2026-12-06T00:00:00Z", total: 3, ...extra },
  });
  const stepping = (steps: BarTask["steps"], over: Partial<BarTask> = {}) =>
    task({
      steps,
      allowedActions: ["setTraffic", "takeover", "promote", "promoteFull", "rollback", "abort"],
      ...over,
    });

  it("promote / promoteFull / retry take the place of take-over, promote first", () => {
    expect(barButtons(stepping(at(1))).map((b) => b.action)).toEqual([
      "promote",
      "promoteFull",
      "resume",
      "retireOld",
      "rollback",
      "retry",
      "abort",
    ]);
  });
  it.each([
    ["waiting in a pause", at(1), "promote"],
    ["held by a slider move", at(1, { heldBy: "user" }), "resume"],
    ["not started yet", null, "promote"],
  ])("primary while %s: %s", (_, state, primary) => {
    const steps = state && "plan" in state ? state : { plan, state: null };
    expect(primaryAction(stepping(steps))).toBe(primary);
  });
  it("steps done at 100%: retire the old version", () => {
    expect(primaryAction(stepping(at(2, { done: true }), { weights: { v1: 0, v2: 100 } }))).toBe("retireOld");
  });
  it("resume and retry say when they can be used", () => {
    expect(unavailableReason("resume", stepping(at(1)))).toEqual({ key: "nextStep.why.notHeld" });
    expect(unavailableReason("retry", stepping(at(1)))).toEqual({ key: "nextStep.why.notRolledBack" });
  });
});
