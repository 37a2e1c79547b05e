import { describe, expect, it } from "vitest";
import { ACTIONS } from "@/lib/release/types";
import { en } from "@/lib/i18n/messages/en";
import { makeTranslate } from "@/lib/i18n/format";
import { actionEffects, foreignRouteMode, needsConfirmation, splitChoice } from "./action-effects";
import type { BatchView } from "@/lib/api/contracts";
import { sampleTask } from "./fixtures";

const t = makeTranslate(en);
const text = (...args: Parameters<typeof actionEffects>) => actionEffects(...args).map((e) => t(e.key, e.vars));

describe("actionEffects names exactly what changes", () => {
  it("retireOld deletes the base Deployments by name", () => {
    const lines = text("retireOld", sampleTask({ weights: { v1: 0, v4: 100 } }));
    expect(lines[0]).toBe("Deletes Deployment reviews-v1 (version v1) in namespace bookinfo.");
    expect(lines.join(" ")).toContain("subset v1");
    expect(lines.join(" ")).toContain("VirtualService reviews");
  });

  it("abort deletes the new Deployment and restores the VirtualService", () => {
    const lines = text("abort", sampleTask());
    expect(lines[0]).toBe("Deletes Deployment reviews-v4 (version v4) in namespace bookinfo.");
    expect(lines[1]).toContain("VirtualService reviews");
    expect(lines.some((l) => l.includes("reviews-v1"))).toBe(true);
  });

  it("the ingress gateway routes the task follows: the same weights on takeover, back as found on abort (before its closing line)", () => {
    const entryRoutes = [
      {
        id: "bookinfo/http[0]",
        virtualService: "bookinfo",
        route: "http[0]",
        gateways: ["bookinfo-gateway"],
        match: 'uri exact "/productpage"',
        conditions: [[{ field: "uri" as const, op: "exact" as const, value: '"/productpage"' }]],
        weights: { v1: 80, v4: 20 },
      },
    ];
    expect(text("takeover", sampleTask({ entryRoutes })).at(-1)).toBe(
      "The ingress gateway routes bookinfo/http[0] get the same weights, so users entering through the gateway follow too.",
    );
    const abort = text("abort", sampleTask({ entryRoutes }));
    expect(abort.at(-2)).toMatch(/^The ingress gateway routes bookinfo\/http\[0\] get back the destinations they had/);
    expect(abort.at(-1)).toBe(en["effects.abortFinal"]);
    expect(text("takeover", sampleTask()).join(" ")).not.toContain("ingress gateway");
  });

  it("abort without a VirtualService does not mention one", () => {
    const lines = text(
      "abort",
      sampleTask({
        strategy: "replica-canary",
        routing: { virtualService: null, defaultRoute: null, matchRoutes: [], note: "no VirtualService" },
      }),
    );
    expect(lines.some((l) => l.includes("VirtualService"))).toBe(false);
  });

  it("takeover names the target, the current split and what keeps running", () => {
    const lines = text("takeover", sampleTask());
    expect(lines[0]).toBe("The default route sends 100% of traffic to v4 (now: v1 80% · v4 20%).");
    expect(lines[1]).toContain("reviews-v1");
  });

  it("takeover of a canary with match rules says the match routes go", () => {
    const task = sampleTask();
    task.spec = {
      ...task.spec,
      traffic: {
        weights: { v1: 80, v4: 20 },
        match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }],
      },
    };
    expect(text("takeover", task).some((l) => l.includes("match routes"))).toBe(true);
  });

  it("rollback of a mirror release stops mirroring", () => {
    const lines = text("rollback", sampleTask({ strategy: "mirror", mirrorPercent: 50, weights: { v1: 100, v4: 0 } }));
    expect(lines[0]).toContain("to v1");
    expect(lines).toContain("Mirroring to v4 stops.");
  });

  it.each([
    { current: 1, plan: [1, 2, 2], want: ["Group 2 of 3: adds 2 replica(s) of v4.", "v1 shrinks"] },
    { current: 2, plan: [1, 2, 2], want: ["Group 3 of 3: adds 2 replica(s) of v4.", "This is the last group"] },
  ])("confirm at group $current of $plan", ({ current, plan, want }) => {
    const lines = text(
      "confirm",
      sampleTask({
        strategy: "batch",
        state: "awaiting-confirmation",
        batch: { plan, current, total: plan.length, groupsDone: current, awaitingConfirmation: true, next: null },
      }),
    );
    expect(lines[0]).toBe(want[0]);
    expect(lines[1]?.startsWith(want[1] ?? "")).toBe(true);
  });

  it("resync lists the drifted paths", () => {
    const lines = text(
      "resync",
      sampleTask({ drift: { virtualService: [{ path: "http[0].route[0].weight", expected: 80, actual: 50 }] } }),
    );
    expect(lines[0]).toContain("VirtualService http[0].route[0].weight");
  });

  it("every confirmed action produces at least one line", () => {
    const stepping = sampleTask({ steps: { plan: [{ kind: "setWeight", value: 20 }], state: null } });
    for (const a of ACTIONS) {
      if (needsConfirmation(a)) expect(actionEffects(a, stepping).length, a).toBeGreaterThan(0);
    }
  });

  it("promote names the step it ends and the one it starts; a hold it lets go", () => {
    const plan = [
      { kind: "setWeight" as const, value: 20 },
      { kind: "pause" as const },
      { kind: "setWeight" as const, value: 100 },
    ];
    const at = (index: number, extra = {}) =>
      sampleTask({
        steps: {
          plan,
          state: { index, kind: plan[index]!.kind, startedAt: "2026-12-06T00:00:00Z", total: 3, ...extra },
        },
      });
    expect(actionEffects("promote", sampleTask({ steps: { plan, state: null } }))).toEqual([
      {
        key: "effects.promoteStart",
        vars: { total: 3 },
        nested: { next: { key: "steps.kind.setWeight", vars: { value: 20 } } },
      },
    ]);
    expect(actionEffects("promote", at(1))).toEqual([
      {
        key: "effects.promoteStep",
        vars: { current: 2, step: 3, total: 3 },
        nested: { next: { key: "steps.kind.setWeight", vars: { value: 100 } } },
      },
    ]);
    expect(actionEffects("promote", at(0, { heldBy: "user" }))[0]).toEqual({ key: "effects.releasesHold" });
    expect(actionEffects("promote", at(2))).toEqual([{ key: "effects.promoteLast", vars: { version: "v4" } }]);
  });

  it("pause, resume and setTraffic need no dialog", () => {
    expect(ACTIONS.filter((a) => !needsConfirmation(a))).toEqual(["setTraffic", "pause", "resume"]);
  });
});

