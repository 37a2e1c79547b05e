// Make before break (issue 8): no traffic to a version before its pods are Ready, no subset or
// pods removed before its routes are gone and requests in flight drained.
import { describe, expect, it } from "vitest";
import { planAction, planCreate } from "./planner";
import { applyPlan, KWOK_DELAY, opList } from "./testdata/apply";
import { bookinfo, reviewsDeployment } from "./testdata/bookinfo";
import { canaryWeights, created, expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import type { Deployment } from "./types";

const slow = { version: "v2", image: IMAGE, annotations: { [KWOK_DELAY]: "20s" } };

describe("a new version gets traffic only once its pods are Ready", () => {
  it("create waits for all desired pods with the task's timeout before the VS write", () => {
    const plan = planCreate(
      makeSpec("canary", {
        traffic: { weights: { v1: 90, v2: 10 } },
        newVersion: { ...slow, replicas: 3 },
        rollout: { readyTimeoutSeconds: 120 },
      }),
      bookinfo(),
    );
    expect(opList(plan)).toEqual([
      "create Deployment/reviews-v2",
      "wait reviews-v2 Ready 3",
      "replace VirtualService/reviews",
    ]);
    expect(plan.ops[1]).toEqual({
      op: "waitReady",
      namespace: "bookinfo",
      deployment: "reviews-v2",
      version: "v2",
      replicas: 3,
      timeoutSeconds: 120,
    });
  });

  it("the timeout defaults to 600 s (Argo's progressDeadlineSeconds)", () => {
    const plan = planCreate(canaryWeights(80, 20), bookinfo());
    expect(plan.ops.find((o) => o.op === "waitReady")).toMatchObject({ timeoutSeconds: 600 });
  });

  it("newVersion.annotations are merged over the base's pod template annotations", () => {
    const base = reviewsDeployment("v1");
    base.spec.template.metadata = {
      ...base.spec.template.metadata,
      annotations: { "prometheus.io/scrape": "true", [KWOK_DELAY]: "0s" },
    };
    const plan = planCreate(
      makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } }, newVersion: slow }),
      bookinfo({ deployments: [base] }),
    );
    expect(created<Deployment>(plan, "Deployment").spec.template.metadata?.annotations).toEqual({
      "prometheus.io/scrape": "true",
      [KWOK_DELAY]: "20s",
    });
  });

  it("refuses to route to a version asked to run 0 replicas", () => {
    expectPlanError(
      () =>
        planCreate(
          makeSpec("canary", {
            traffic: { weights: { v1: 90, v2: 10 } },
            newVersion: { version: "v2", image: IMAGE, replicas: 0 },
          }),
          bookinfo(),
        ),
      "invalid",
      /^newVersion\.replicas: is 0, but the traffic settings send requests to v2/,
    );
  });

  it.each([
    [
      "setTraffic",
      makeSpec("canary", { traffic: { weights: { v1: 100, v2: 0 } }, newVersion: slow }),
      { action: "setTraffic", weights: { v1: 50, v2: 50 } },
    ],
    [
      "takeover",
      makeSpec("canary", { traffic: { weights: { v1: 100, v2: 0 } }, newVersion: slow }),
      { action: "takeover" },
    ],
    ["switch", makeSpec("blue-green", { newVersion: slow }), { action: "switch" }],
  ])(
    "%s to a version with no Ready pods is refused with the counts, and allowed once they are Ready",
    (action, spec, request) => {
      const run = new Run(spec);
      // Nothing was sent to v2, so nothing waited: its slow pods are not Ready yet.
      expect(run.plan.ops.some((o) => o.op === "waitReady")).toBe(false);
      const err = expectPlanError(
        () => run.act(request),
        "conflict",
        new RegExp(`^cannot ${action}: v2 has no Ready pods \\(0/1\\)`),
      );
      expect(err.details).toEqual({ version: "v2", ready: 0, desired: 1 });
      run.cluster = applyPlan(run.cluster, {
        ops: [
          {
            op: "waitReady",
            namespace: "bookinfo",
            deployment: "reviews-v2",
            version: "v2",
            replicas: 1,
            timeoutSeconds: 600,
          },
        ],
      });
      expect(run.act(request).ops.length).toBeGreaterThan(0);
    },
  );

  it("lowering the share of a version that lost its pods is still allowed", () => {
    const run = new Run(canaryWeights(50, 50));
    run.cluster = {
      ...run.cluster,
      deployments: run.cluster.deployments.map((d) =>
        d.metadata.name === "reviews-v2" ? { ...d, status: { readyReplicas: 0 } } : d,
      ),
    };
    expect(opList(run.act({ action: "setTraffic", weights: { v1: 90, v2: 10 } }))).toEqual([
      "replace VirtualService/reviews",
    ]);
  });

  it("a batch group is Ready before traffic moves and the base shrinks", () => {
    const run = new Run(
      makeSpec("batch", { newVersion: { version: "v2", image: IMAGE, replicas: 4 }, batch: { groups: 2 } }),
      bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }),
    );
    expect(opList(run.act({ action: "confirm" }))).toEqual([
      "scale Deployment/reviews-v2 2->4",
      "wait reviews-v2 Ready 4",
      "replace VirtualService/reviews",
      "scale Deployment/reviews-v1 2->0",
    ]);
  });
});

describe("a version is removed only after its routes are gone and drained", () => {
  const takenOver = (rollout?: Record<string, number>) => {
    const run = new Run(
      makeSpec("canary", { traffic: { weights: { v1: 0, v2: 100 } }, ...(rollout ? { rollout } : {}) }),
    );
    run.act({ action: "takeover" });
    return run;
  };

  it.each([
    ["the default 30 s drain", undefined, ["drain v1 30s"]],
    ["a 45 s drain", { drainSeconds: 45 }, ["drain v1 45s"]],
    ["drainSeconds 0: no drain at all", { drainSeconds: 0 }, []],
  ])("retireOld with %s", (_label, rollout, drain) => {
    const retire = takenOver(rollout).act({ action: "retireOld" });
    expect(opList(retire)).toEqual([
      "replace VirtualService/reviews",
      ...drain,
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v1",
    ]);
  });

  it("abort: routes back first, drain, then the subset it added and the new Deployment", () => {
    const dr = bookinfo().destinationRule;
    if (!dr) throw new Error("fixture");
    dr.spec.subsets = dr.spec.subsets?.filter((s) => s.name === "v1");
    const run = new Run(canaryWeights(80, 20), bookinfo({ destinationRule: dr }));
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "replace VirtualService/reviews",
      "drain v2 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v2",
    ]);
    expect(run.cluster.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v1"]);
  });

  it("rollback moves traffic only and keeps the new version", () => {
    const run = new Run(canaryWeights(50, 50));
    expect(opList(run.act({ action: "rollback" }))).toEqual(["replace VirtualService/reviews"]);
    expect(run.replicas("reviews-v2")).toBe(1);
  });

  it("planAction never mutates the status it was given", () => {
    const run = new Run(canaryWeights(0, 100));
    const before = JSON.stringify(run.plan.status);
    planAction({ spec: run.spec, status: run.plan.status, state: run.plan.state }, { action: "takeover" }, run.cluster);
    expect(JSON.stringify(run.plan.status)).toBe(before);
  });
});
