import { describe, expect, it } from "vitest";
import { actionTable, intentStatus, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { batch } from "./batch";

const refuse = (): never => {
  throw new Error("refused");
};

describe("batch: its part of the spec", () => {
  it.each([
    {
      name: "groups",
      extra: { newVersion: { version: "v2", image: "nginx:1", replicas: 4 }, batch: { groups: 2 } },
      want: [],
    },
    { name: "no batch", extra: {}, want: ["batch: err.spec.batchNeedsGroups"] },
    {
      name: "more groups than replicas",
      extra: { newVersion: { version: "v2", image: "nginx:1", replicas: 2 }, batch: { groups: 3 } },
      want: ["batch.groups: err.spec.groupsOverReplicas"],
    },
    {
      name: "a beta group alone",
      extra: { newVersion: { version: "v2", image: "nginx:1", replicas: 3 }, batch: { groups: 1, betaGroup: true } },
      want: ["batch.betaGroup: err.spec.betaNeedsGroups"],
    },
    {
      name: "traffic settings",
      extra: { batch: { groups: 1 }, traffic: { weights: { v1: 50, v2: 50 } } },
      want: ["traffic.weights: err.spec.notUsedByStrategy"],
    },
  ])("$name", ({ extra, want }) => {
    expect(specIssues("batch", extra)).toEqual(want);
  });
});

describe("batch: the first group", () => {
  it.each([
    {
      name: "2 of 4 in two groups",
      replicas: 4,
      groups: 2,
      baseReplicas: 4,
      want: { weights: { v1: 50, v2: 50 }, newReplicas: 2, baseTarget: 2, state: "awaiting-confirmation" },
    },
    {
      name: "one group is the whole release",
      replicas: 3,
      groups: 1,
      baseReplicas: 3,
      want: { weights: { v1: 0, v2: 100 }, newReplicas: 3, baseTarget: 0, state: "completed" },
    },
  ])("$name", ({ replicas, groups, baseReplicas, want }) => {
    const spec = specOf("batch", { newVersion: { version: "v2", image: "nginx:1", replicas }, batch: { groups } });
    expect(batch.initialSplit(spec, { version: "v1", replicas: baseReplicas, deployments: [] }, refuse)).toMatchObject(
      want,
    );
  });
  it("routes the groups' ratio and owns no route", () => {
    const spec = specOf("batch", {
      newVersion: { version: "v2", image: "nginx:1", replicas: 4 },
      batch: { groups: 2 },
    });
    expect(batch.intent(spec, intentStatus({ weights: { v1: 50, v2: 50 } }), "traffic")).toEqual({
      defaultRoute: { weights: { v1: 50, v2: 50 } },
      mirror: undefined,
      owned: [],
      versions: ["v1", "v2"],
    });
  });
});

describe("batch: actions per state", () => {
  const waiting = transitionStatus({
    weights: { v1: 50, v2: 50 },
    batch: { plan: [2, 2], current: 1, baseInitialReplicas: 4 },
  });
  it("confirm, pause, resume; never take-over or retire", () => {
    expect(actionTable(batch, waiting)).toEqual({
      progressing: ["rollback", "abort", "resync", "acceptDrift"],
      "awaiting-confirmation": ["setTraffic", "rollback", "pause", "confirm", "abort", "resync", "acceptDrift"],
      paused: ["setTraffic", "rollback", "resume", "abort", "resync", "acceptDrift"],
      completed: [],
      "rolled-back": ["setTraffic", "abort", "resync", "acceptDrift"],
      aborted: [],
      failed: ["setTraffic", "rollback", "abort", "resync", "acceptDrift"],
    });
  });
  it.each([
    { state: "paused" as const, action: "confirm" as const, want: "err.state.isPaused" },
    { state: "paused" as const, action: "pause" as const, want: "err.state.alreadyPaused" },
    { state: "progressing" as const, action: "confirm" as const, want: "err.state.notAwaiting" },
    { state: "awaiting-confirmation" as const, action: "resume" as const, want: "err.state.notPaused" },
    { state: "progressing" as const, action: "takeover" as const, want: "err.state.batchTakeover" },
    { state: "progressing" as const, action: "retireOld" as const, want: "err.state.batchRetires" },
    { state: "rolled-back" as const, action: "retireOld" as const, want: "err.state.retireRolledBack" },
  ])("$action in $state: $want", ({ state, action, want }) => {
    expect(batch.refusal(state, action, waiting)).toBe(want);
  });
  it("without a mesh the split follows the pods: no setTraffic", () => {
    expect(batch.refusal("awaiting-confirmation", "setTraffic", { ...waiting, routing: "replicas" })).toBe(
      "err.state.batchWithoutMesh",
    );
  });
  it.each([
    { state: "awaiting-confirmation" as const, action: "setTraffic" as const, want: "awaiting-confirmation" },
    { state: "paused" as const, action: "setTraffic" as const, want: "paused" },
    { state: "awaiting-confirmation" as const, action: "confirm" as const, want: "completed" },
    { state: "paused" as const, action: "resume" as const, want: "awaiting-confirmation" },
  ])("$action in $state leads to $want", ({ state, action, want }) => {
    expect(batch.nextState(state, action, waiting)).toBe(want);
  });
  it("its buttons follow the pause", () => {
    expect(batch.buttons("awaiting-confirmation")).toEqual(["confirm", "pause", "rollback", "abort"]);
    expect(batch.buttons("paused")).toEqual(["confirm", "resume", "rollback", "abort"]);
    expect(batch.capabilities).toMatchObject({
      routing: "router-or-replicas",
      hasBatches: true,
      scalesBase: true,
      advance: "confirm",
    });
  });
});
