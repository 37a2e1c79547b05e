// The next batch group's split: what the confirm dialog shows and what confirm then writes.
import { describe, expect, it } from "vitest";
import { confirmedWeights, nextGroupSplit, type GroupSplit } from "./batch";
import { PlanError } from "./errors";
import { bookinfo, reviewsDeployment } from "./testdata/bookinfo";
import { expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import type { TaskStatus } from "./status";

type S = Pick<TaskStatus, "batch" | "weights" | "baseVersion" | "newVersion" | "routing">;
const status = (current: number, weights: Record<string, number>, over: Partial<S> = {}): S => ({
  batch: { plan: [1, 5, 4], current, baseInitialReplicas: 4 },
  weights,
  baseVersion: "v1",
  newVersion: "v2",
  routing: "istio",
  ...over,
});

describe("nextGroupSplit", () => {
  const cases: [string, S, Partial<GroupSplit> | null][] = [
    [
      "after the beta group at its ratio: group 2 gives v2 6 replicas, v1 2, 40/60; nothing to keep",
      status(1, { v1: 90, v2: 10 }),
      {
        group: 2,
        total: 3,
        last: false,
        newReplicas: 6,
        baseReplicas: 2,
        ratioWeights: { v1: 40, v2: 60 },
        overridden: false,
        keepable: true,
      },
    ],
    [
      "a split set during the pause (50/50) is an override",
      status(1, { v1: 50, v2: 50 }),
      { group: 2, overridden: true, keepable: true },
    ],
    [
      "the last group: all replicas and 100% to v2, nothing kept",
      status(2, { v1: 50, v2: 50 }),
      {
        group: 3,
        last: true,
        newReplicas: 10,
        baseReplicas: 0,
        ratioWeights: { v1: 0, v2: 100 },
        overridden: true,
        keepable: false,
      },
    ],
    [
      "a group that leaves the base without pods cannot keep a split",
      status(1, { v1: 50, v2: 50 }, { batch: { plan: [1, 1, 1], current: 1, baseInitialReplicas: 1 } }),
      { group: 2, baseReplicas: 0, keepable: false },
    ],
    [
      "without a mesh there is no split to keep",
      status(1, { v1: 90, v2: 10 }, { routing: "replicas" }),
      { keepable: false },
    ],
    ["no group left", status(3, { v1: 0, v2: 100 }), null],
    ["no batch at all", status(1, { v1: 90, v2: 10 }, { batch: null }), null],
  ];
  it.each(cases)("%s", (_, s, want) => {
    const split = nextGroupSplit(s);
    if (want === null) return expect(split).toBeNull();
    expect(split).toMatchObject(want);
  });
});

describe("confirmedWeights", () => {
  it("replicas: the ratio; keep: the current split", () => {
    const s = status(1, { v1: 50, v2: 50 });
    const split = nextGroupSplit(s)!;
    expect(confirmedWeights(s, split, "replicas")).toEqual({ v1: 40, v2: 60 });
    expect(confirmedWeights(s, split, "keep")).toEqual({ v1: 50, v2: 50 });
  });
  it("keep is refused on the last group, naming the base that goes to 0", () => {
    const s = status(2, { v1: 50, v2: 50 });
    expect(() => confirmedWeights(s, nextGroupSplit(s)!, "keep")).toThrow(PlanError);
    expect(() => confirmedWeights(s, nextGroupSplit(s)!, "keep")).toThrow(/scales v1 to 0 replicas/);
  });
});

describe("confirm with weights keep | replicas", () => {
  const spec = makeSpec("batch", {
    newVersion: { version: "v2", image: IMAGE, replicas: 10 },
    batch: { groups: 3, betaGroup: true },
  });
  const paused5050 = () => {
    const run = new Run(spec, bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }));
    run.act({ action: "pause" });
    run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } });
    run.act({ action: "resume" });
    return run;
  };

  it("keep: the next group's replicas roll out and the 50/50 set during the pause stays", () => {
    const run = paused5050();
    const plan = run.act({ action: "confirm", weights: "keep" });
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([6, 2]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 50, v2: 50 });
    expect(plan.summary).toMatch(/traffic v1 50% \/ v2 50% \(split kept as set\)$/);
  });

  it("replicas (and no choice, as before): the replica ratio replaces the 50/50", () => {
    for (const action of [{ action: "confirm", weights: "replicas" }, { action: "confirm" }]) {
      const run = paused5050();
      run.act(action);
      expect(run.routing().defaultRoute?.weights).toEqual({ v1: 40, v2: 60 });
    }
  });

  it("keep on the last group is refused and changes nothing", () => {
    const run = paused5050();
    run.act({ action: "confirm", weights: "keep" });
    expectPlanError(
      () => run.act({ action: "confirm", weights: "keep" }),
      "conflict",
      /^cannot keep the current split: this group scales v1 to 0 replicas/,
    );
    expect(run.replicas("reviews-v1")).toBe(2);
    expect(run.act({ action: "confirm" }).state).toBe("completed");
  });
});
