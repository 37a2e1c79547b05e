import { describe, expect, it } from "vitest";
import { shouldRetry } from "./client";
import { ApiError } from "./fetcher";
import { withWeights, isLiveTask } from "./hooks";
import type { TaskDetail } from "@/lib/api/contracts";

describe("shouldRetry", () => {
  it.each([
    { err: new ApiError(400, "invalid_argument", "x"), n: 0, want: false },
    { err: new ApiError(404, "not_found", "x"), n: 0, want: false },
    { err: new ApiError(409, "conflict", "x"), n: 0, want: false },
    { err: new ApiError(503, "cluster_unreachable", "x"), n: 0, want: true },
    { err: new ApiError(503, "cluster_unreachable", "x"), n: 1, want: false },
    { err: new ApiError(500, "internal", "x"), n: 1, want: true },
    { err: new ApiError(500, "internal", "x"), n: 2, want: false },
    { err: new Error("plain"), n: 0, want: true },
  ])("$err.code after $n failures -> $want", ({ err, n, want }) => {
    expect(shouldRetry(n, err)).toBe(want);
  });
});

describe("optimistic setTraffic", () => {
  const task = {
    state: "progressing",
    weights: { v1: 90, v2: 10 },
    mirrorPercent: null,
    versions: [
      { version: "v1", weight: 90 },
      { version: "v2", weight: 10 },
      { version: "v3", weight: null },
    ],
  } as unknown as TaskDetail;

  it("shows the requested split on the task and its versions", () => {
    const next = withWeights(task, { v1: 60, v2: 40 }, undefined);
    expect(next.weights).toEqual({ v1: 60, v2: 40 });
    expect(next.versions.map((v) => v.weight)).toEqual([60, 40, null]);
    expect(task.weights).toEqual({ v1: 90, v2: 10 });
  });

  it("changes only the mirror percentage when that is all that was sent", () => {
    const next = withWeights(task, undefined, 25);
    expect(next.mirrorPercent).toBe(25);
    expect(next.weights).toBe(task.weights);
  });

  it("polls only while the task can still change", () => {
    expect(isLiveTask({ state: "progressing" })).toBe(true);
    expect(isLiveTask({ state: "rolled-back" })).toBe(true);
    expect(isLiveTask({ state: "completed" })).toBe(false);
    expect(isLiveTask({ state: "aborted" })).toBe(false);
    expect(isLiveTask(undefined)).toBe(false);
  });
});
