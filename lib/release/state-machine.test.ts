import { describe, expect, it } from "vitest";
import { PlanError } from "./errors";
import { allowedActions, transition, type TransitionStatus } from "./state-machine";
import type { ActionName, Strategy, TaskState } from "./types";

const status = (over: Partial<TransitionStatus> = {}): TransitionStatus => ({
  newVersion: "v2",
  weights: { v1: 80, v2: 20 },
  batch: null,
  routing: "istio",
  ...over,
});
const batchStatus = (current: number, groups = 3) =>
  status({ batch: { plan: Array.from({ length: groups }, () => 1), current, baseInitialReplicas: 3 } });
const takenOver = status({ weights: { v1: 0, v2: 100 } });

describe("transition: allowed moves", () => {
  it.each<[Strategy, TaskState, ActionName, TransitionStatus, TaskState]>([
    ["canary", "progressing", "setTraffic", status(), "progressing"],
    ["canary", "rolled-back", "setTraffic", status(), "progressing"],
    ["canary", "failed", "setTraffic", status(), "progressing"],
    ["canary", "progressing", "takeover", status(), "progressing"],
    ["canary", "rolled-back", "takeover", status(), "progressing"],
    ["canary", "progressing", "rollback", status(), "rolled-back"],
    ["canary", "progressing", "retireOld", takenOver, "completed"],
    ["canary", "progressing", "abort", status(), "aborted"],
    ["canary", "rolled-back", "abort", status(), "aborted"],
    ["canary", "failed", "abort", status(), "aborted"],
    ["canary", "progressing", "resync", status(), "progressing"],
    ["canary", "rolled-back", "acceptDrift", status(), "rolled-back"],
    ["blue-green", "progressing", "switch", status(), "progressing"],
    ["blue-green", "progressing", "takeover", status(), "progressing"],
    ["mirror", "progressing", "setTraffic", status(), "progressing"],
    ["batch", "awaiting-confirmation", "confirm", batchStatus(1), "awaiting-confirmation"],
    ["batch", "awaiting-confirmation", "confirm", batchStatus(2), "completed"],
    ["batch", "awaiting-confirmation", "pause", batchStatus(1), "paused"],
    ["batch", "paused", "resume", batchStatus(1), "awaiting-confirmation"],
    ["batch", "awaiting-confirmation", "setTraffic", batchStatus(1), "awaiting-confirmation"],
    ["batch", "paused", "setTraffic", batchStatus(1), "paused"],
    ["batch", "rolled-back", "setTraffic", batchStatus(1), "awaiting-confirmation"],
    ["batch", "paused", "rollback", batchStatus(1), "rolled-back"],
    ["batch", "paused", "abort", batchStatus(1), "aborted"],
    ["replica-canary", "progressing", "setTraffic", status({ routing: "replicas" }), "progressing"],
    [
      "replica-canary",
      "progressing",
      "retireOld",
      status({ routing: "replicas", weights: { v1: 0, v2: 100 } }),
      "completed",
    ],
  ])("%s %s --%s--> ", (strategy, state, action, st, next) => {
    expect(transition(strategy, state, action, st)).toBe(next);
  });
});

describe("transition: illegal moves are conflicts with a reason", () => {
  it.each<[Strategy, TaskState, ActionName, TransitionStatus, RegExp]>([
    ["batch", "paused", "confirm", batchStatus(1), /^cannot confirm: task is paused$/],
    ["canary", "progressing", "confirm", status(), /^cannot confirm: only batch releases/],
    ["canary", "rolled-back", "pause", status(), /^cannot pause: task is rolled-back$/],
    ["canary", "progressing", "resume", status(), /^cannot resume: task is progressing, not paused/],
    [
      "batch",
      "awaiting-confirmation",
      "resume",
      batchStatus(1),
      /^cannot resume: task is awaiting-confirmation, not paused/,
    ],
    ["batch", "paused", "pause", batchStatus(1), /already paused/],
    ["canary", "progressing", "retireOld", status(), /^cannot retireOld: take over all traffic first$/],
    ["canary", "rolled-back", "retireOld", status({ weights: { v1: 100, v2: 0 } }), /take over all traffic first/],
    ["canary", "rolled-back", "rollback", status(), /already rolled back/],
    ["canary", "progressing", "switch", status(), /use takeover/],
    ["blue-green", "progressing", "setTraffic", status(), /use switch or rollback/],
    ["batch", "awaiting-confirmation", "takeover", batchStatus(1), /confirm the remaining groups/],
    ["batch", "awaiting-confirmation", "retireOld", batchStatus(1, 1), /confirming the last group/],
    [
      "batch",
      "awaiting-confirmation",
      "setTraffic",
      status({ routing: "replicas", batch: batchStatus(1).batch }),
      /replica counts/,
    ],
    ["replica-canary", "progressing", "resync", status({ routing: "replicas" }), /manages no VirtualService/],
    ["canary", "completed", "abort", takenOver, /^cannot abort: task is completed$/],
    ["canary", "aborted", "setTraffic", status(), /^cannot setTraffic: task is aborted$/],
    ["batch", "completed", "rollback", batchStatus(3), /task is completed/],
  ])("%s %s --%s--> refused", (strategy, state, action, st, reason) => {
    let err: unknown;
    try {
      transition(strategy, state, action, st);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).code).toBe("conflict");
    expect((err as PlanError).message).toMatch(reason);
  });
});

describe("allowedActions", () => {
  it.each<[Strategy, TaskState, TransitionStatus, ActionName[]]>([
    [
      "canary",
      "progressing",
      status(),
      ["setTraffic", "takeover", "rollback", "pause", "abort", "resync", "acceptDrift"],
    ],
    [
      "canary",
      "progressing",
      takenOver,
      ["setTraffic", "takeover", "rollback", "retireOld", "pause", "abort", "resync", "acceptDrift"],
    ],
    ["canary", "rolled-back", status(), ["setTraffic", "takeover", "abort", "resync", "acceptDrift"]],
    [
      "blue-green",
      "progressing",
      status(),
      ["takeover", "switch", "rollback", "pause", "abort", "resync", "acceptDrift"],
    ],
    [
      "batch",
      "awaiting-confirmation",
      batchStatus(1),
      ["setTraffic", "rollback", "pause", "confirm", "abort", "resync", "acceptDrift"],
    ],
    ["batch", "paused", batchStatus(1), ["setTraffic", "rollback", "resume", "abort", "resync", "acceptDrift"]],
    [
      "replica-canary",
      "progressing",
      status({ routing: "replicas" }),
      ["setTraffic", "takeover", "rollback", "pause", "abort"],
    ],
    ["canary", "completed", takenOver, []],
    ["canary", "aborted", status(), []],
  ])("%s in %s", (strategy, state, st, expected) => {
    expect(allowedActions(strategy, state, st)).toEqual(expected);
  });
});
