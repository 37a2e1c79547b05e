import { describe, expect, it } from "vitest";
import { bookinfo, reviewsDeployment } from "./testdata/bookinfo";
import { expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import { defaultStepEffect, dueStep, enterStep, nextIndex, stepPlan, type PlanStep, type StepState } from "./steps";

const T0 = new Date("2026-12-06T12:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const PLAN = stepPlan({
  steps: [
    { setWeight: 20 },
    { pause: { duration: "5s" } },
    { analysis: { duration: "1m" } },
    { pause: {} },
    { setWeight: 100 },
  ],
});

describe("stepPlan", () => {
  it("restates the spec's steps", () => {
    expect(PLAN).toEqual([
      { kind: "setWeight", value: 20 },
      { kind: "pause", duration: "5s", durationMs: 5000 },
      { kind: "analysis", duration: "1m", durationMs: 60_000 },
      { kind: "pause" },
      { kind: "setWeight", value: 100 },
    ]);
  });
  it("makes each batch group a step, the spec's steps between groups", () => {
    expect(stepPlan({ steps: [{ analysis: { duration: "30s" } }] }, 3).map((s) => s.group ?? s.kind)).toEqual([
      1,
      "analysis",
      2,
      "analysis",
      3,
    ]);
  });
  it("is empty without steps", () => expect(stepPlan({}, 3)).toEqual([]));
});

describe("enterStep", () => {
  it.each<[number, Partial<StepState>]>([
    [0, { index: 0, kind: "setWeight", total: 5 }],
    [1, { index: 1, kind: "pause", until: "2026-12-06T12:00:05.000Z" }],
    [2, { index: 2, kind: "analysis", until: "2026-12-06T12:01:00.000Z" }],
    [3, { index: 3, kind: "pause" }],
    [4, { index: 4, kind: "setWeight", done: true }],
  ])("step %i", (index, expected) => {
    const s = enterStep(PLAN, index, T0);
    expect(s).toMatchObject(expected);
    expect(s.startedAt).toBe(T0.toISOString());
    if (!("until" in expected)) expect(s.until).toBeUndefined();
  });
  it("the next index is the first step before any started", () => {
    expect(nextIndex(null)).toBe(0);
    expect(nextIndex(enterStep(PLAN, 2, T0))).toBe(3);
  });
});

describe("dueStep: what the runner does now", () => {
  const entered = (i: number, extra: Partial<StepState> = {}) => ({ ...enterStep(PLAN, i, T0), ...extra });
  it.each<[string, StepState | null, string, Date, ReturnType<typeof dueStep>]>([
    ["nothing started: start", null, "progressing", T0, "advance"],
    ["a weight applied: go on", entered(0), "progressing", T0, "advance"],
    ["a timed pause running", entered(1), "progressing", at(4), null],
    ["a timed pause over", entered(1), "progressing", at(5), "advance"],
    ["an analysis measuring", entered(2), "progressing", at(59), null],
    ["an analysis over: ask the gate", entered(2), "progressing", at(60), "analysis"],
    ["a pause without time waits for promote", entered(3), "progressing", at(3600), null],
    ["the last step done", entered(4), "progressing", at(1), null],
    ["held by a person", entered(1, { heldBy: "user" }), "progressing", at(60), null],
    ["rolled back", entered(1), "rolled-back", at(60), null],
    ["paused batch", entered(1), "paused", at(60), null],
    ["a batch group waits", entered(1), "awaiting-confirmation", at(60), "advance"],
  ])("%s", (_, state, taskState, now, expected) => {
    expect(dueStep(PLAN, state, taskState as never, now)).toBe(expected);
  });
  it("a task without steps never moves", () => expect(dueStep([], null, "progressing", T0)).toBeNull());
});

describe("defaultStepEffect", () => {
  it.each<[PlanStep, { splitsDefault: boolean; pool: number | null }, ReturnType<typeof defaultStepEffect>]>([
    [
      { kind: "setWeight", value: 30 },
      { splitsDefault: true, pool: null },
      { kind: "weights", newWeight: 30 },
    ],
    [
      { kind: "setWeight", value: 30 },
      { splitsDefault: false, pool: null },
      { kind: "matchWeight", newWeight: 30 },
    ],
    [
      { kind: "setReplicas", value: 1 },
      { splitsDefault: true, pool: 4 },
      { kind: "weights", newWeight: 25 },
    ],
    [
      { kind: "setReplicas", value: 9 },
      { splitsDefault: true, pool: 4 },
      { kind: "weights", newWeight: 100 },
    ],
    [
      { kind: "setMirror", value: 40 },
      { splitsDefault: true, pool: null },
      { kind: "mirror", percent: 40 },
    ],
    [
      { kind: "batchGroup", group: 2 },
      { splitsDefault: true, pool: null },
      { kind: "group", group: 2 },
    ],
    [{ kind: "pause" }, { splitsDefault: true, pool: null }, { kind: "wait" }],
  ])("%j", (step, facts, effect) => expect(defaultStepEffect(step, facts)).toEqual(effect));
});

