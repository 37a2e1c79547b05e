import { describe, expect, it } from "vitest";
import { planCreate } from "./planner";
import { opList } from "./testdata/apply";
import { bookinfo, NS, reviewsDeployment } from "./testdata/bookinfo";
import { canaryWeights, created, expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import { LABEL_MANAGED_BY, LABEL_TASK, type HorizontalPodAutoscaler } from "./types";

function baseHpa(target = "reviews-v1"): HorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: {
      name: target,
      namespace: NS,
      labels: { app: "reviews" },
      uid: `uid-hpa-${target}`,
      resourceVersion: "6001",
    },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
      ],
    },
  };
}
const withHpa = () => bookinfo({ hpas: [baseHpa()] });

describe("an HPA on the base", () => {
  it.each([
    ["batch", makeSpec("batch", { newVersion: { version: "v2", image: IMAGE, replicas: 2 }, batch: { groups: 2 } })],
    ["replica-canary", makeSpec("replica-canary", { traffic: { weights: { v1: 50, v2: 50 } } })],
  ])("makes %s (which sets replicas by hand) refuse, naming the HPA", (strategy, spec) => {
    const err = expectPlanError(
      () => planCreate(spec, withHpa()),
      "conflict",
      new RegExp(
        `^strategy: HorizontalPodAutoscaler reviews-v1 scales the base Deployment reviews-v1, and ${strategy} sets replicas by hand`,
      ),
    );
    expect(err.details).toMatchObject({ hpa: "reviews-v1", path: "strategy", key: "err.hpa.fight" });
  });

  it("an HPA of another Deployment does not count", () => {
    expect(() =>
      planCreate(
        makeSpec("replica-canary", { traffic: { weights: { v1: 50, v2: 50 } } }),
        bookinfo({ hpas: [baseHpa("ratings-v1")], deployments: [reviewsDeployment("v1", { replicas: 4 })] }),
      ),
    ).not.toThrow();
  });

  it("gives a weight canary's new Deployment its own copy right after the Deployment", () => {
    const plan = planCreate(canaryWeights(80, 20), withHpa());
    expect(opList(plan)).toEqual([
      "create Deployment/reviews-v2",
      "create HorizontalPodAutoscaler/reviews-v2",
      "wait reviews-v2 Ready 1",
      "replace VirtualService/reviews",
    ]);
    expect(created<HorizontalPodAutoscaler>(plan, "HorizontalPodAutoscaler")).toEqual({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: {
        name: "reviews-v2",
        namespace: NS,
        labels: { app: "reviews", [LABEL_MANAGED_BY]: "gray-console", [LABEL_TASK]: "rel" },
      },
      spec: { ...baseHpa().spec, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "reviews-v2" } },
    });
    expect(plan.status.hpa).toEqual({ base: "reviews-v1", copy: "reviews-v2" });
  });

  it("abort deletes the copy and keeps the base's", () => {
    const run = new Run(canaryWeights(80, 20), withHpa());
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "replace VirtualService/reviews",
      "drain v2 30s",
      "delete HorizontalPodAutoscaler/reviews-v2",
      "delete Deployment/reviews-v2",
    ]);
    expect(run.cluster.hpas?.map((h) => h.metadata.name)).toEqual(["reviews-v1"]);
  });

  it("retireOld deletes the base's HPA before the base Deployment and keeps the copy", () => {
    const run = new Run(canaryWeights(0, 100), withHpa());
    run.act({ action: "takeover" });
    const retire = run.act({ action: "retireOld" });
    expect(opList(retire)).toEqual([
      "replace VirtualService/reviews",
      "drain v1 30s",
      "replace DestinationRule/reviews",
      "delete HorizontalPodAutoscaler/reviews-v1",
      "delete Deployment/reviews-v1",
    ]);
    expect(run.cluster.hpas?.map((h) => h.metadata.name)).toEqual(["reviews-v2"]);
  });

  it("no HPA: status records none", () => {
    expect(planCreate(canaryWeights(80, 20), bookinfo()).status.hpa).toEqual({ base: null, copy: null });
  });
});
