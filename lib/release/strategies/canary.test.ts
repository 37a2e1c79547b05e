import { describe, expect, it } from "vitest";
import { actionTable, intentStatus, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { canary } from "./canary";
import { strategyOf } from ".";

const jason = [{ kind: "header", name: "end-user", op: "exact", value: "jason" }];

describe("canary: its traffic part of the spec", () => {
  it.each([
    { name: "weights", traffic: { weights: { v1: 80, v2: 20 } }, want: [] },
    { name: "match only", traffic: { match: jason }, want: [] },
    { name: "match with a weight", traffic: { weights: { v1: 90, v2: 10 }, match: jason, matchWeight: 50 }, want: [] },
    { name: "nothing", traffic: {}, want: ["traffic: err.spec.canaryNeeds"] },
    {
      name: "three versions",
      traffic: { weights: { v1: 50, v2: 25, v3: 25 } },
      want: ["traffic.weights: err.spec.weightsTwo"],
    },
    {
      name: "not the base",
      traffic: { weights: { v3: 50, v2: 50 } },
      want: ["traffic.weights: err.spec.weightsTwoBase"],
    },
    {
      name: "matchWeight without match",
      traffic: { weights: { v1: 90, v2: 10 }, matchWeight: 50 },
      want: ["traffic.matchWeight: err.spec.matchWeightNeedsMatch"],
    },
    {
      name: "a mirror",
      traffic: { weights: { v1: 90, v2: 10 }, mirrorPercent: 10 },
      want: ["traffic.mirrorPercent: err.spec.notUsedByStrategy"],
    },
    {
      name: "a batch",
      traffic: { weights: { v1: 90, v2: 10 } },
      batch: { groups: 2 },
      want: ["batch: err.spec.batchOnly"],
    },
  ])("$name", ({ traffic, batch, want }) => {
    expect(specIssues("canary", { traffic, ...(batch ? { batch } : {}) })).toEqual(want);
  });
});

describe("canary: the routing it asks for", () => {
  const spec = specOf("canary", { traffic: { weights: { v1: 90, v2: 10 }, match: jason, matchWeight: 50 } });
  const route = { purpose: "canary", match: [jason], weights: { v2: 50, v1: 50 }, fieldPath: "traffic.match" };

  it("create: the split and the match route, all versions addressed", () => {
    expect(canary.intent(spec, intentStatus(), "create")).toEqual({
      defaultRoute: { weights: { v1: 90, v2: 10 } },
      mirror: undefined,
      owned: [route],
      versions: ["v1", "v2"],
    });
  });
  it.each([
    { step: "traffic" as const, owned: ["gc-rel-canary"], want: [route] },
    { step: "traffic" as const, owned: [], want: [] },
    { step: "allTraffic" as const, owned: ["gc-rel-canary"], want: [] },
  ])("$step with routes in force $owned", ({ step, owned, want }) => {
    expect(canary.intent(spec, intentStatus({ ownedRoutes: owned }), step).owned).toEqual(want);
  });
  it("a match route without matchWeight sends all matched requests to the new version", () => {
    const all = specOf("canary", { traffic: { match: jason } });
    expect(canary.ownedRoutes(all, intentStatus())).toEqual([
      { purpose: "canary", match: [jason], weights: { v2: 100 }, fieldPath: "traffic.match" },
    ]);
  });
  it("retire: the new version alone, the base no longer addressed", () => {
    expect(canary.intent(spec, intentStatus({ weights: { v2: 100 } }), "retire")).toEqual({
      defaultRoute: { single: "v2" },
      mirror: undefined,
      owned: [],
      versions: ["v2"],
      removeVersion: "v1",
    });
  });
});

describe("canary: actions per state", () => {
  it("on the way: traffic, take-over, rollback, abort, and the drift answers", () => {
    expect(actionTable(canary, transitionStatus())).toEqual({
      progressing: ["setTraffic", "takeover", "rollback", "pause", "abort", "resync", "acceptDrift"],
      "awaiting-confirmation": ["rollback", "pause", "abort", "resync", "acceptDrift"],
      paused: ["rollback", "resume", "abort", "resync", "acceptDrift"],
      completed: [],
      "rolled-back": ["setTraffic", "takeover", "abort", "resync", "acceptDrift"],
      aborted: [],
      failed: ["setTraffic", "takeover", "rollback", "abort", "resync", "acceptDrift"],
    });
  });
  it("retire once the new version has all traffic", () => {
    expect(canary.actions("progressing", transitionStatus({ weights: { v1: 0, v2: 100 } }))).toContain("retireOld");
    expect(canary.refusal("progressing", "retireOld", transitionStatus())).toBe("err.state.takeoverFirst");
  });
  it.each([
    { action: "switch" as const, want: "err.state.switchIsBlueGreen" },
    { action: "confirm" as const, want: "err.state.onlyBatchConfirms" },
    { action: "resume" as const, want: "err.state.notPaused" },
  ])("refuses $action: $want", ({ action, want }) => {
    expect(canary.refusal("progressing", action, transitionStatus())).toBe(want);
  });
  it("is the registry's canary, with a take-over to move forward", () => {
    expect(strategyOf("canary")).toBe(canary);
    expect(canary.capabilities).toMatchObject({
      routing: "router",
      hasWeights: true,
      hasMatchRules: true,
      advance: "takeover",
      slider: "weights",
    });
    expect(canary.buttons("progressing")).toEqual(["takeover", "retireOld", "rollback", "abort"]);
  });
});
