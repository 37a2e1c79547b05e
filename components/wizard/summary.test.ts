import { describe, expect, it } from "vitest";
import { makeTranslate } from "@/lib/i18n/format";
import { untranslatedWords } from "@/lib/i18n/latin-words";
import { en, type Messages } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { planCreate } from "@/lib/release/planner";
import { bookinfo } from "@/lib/release/testdata/bookinfo";
import { makeSpec } from "@/lib/release/testdata/run";
import { summaryLines } from "./summary";

const enT = makeTranslate(en as Messages);
const zh = makeTranslate(zhCN);
const NAMES = new Set(["reviews", "reviews-v1", "reviews-v2", "reviews-canary", "gc-rel-canary"]);

describe("the review step's summary", () => {
  it("says in English what the API's summary says, one fact a line", () => {
    const plan = planCreate(
      makeSpec("canary", {
        traffic: { weights: { v1: 90, v2: 10 }, match: [{ kind: "uri", op: "prefix", value: "/api" }] },
      }),
      bookinfo(),
    );
    const lines = summaryLines(plan.summaryView, enT);
    expect(lines[0]).toBe(
      "Canary reviews: v1 → v2 (docker.io/istio/examples-bookinfo-reviews-v2:1.20.2, 1 replica(s))",
    );
    expect(lines).toContain("Traffic: v1 90% / v2 10%");
    expect(plan.summary).toContain("traffic v1 90% / v2 10%");
    expect(lines.some((l) => l.startsWith("Routes: "))).toBe(true);
  });

  it.each([
    ["canary", { traffic: { weights: { v1: 90, v2: 10 }, match: [{ kind: "uri", op: "prefix", value: "/api" }] } }],
    ["mirror", { traffic: { mirrorPercent: 20 } }],
    [
      "batch",
      {
        newVersion: { version: "v2", image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2", replicas: 3 },
        batch: { groups: 3 },
      },
    ],
    ["replica-canary", { traffic: { weights: { v1: 50, v2: 50 } } }],
  ] as const)("has no English word in zh-CN (%s)", (strategy, extra) => {
    const cluster = bookinfo({
      deployments: [{ ...bookinfo().deployments[0]!, spec: { ...bookinfo().deployments[0]!.spec, replicas: 3 } }],
    });
    const plan = planCreate(makeSpec(strategy, extra), cluster);
    const lines = summaryLines(plan.summaryView, zh);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.flatMap((l) => untranslatedWords(l, NAMES))).toEqual([]);
  });
});
