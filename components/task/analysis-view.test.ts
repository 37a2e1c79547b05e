import { describe, expect, it } from "vitest";
import { axisTop, metricSeries, verdictCounts } from "./analysis-view";

const reason = { key: "err.analysis.reason.noData", params: {} };
const run = (at: string, verdict: "pass" | "fail" | "inconclusive", sr: number | null, p99: number | null) => ({
  at,
  step: null,
  windowSeconds: 10,
  verdict,
  metrics: [
    { name: "success-rate", value: sr, threshold: { min: 99 }, verdict, requests: 400, reason },
    { name: "latency-p99", value: p99, threshold: { max: 500 }, verdict: "pass" as const, requests: 400, reason },
  ],
});

describe("the analysis panel's data", () => {
  const runs = [
    run("2026-12-06T10:00:10Z", "pass", 100, 40),
    run("2026-12-06T10:00:20Z", "fail", 87.2, 60),
    run("2026-12-06T10:00:30Z", "inconclusive", null, null),
  ];
  it("one series per metric, each point with its verdict and bounds", () => {
    const [sr, p99] = metricSeries(runs);
    expect(sr!.name).toBe("success-rate");
    expect(sr!.points).toEqual([
      { t: Date.parse("2026-12-06T10:00:10Z"), value: 100, verdict: "pass", min: 99 },
      { t: Date.parse("2026-12-06T10:00:20Z"), value: 87.2, verdict: "fail", min: 99 },
      { t: Date.parse("2026-12-06T10:00:30Z"), value: null, verdict: "inconclusive", min: 99 },
    ]);
    expect(p99!.threshold).toEqual({ max: 500 });
  });
  it("counts verdicts", () => expect(verdictCounts(runs)).toEqual({ pass: 1, fail: 1, inconclusive: 1 }));
  it("the y axis holds the threshold even when every value is under it", () => {
    const [sr, p99] = metricSeries(runs);
    expect(axisTop(sr!, true)).toBe(100);
    expect(axisTop(p99!, false)).toBeCloseTo(575);
    expect(axisTop({ name: "x", points: [], threshold: {} }, false)).toBe(1);
  });
});
