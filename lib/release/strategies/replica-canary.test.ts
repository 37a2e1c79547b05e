import { describe, expect, it } from "vitest";
import { actionTable, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { replicaCanary } from "./replica-canary";

const refuse = (path: string, key: string): never => {
  throw new Error(`${path}: ${key}`);
};

describe("replica-canary: its traffic part of the spec", () => {
  it.each([
    { name: "weights", traffic: { weights: { v1: 75, v2: 25 } }, want: [] },
    { name: "no weights", traffic: {}, want: ["traffic.weights: err.spec.replicaCanaryNeeds"] },
    {
      name: "a match",
      traffic: { weights: { v1: 75, v2: 25 }, match: [{ kind: "uri", op: "prefix", value: "/" }] },
      want: ["traffic.match: err.spec.notUsedByStrategy"],
    },
  ])("$name", ({ traffic, want }) => {
    expect(specIssues("replica-canary", { traffic })).toEqual(want);
  });
});

describe("replica-canary: the split is a share of one pool of pods", () => {
  it.each([
    {
      name: "25% of 4 pods",
      weight: 25,
      baseReplicas: 4,
      replicas: 1,
      want: { newReplicas: 1, baseTarget: 3, replicaPool: 4 },
    },
    {
      name: "a small share still gets a pod",
      weight: 5,
      baseReplicas: 3,
      replicas: 1,
      want: { newReplicas: 1, baseTarget: 2, replicaPool: 3 },
    },
    {
      name: "all of it",
      weight: 100,
      baseReplicas: 2,
      replicas: 2,
      want: { newReplicas: 2, baseTarget: 0, replicaPool: 2 },
    },
  ])("$name", ({ weight, baseReplicas, replicas, want }) => {
    const spec = specOf("replica-canary", {
      newVersion: { version: "v2", image: "nginx:1", replicas },
      traffic: { weights: { v1: 100 - weight, v2: weight } },
    });
    expect(
      replicaCanary.initialSplit(spec, { version: "v1", replicas: baseReplicas, deployments: [] }, refuse),
    ).toMatchObject(want);
  });
  it("weights that leave the detected base out are refused", () => {
    const spec = specOf("replica-canary", { baseVersion: undefined, traffic: { weights: { v3: 50, v2: 50 } } });
    expect(() => replicaCanary.initialSplit(spec, { version: "v1", replicas: 1, deployments: [] }, refuse)).toThrow(
      "traffic.weights: err.plan.weightsNeedBase",
    );
  });
  it("has no router: no resync or acceptDrift; take-over scales the base to 0", () => {
    expect(actionTable(replicaCanary, transitionStatus({ routing: "replicas" })).progressing).toEqual([
      "setTraffic",
      "takeover",
      "rollback",
      "pause",
      "abort",
    ]);
    expect(replicaCanary.capabilities).toMatchObject({
      routing: "replicas",
      splitsPods: true,
      scalesBase: true,
      hasWeights: true,
    });
  });
});
