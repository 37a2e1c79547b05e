import { describe, expect, it } from "vitest";
import { eventsOfAnalysisFailed, eventsOfFinished, eventsOfNeedsAttention, type FinishedAction } from "./events";

describe("which actions are announced", () => {
  const batch = { current: 2, total: 3 };
  it.each<[string, FinishedAction, ReturnType<typeof eventsOfFinished>]>([
    [
      "a created task",
      { action: "create", before: null, after: "progressing" },
      [{ event: "created", detail: { state: "progressing" } }],
    ],
    [
      "a batch group confirmed, waiting for the next confirmation",
      { action: "confirm", before: "awaiting-confirmation", after: "awaiting-confirmation", batch },
      [{ event: "step-started", detail: { group: 2, groups: 3, awaitingConfirmation: true } }],
    ],
    [
      "a group started by the auto-advancer",
      {
        action: "confirm",
        before: "awaiting-confirmation",
        after: "awaiting-confirmation",
        batch,
        confirmsItself: true,
      },
      [{ event: "step-started", detail: { group: 2, groups: 3, awaitingConfirmation: false } }],
    ],
    [
      "a promote into a release step",
      {
        action: "promote",
        before: "progressing",
        after: "progressing",
        step: { before: 0, after: 1, total: 5, kind: "pause", waitsForPromote: true },
      },
      [{ event: "step-started", detail: { step: 2, steps: 5, kind: "pause", awaitingConfirmation: true } }],
    ],
    [
      "the first step, entered by the runner",
      {
        action: "promote",
        before: "progressing",
        after: "progressing",
        step: { before: null, after: 0, total: 3, kind: "setWeight", waitsForPromote: false },
      },
      [{ event: "step-started", detail: { step: 1, steps: 3, kind: "setWeight", awaitingConfirmation: false } }],
    ],
    [
      "a promote past the last step announces no step",
      {
        action: "promote",
        before: "progressing",
        after: "progressing",
        step: { before: 2, after: 2, total: 3, kind: "pause", waitsForPromote: true },
      },
      [],
    ],
    [
      "the last group confirmed",
      { action: "confirm", before: "awaiting-confirmation", after: "completed", batch: { current: 3, total: 3 } },
      [{ event: "completed", detail: { action: "confirm" } }],
    ],
    [
      "retireOld",
      { action: "retireOld", before: "progressing", after: "completed" },
      [{ event: "completed", detail: { action: "retireOld" } }],
    ],
    [
      "a pause",
      { action: "pause", before: "awaiting-confirmation", after: "paused" },
      [{ event: "paused", detail: { reason: "paused" } }],
    ],
    [
      "a rollback",
      { action: "rollback", before: "progressing", after: "rolled-back" },
      [{ event: "rolled-back", detail: { action: "rollback" } }],
    ],
    [
      "an abort",
      { action: "abort", before: "paused", after: "aborted" },
      [{ event: "rolled-back", detail: { action: "abort" } }],
    ],
    ["a weight change", { action: "setTraffic", before: "progressing", after: "progressing" }, []],
    ["a resume", { action: "resume", before: "paused", after: "awaiting-confirmation", batch }, []],
    ["a resync", { action: "resync", before: "progressing", after: "progressing" }, []],
  ])("%s", (_, finished, expected) => {
    expect(eventsOfFinished(finished)).toEqual(expected);
  });

  it("needs attention: the first failed undo only, not every retry", () => {
    expect(eventsOfNeedsAttention(1, "setTraffic", "VirtualService reviews: forbidden")).toEqual([
      { event: "needs-attention", detail: { action: "setTraffic", reason: "VirtualService reviews: forbidden" } },
    ]);
    expect(eventsOfNeedsAttention(2, "setTraffic", "again")).toEqual([]);
  });
});

describe("a failed analysis", () => {
  it("is announced with what was measured and what happens next", () => {
    expect(
      eventsOfAnalysisFailed({
        reason: "analysis failed: 2 failed runs (limit 2)",
        cause: "success rate 87.2% < 99% over 10 s, 412 requests",
        onFailure: "rollback",
      }),
    ).toEqual([
      {
        event: "analysis-failed",
        detail: {
          reason: "analysis failed: 2 failed runs (limit 2); success rate 87.2% < 99% over 10 s, 412 requests",
          cause: "success rate 87.2% < 99% over 10 s, 412 requests",
          onFailure: "rollback",
        },
      },
    ]);
  });
});
