import { describe, expect, it } from "vitest";
import { snapshot } from "./snapshots";
import { canaryWeights, Run } from "@/lib/release/testdata/run";
import { bookinfo, vsBusy } from "@/lib/release/testdata/bookinfo";

describe("snapshot (history's before/after)", () => {
  it("lists the foreign routes moved so far, by the version they now go to", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: vsBusy() }));
    expect(snapshot(run.state, run.plan.status).movedRoutes).toEqual([]);
    const plan = run.act({ action: "takeover", moveRoutes: ["reviews/qa"] });
    expect(snapshot(plan.state, plan.status)).toEqual({
      state: "progressing",
      weights: { v1: 0, v2: 100 },
      mirrorPercent: null,
      batchGroup: null,
      movedRoutes: [{ id: "reviews/qa", to: "v2" }],
    });
  });
});
