import { describe, expect, it } from "vitest";
import type { TaskStatus } from "../status";
import { actionTable, intentStatus, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { mirror } from "./mirror";

describe("mirror: its traffic part of the spec", () => {
  it.each([
    { name: "a percentage", traffic: { mirrorPercent: 25 }, want: [] },
    { name: "none", traffic: {}, want: ["traffic.mirrorPercent: err.spec.mirrorNeeds"] },
    {
      name: "weights too",
      traffic: { mirrorPercent: 25, weights: { v1: 90, v2: 10 } },
      want: ["traffic.weights: err.spec.notUsedByStrategy"],
    },
  ])("$name", ({ traffic, want }) => {
    expect(specIssues("mirror", { traffic })).toEqual(want);
  });
});

describe("mirror: the routing it asks for", () => {
  const spec = specOf("mirror", { traffic: { mirrorPercent: 25 } });
  it.each([
    { step: "create" as const, percent: 25, want: { version: "v2", percent: 25 } },
    { step: "traffic" as const, percent: 40, want: { version: "v2", percent: 40 } },
    { step: "allTraffic" as const, percent: null, want: null },
    { step: "retire" as const, percent: null, want: null },
  ])("$step: mirror $want", ({ step, percent, want }) => {
    expect(
      mirror.intent(spec, intentStatus({ weights: { v1: 100, v2: 0 }, mirrorPercent: percent }), step).mirror,
    ).toEqual(want);
  });
  it("the initial split keeps all traffic on the base", () => {
    const split = mirror.initialSplit(spec, { version: "v1", replicas: 1, deployments: [] }, () => {
      throw new Error("refused");
    });
    expect(split).toEqual({
      weights: { v1: 100, v2: 0 },
      newReplicas: 1,
      baseTarget: null,
      state: "progressing",
      mirrorPercent: 25,
    });
  });
});

describe("mirror: actions", () => {
  const status = { mirrorPercent: 25 } as TaskStatus;
  it.each([
    { action: "takeover" as const, want: null },
    { action: "rollback" as const, want: null },
    { action: "retireOld" as const, want: null },
    { action: "setTraffic" as const, want: 25 },
    { action: "abort" as const, want: 25 },
  ])("$action leaves the mirror at $want", ({ action, want }) => {
    expect(mirror.statusAfter(action, status).mirrorPercent).toBe(want);
  });
  it("has the canary's actions per state, its slider sets the mirror", () => {
    expect(actionTable(mirror, transitionStatus()).progressing).toEqual([
      "setTraffic",
      "takeover",
      "rollback",
      "pause",
      "abort",
      "resync",
      "acceptDrift",
    ]);
    expect(mirror.capabilities).toMatchObject({ hasMirror: true, slider: "mirror", advance: "takeover" });
  });
});