describe("the confirm dialog and the next batch group", () => {
  // R=10 in groups [1, 5, 4], base 4 replicas; the beta group is out (10%).
  const batch = (next: Partial<NonNullable<BatchView["next"]>> = {}): BatchView => ({
    plan: [1, 5, 4],
    current: 1,
    total: 3,
    groupsDone: 1,
    awaitingConfirmation: true,
    next: {
      group: 2,
      total: 3,
      last: false,
      newReplicas: 6,
      baseReplicas: 2,
      ratioWeights: { v1: 40, v4: 60 },
      overridden: false,
      keepable: true,
      ...next,
    },
  });
  const batchTask = (b: BatchView, weights: Record<string, number>) =>
    sampleTask({ strategy: "batch", state: "awaiting-confirmation", batch: b, weights });

  it("at the replica ratio: the replicas and the split the group produces, nothing to choose", () => {
    const task = batchTask(batch(), { v1: 90, v4: 10 });
    expect(splitChoice(task)).toEqual({ kind: "ratio", ratio: "v1 40% · v4 60%" });
    expect(text("confirm", task)).toEqual([
      "Group 2 of 3: adds 5 replica(s) of v4.",
      "After this group: v4 runs 6 replica(s), v1 2.",
      "Traffic becomes v1 40% · v4 60%, the replica ratio.",
    ]);
  });

  it("a split set during the pause: keep it or use the ratio (the dialog asks)", () => {
    const task = batchTask(batch({ overridden: true }), { v1: 50, v4: 50 });
    expect(splitChoice(task)).toEqual({ kind: "choice", current: "v1 50% · v4 50%", ratio: "v1 40% · v4 60%" });
    expect(text("confirm", task)).toEqual([
      "Group 2 of 3: adds 5 replica(s) of v4.",
      "After this group: v4 runs 6 replica(s), v1 2.",
    ]);
  });

  it("a set split the group cannot keep (the base goes to 0) is said so", () => {
    const task = batchTask(batch({ overridden: true, keepable: false, baseReplicas: 0 }), { v1: 50, v4: 50 });
    expect(splitChoice(task).kind).toBe("cannotKeep");
    expect(text("confirm", task)[2]).toBe(
      "The current split v1 50% · v4 50% cannot be kept: this group leaves v1 without pods, so traffic becomes v1 40% · v4 60%, the replica ratio.",
    );
  });

  it.each<
    [string, Parameters<typeof foreignRouteMode>[0], Parameters<typeof foreignRouteMode>[1], "refuse" | "keep" | null]
  >([
    [
      "retire refuses while a route is left on the old version",
      "retireOld",
      { strategy: "canary", batch: null },
      "refuse",
    ],
    ["take-over leaves an unchecked route on the old version", "takeover", { strategy: "canary", batch: null }, "keep"],
    ["a blue-green switch too", "switch", { strategy: "blue-green", batch: null }, "keep"],
    [
      "replica-canary take-over scales the base to 0: refused",
      "takeover",
      { strategy: "replica-canary", batch: null },
      "refuse",
    ],
    [
      "the batch group that scales the base to 0",
      "confirm",
      { strategy: "batch", batch: batch({ last: true, baseReplicas: 0 }) },
      "refuse",
    ],
    ["a batch group that leaves the base pods lists none", "confirm", { strategy: "batch", batch: batch() }, null],
    ["rollback lists none", "rollback", { strategy: "canary", batch: null }, null],
  ])("foreign routes: %s", (_, action, task, want) => {
    expect(foreignRouteMode(action, task)).toBe(want);
  });
});