describe("promote, promoteFull, retry on a canary (planAction)", () => {
  const spec = () =>
    makeSpec("canary", {
      traffic: { weights: { v1: 100, v2: 0 } },
      steps: [{ setWeight: 20 }, { pause: { duration: "5s" } }, { setWeight: 50 }, { pause: {} }, { setWeight: 100 }],
    });
  const weights = (run: Run) => run.routing().defaultRoute?.weights;

  it("walks the plan: each promote enters the next step and applies it", () => {
    const run = new Run(spec());
    expect(run.plan.status.stepTotal).toBe(5);
    expect(run.plan.status.stepState).toBeUndefined();
    const p = run.act({ action: "promote" });
    expect(p.summary).toMatch(/^step 1 of 5 \(setWeight 20\): traffic/);
    expect(weights(run)).toEqual({ v1: 80, v2: 20 });
    run.act({ action: "promote" });
    expect(run.plan.status.stepState).toMatchObject({ index: 1, kind: "pause" });
    expect(run.plan.status.stepState?.until).toBeDefined();
    run.act({ action: "promote" });
    expect(weights(run)).toEqual({ v1: 50, v2: 50 });
    run.act({ action: "promote" });
    run.act({ action: "promote" });
    expect(weights(run)).toEqual({ v1: 0, v2: 100 });
    expect(run.plan.status.stepState).toMatchObject({ index: 4, done: true });
    expect(run.plan.state).toBe("progressing");
    expectPlanError(() => run.act({ action: "promote" }), "conflict", /every step is done/);
    run.act({ action: "retireOld" });
    expect(run.plan.state).toBe("completed");
  });

  it("refuses a promote from a step the task has left", () => {
    const run = new Run(spec());
    run.act({ action: "promote", fromStep: -1 });
    expectPlanError(() => run.act({ action: "promote", fromStep: -1 }), "conflict", /moved on to step 1/);
  });

  it("promoteFull skips the rest: 100% to the new version", () => {
    const run = new Run(spec());
    run.act({ action: "promote" });
    run.act({ action: "promoteFull" });
    expect(weights(run)).toEqual({ v1: 0, v2: 100 });
    expect(run.plan.status.stepState).toMatchObject({ done: true, index: 4 });
  });

  it("a person's traffic change holds the steps until resume", () => {
    const run = new Run(spec());
    run.act({ action: "promote" });
    run.act({ action: "promote" });
    run.act({ action: "setTraffic", weights: { v1: 70, v2: 30 } });
    expect(run.plan.status.stepState).toMatchObject({ index: 1, heldBy: "user" });
    expect(dueStep(stepPlan(run.spec), run.plan.status.stepState, run.plan.state, at(3600))).toBeNull();
    run.act({ action: "resume" });
    expect(run.plan.status.stepState?.heldBy).toBeUndefined();
    expect(run.plan.state).toBe("progressing");
  });

  it("a traffic change before step 1 was entered holds the plan at its start; resume starts it at step 1", () => {
    const run = new Run(spec());
    run.act({ action: "setTraffic", weights: { v1: 70, v2: 30 } });
    expect(run.plan.status.stepState).toMatchObject({ index: 0, heldBy: "user", notStarted: true });
    expect(dueStep(stepPlan(run.spec), run.plan.status.stepState, run.plan.state, at(3600))).toBeNull();
    expect(weights(run)).toEqual({ v1: 70, v2: 30 });
    run.act({ action: "resume" });
    expect(run.plan.status.stepState).toBeNull();
    run.act({ action: "promote", fromStep: -1 });
    expect(run.plan.status.stepState).toMatchObject({ index: 0, kind: "setWeight" });
    expect(weights(run)).toEqual({ v1: 80, v2: 20 });
  });

  it("retry after a rollback starts from step 1", () => {
    const run = new Run(spec());
    run.act({ action: "promote" });
    run.act({ action: "rollback" });
    expect(weights(run)).toEqual({ v1: 100, v2: 0 });
    expectPlanError(() => run.act({ action: "promote" }), "conflict", /rolled-back/);
    run.act({ action: "retry" });
    expect(run.plan.state).toBe("progressing");
    expect(run.plan.status.stepState).toBeNull();
    run.act({ action: "promote" });
    expect(weights(run)).toEqual({ v1: 80, v2: 20 });
  });

  it("a task without steps has no promote", () => {
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } } }), bookinfo());
    expectPlanError(() => run.act({ action: "promote" }), "conflict", /has no steps/);
    expectPlanError(() => run.act({ action: "retry" }), "conflict", /has no steps/);
  });
});

