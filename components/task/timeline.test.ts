import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { makeTranslate } from "@/lib/i18n/format";
import { eventErrorText, eventLabel, groupStatuses, movedRoutesChange, snapshotText, sortEvents } from "./timeline";
import type { TaskEventView } from "@/lib/api/contracts";

describe("groupStatuses", () => {
  const batch = (groupsDone: number, awaitingConfirmation: boolean) => ({
    plan: [1, 2, 2],
    current: groupsDone,
    total: 3,
    groupsDone,
    awaitingConfirmation,
    next: null,
  });
  it.each([
    { b: batch(1, true), state: "awaiting-confirmation" as const, want: ["done", "awaiting", "pending"] },
    { b: batch(1, false), state: "paused" as const, want: ["done", "paused", "pending"] },
    { b: batch(2, true), state: "awaiting-confirmation" as const, want: ["done", "done", "awaiting"] },
    { b: batch(3, false), state: "completed" as const, want: ["done", "done", "done"] },
    { b: batch(1, false), state: "rolled-back" as const, want: ["done", "pending", "pending"] },
  ])("$state after $b.groupsDone groups", ({ b, state, want }) => {
    expect(groupStatuses(b, state)).toEqual(want);
  });
});

describe("events", () => {
  const t = makeTranslate(en);
  it("labels known actions and passes others through", () => {
    expect(eventLabel("takeover", t)).toBe("Take over all traffic");
    expect(eventLabel("create", t)).toBe("Created");
    expect(eventLabel("something-new", t)).toBe("something-new");
  });
  it("shows weights and mirroring", () => {
    expect(snapshotText(null, t)).toBe("—");
    expect(
      snapshotText({ state: "progressing", weights: { v2: 20, v1: 80 }, mirrorPercent: null, batchGroup: null }, t),
    ).toBe("v1 80% · v2 20%");
    expect(snapshotText({ state: "progressing", weights: { v1: 100 }, mirrorPercent: 10, batchGroup: null }, t)).toBe(
      "v1 100% (mirror 10%)",
    );
    expect(
      snapshotText(
        { state: "progressing", weights: { v1: 100 }, mirrorPercent: 10, batchGroup: null },
        makeTranslate(zhCN),
      ),
    ).toBe("v1 100%（镜像 10%）");
  });
  it("sorts newest first", () => {
    const ev = (id: string, at: string) => ({ id, at }) as TaskEventView;
    expect(
      sortEvents([
        ev("a", "2026-01-01T00:00:00Z"),
        ev("c", "2026-01-03T00:00:00Z"),
        ev("b", "2026-01-02T00:00:00Z"),
      ]).map((e) => e.id),
    ).toEqual(["c", "b", "a"]);
  });
});

describe("history lines of issue 11", () => {
  const t = makeTranslate(en);
  const snap = (moved: { id: string; to: string }[] | undefined) => ({
    state: "progressing" as const,
    weights: { v1: 0, v2: 100 },
    mirrorPercent: null,
    batchGroup: null,
    ...(moved ? { movedRoutes: moved } : {}),
  });

  it("a refusal with a catalog key is shown in the reader's words; one without, as recorded", () => {
    const keyed = {
      error: "cannot retireOld: reviews/http[0] still routes traffic to v1; …",
      errorText: {
        key: "err.foreignRoutes.refusedOne",
        params: { actionKey: "err.word.action.retireOld", routes: "reviews/http[0]", version: "v1" },
      },
    };
    expect(eventErrorText(keyed, t)).toMatch(
      /^cannot retireOld: reviews\/http\[0\] still routes traffic to v1; change that route first/,
    );
    expect(eventErrorText(keyed, makeTranslate(zhCN))).toMatch(/^无法下线旧版本：reviews\/http\[0\] 仍把流量发往 v1/);
    expect(eventErrorText({ error: "cancelled by rollback", errorText: null }, t)).toBe("cancelled by rollback");
    expect(eventErrorText({ error: null, errorText: null }, t)).toBeNull();
  });

  it.each([
    [
      "a take-over that moved a route",
      snap([]),
      snap([{ id: "reviews/http[0]", to: "v2" }]),
      { moved: [{ to: "v2", routes: ["reviews/http[0]"] }], back: [] },
    ],
    [
      "a retire after it moves one more",
      snap([{ id: "reviews/http[0]", to: "v2" }]),
      snap([
        { id: "reviews/http[0]", to: "v2" },
        { id: "gw/internal", to: "v2" },
      ]),
      { moved: [{ to: "v2", routes: ["gw/internal"] }], back: [] },
    ],
    [
      "abort moves them back",
      snap([{ id: "reviews/http[0]", to: "v2" }]),
      snap([]),
      { moved: [], back: ["reviews/http[0]"] },
    ],
    ["a refusal (no after) moved nothing", snap([{ id: "reviews/http[0]", to: "v2" }]), null, { moved: [], back: [] }],
    ["events recorded before moved routes were kept", snap(undefined), snap(undefined), { moved: [], back: [] }],
  ])("%s", (_, before, after, want) => {
    expect(movedRoutesChange(before, after)).toEqual(want);
  });
});
