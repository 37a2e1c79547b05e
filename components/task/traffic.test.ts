import { describe, expect, it } from "vitest";
import { setTrafficBody, trafficControl } from "./traffic";
import { sampleTask } from "./fixtures";

describe("trafficControl", () => {
  it.each([
    {
      why: "canary: new version's share",
      task: sampleTask(),
      want: { kind: "weights", base: "v1", next: "v4", applied: 20, editable: true },
    },
    {
      why: "not editable when setTraffic is not allowed",
      task: sampleTask({ allowedActions: ["rollback"] }),
      want: { kind: "weights", base: "v1", next: "v4", applied: 20, editable: false },
    },
    {
      why: "after retireOld only the new version is weighted",
      task: sampleTask({ weights: { v4: 100 }, allowedActions: [] }),
      want: { kind: "weights", base: "v1", next: "v4", applied: 100, editable: false },
    },
    {
      why: "mirror: the slider sets the mirrored percentage",
      task: sampleTask({ strategy: "mirror", weights: { v1: 100, v4: 0 }, mirrorPercent: 30 }),
      want: { kind: "mirror", base: "v1", next: "v4", applied: 30, editable: true },
    },
    {
      why: "blue-green switches, it does not split",
      task: sampleTask({ strategy: "blue-green", weights: { v1: 100, v4: 0 }, allowedActions: ["switch"] }),
      want: { kind: "readonly" },
    },
    {
      why: "three-way A/B split cannot be a single slider",
      task: sampleTask({ strategy: "ab-test", weights: { v1: 50, v2: 25, v4: 25 } }),
      want: { kind: "readonly" },
    },
  ])("$why", ({ task, want }) => {
    expect(trafficControl(task)).toEqual(want);
  });
});

describe("setTrafficBody", () => {
  it("splits 100 between base and new", () => {
    expect(setTrafficBody({ kind: "weights", base: "v1", next: "v4", applied: 20, editable: true }, 35)).toEqual({
      action: "setTraffic",
      weights: { v1: 65, v4: 35 },
    });
  });
  it("sends only mirrorPercent for mirror releases", () => {
    expect(setTrafficBody({ kind: "mirror", base: "v1", next: "v4", applied: 0, editable: true }, 40)).toEqual({
      action: "setTraffic",
      mirrorPercent: 40,
    });
  });
});
