import { describe, expect, it } from "vitest";
import { replicaFill } from "./replica-fill";

describe("replicaFill", () => {
  it.each([
    { ready: 0, desired: 0, want: { percent: 0, tone: "none" } },
    // Pods still terminating after a scale to zero: still nothing asked for.
    { ready: 1, desired: 0, want: { percent: 0, tone: "none" } },
    { ready: 0, desired: 2, want: { percent: 0, tone: "partial" } },
    { ready: 1, desired: 3, want: { percent: 33, tone: "partial" } },
    { ready: 3, desired: 3, want: { percent: 100, tone: "complete" } },
    { ready: 4, desired: 3, want: { percent: 100, tone: "complete" } },
  ])("$ready/$desired -> $want", ({ ready, desired, want }) => {
    expect(replicaFill(ready, desired)).toEqual(want);
  });
});
