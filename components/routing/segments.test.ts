import { describe, expect, it } from "vitest";
import { describeWeights, toPercentages, weightSegments } from "./segments";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";

type W = Record<string, number>;

describe("weightSegments", () => {
  it.each<{ weights: W; want: unknown }>([
    { weights: { v1: 100 }, want: [{ key: "v1", weight: 100, width: 100 }] },
    {
      weights: { v2: 20, v1: 80 },
      want: [
        { key: "v1", weight: 80, width: 80 },
        { key: "v2", weight: 20, width: 20 },
      ],
    },
    {
      weights: { v10: 50, v2: 0, v1: 50 },
      want: [
        { key: "v1", weight: 50, width: 50 },
        { key: "v2", weight: 0, width: 0 },
        { key: "v10", weight: 50, width: 50 },
      ],
    },
    {
      weights: { v1: 0, v2: 0 },
      want: [
        { key: "v1", weight: 0, width: 0 },
        { key: "v2", weight: 0, width: 0 },
      ],
    },
    // Weights that do not sum to 100 (a hand-edited VirtualService) still fill the bar proportionally.
    {
      weights: { a: 1, b: 3 },
      want: [
        { key: "a", weight: 1, width: 25 },
        { key: "b", weight: 3, width: 75 },
      ],
    },
  ])("$weights", ({ weights, want }) => {
    expect(weightSegments(weights)).toEqual(want);
  });
});

describe("toPercentages", () => {
  it.each<{ values: W; want: W }>([
    { values: { v1: 1, v2: 1, v3: 1 }, want: { v1: 34, v2: 33, v3: 33 } },
    { values: { v1: 3, v2: 1 }, want: { v1: 75, v2: 25 } },
    { values: { v1: 2, v2: 0 }, want: { v1: 100, v2: 0 } },
    { values: { v1: 0, v2: 0 }, want: { v1: 0, v2: 0 } },
    { values: { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 }, want: { a: 15, b: 15, c: 14, d: 14, e: 14, f: 14, g: 14 } },
  ])("$values", ({ values, want }) => {
    const got = toPercentages(values);
    expect(got).toEqual(want);
    const sum = Object.values(got).reduce((a, b) => a + b, 0);
    expect(sum === 100 || sum === 0).toBe(true);
  });
});

it("other traffic is the last segment", () => {
  expect(weightSegments({ [OTHER_TRAFFIC]: 10, v2: 20, v1: 70 }).map((s) => s.key)).toEqual([
    "v1",
    "v2",
    OTHER_TRAFFIC,
  ]);
});

it("describeWeights", () => {
  expect(describeWeights({ v2: 20, v1: 80 })).toBe("v1 80% · v2 20%");
});