describe("steps of a mirror and a content canary", () => {
  it("setMirror changes the mirrored share", () => {
    const run = new Run(makeSpec("mirror", { traffic: { mirrorPercent: 10 }, steps: [{ setMirror: 60 }] }));
    run.act({ action: "promote" });
    expect(run.plan.status.mirrorPercent).toBe(60);
    expect(run.plan.status.stepState?.done).toBe(true);
  });
  it("setWeight moves the matched requests, setMatch widens the rules", () => {
    const run = new Run(
      makeSpec("canary", {
        traffic: { match: [{ kind: "header", name: "x-beta", op: "exact", value: "1" }], matchWeight: 10 },
        steps: [{ setWeight: 50 }, { setMatch: [{ kind: "uri", op: "prefix", value: "/" }] }],
      }),
    );
    run.act({ action: "promote" });
    expect(run.plan.status.stepMatchWeight).toBe(50);
    expect(run.routing().matchRoutes[0]?.weights).toEqual({ v1: 50, v2: 50 });
    run.act({ action: "promote" });
    expect(JSON.stringify(run.cluster.virtualService?.spec.http?.[0]?.match)).toContain('"prefix":"/"');
  });
});

describe("steps of a batch: each group is a step, the spec's steps between groups", () => {
  const spec = () =>
    makeSpec("batch", {
      newVersion: { version: "v2", image: IMAGE, replicas: 3 },
      batch: { groups: 3 },
      steps: [{ pause: {} }],
    });
  const start = () => bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 3 })] });

  it("promote confirms the next group after each pause; the last group completes", () => {
    const run = new Run(spec(), start());
    expect(run.plan.status.stepTotal).toBe(5);
    expect(run.state).toBe("awaiting-confirmation");
    expect(run.act({ action: "promote" }).summary).toBe("step 1 of 5 (group 1): group 1 already rolled out");
    run.act({ action: "promote" });
    expect(run.plan.status.stepState).toMatchObject({ index: 1, kind: "pause" });
    expect(run.replicas("reviews-v2")).toBe(1);
    run.act({ action: "promote" });
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([2, 1]);
    expect(run.state).toBe("awaiting-confirmation");
    run.act({ action: "promote" });
    run.act({ action: "promote" });
    expect(run.state).toBe("completed");
    expect(run.plan.status.stepState).toMatchObject({ index: 4, done: true });
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 0, v2: 100 });
  });

  it("retry after a rollback starts the groups again from group 1", () => {
    const run = new Run(spec(), start());
    run.act({ action: "promote" });
    run.act({ action: "promote" });
    run.act({ action: "promote" });
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([2, 1]);
    run.act({ action: "rollback" });
    expect(run.state).toBe("rolled-back");
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 100, v2: 0 });
    run.act({ action: "retry" });
    expect(run.plan.status.stepState).toBeNull();
    expect(run.plan.status.batch?.current).toBe(0);
    expect(run.act({ action: "promote" }).summary).toMatch(/^step 1 of 5 \(group 1\)/);
    expect(run.plan.status.stepState).toMatchObject({ index: 0, kind: "batchGroup" });
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([1, 2]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 67, v2: 33 });
    expect(run.state).toBe("awaiting-confirmation");
  });

  it("promoteFull is refused: a batch moves group by group", () => {
    const run = new Run(spec(), start());
    expectPlanError(() => run.act({ action: "promoteFull" }), "conflict", /move group by group/);
  });
});

describe("steps of a replica canary", () => {
  it("setReplicas sets the new version's pods in the shared pool", () => {
    const run = new Run(
      makeSpec("replica-canary", {
        traffic: { weights: { v1: 100, v2: 0 } },
        newVersion: { version: "v2", image: IMAGE, replicas: 4 },
        steps: [{ setReplicas: 1 }, { pause: {} }, { setReplicas: 4 }],
      }),
      bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }),
    );
    run.act({ action: "promote" });
    expect(run.plan.status.weights).toEqual({ v1: 75, v2: 25 });
    expect([run.replicas("reviews-v1"), run.replicas("reviews-canary")]).toEqual([3, 1]);
  });
});
