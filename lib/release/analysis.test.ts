import { describe, expect, it } from "vitest";
import { english } from "@/lib/i18n/localized";
import {
  decide,
  evaluateMetric,
  evaluateRun,
  runVerdict,
  analysedStep,
  stepGate,
  windowSecondsOf,
  type JudgedRun,
  type Measurement,
} from "./analysis";
import { AnalysisSchema, type AnalysisMetric } from "./analysis-schema";

const ctx = { minRequests: 20, windowSeconds: 10, version: "v2" };
const m = (over: Partial<Measurement>): Measurement => ({ name: "success-rate", value: 100, requests: 412, ...over });
const success: AnalysisMetric = { name: "success-rate", min: 99 };
const p99: AnalysisMetric = { name: "latency-p99", max: 500 };
const custom: AnalysisMetric = { name: "cpu", query: "x", min: 0, max: 1 };

describe("evaluateMetric", () => {
  it.each([
    {
      what: "success rate above the minimum",
      metric: success,
      meas: m({ value: 99.5 }),
      verdict: "pass",
      text: "success rate 99.5% >= 99% over 10 s, 412 requests",
    },
    {
      what: "success rate below it",
      metric: success,
      meas: m({ value: 87.24 }),
      verdict: "fail",
      text: "success rate 87.2% < 99% over 10 s, 412 requests",
    },
    {
      what: "exactly the minimum passes",
      metric: success,
      meas: m({ value: 99 }),
      verdict: "pass",
      text: "success rate 99% >= 99% over 10 s, 412 requests",
    },
    {
      what: "p99 under the maximum",
      metric: p99,
      meas: m({ name: "latency-p99", value: 120.4 }),
      verdict: "pass",
      text: "p99 latency 120 ms <= 500 ms over 10 s, 412 requests",
    },
    {
      what: "p99 over it",
      metric: p99,
      meas: m({ name: "latency-p99", value: 912 }),
      verdict: "fail",
      text: "p99 latency 912 ms > 500 ms over 10 s, 412 requests",
    },
    {
      what: "custom inside its range",
      metric: custom,
      meas: m({ name: "cpu", value: 0.5 }),
      verdict: "pass",
      text: "cpu 0.5 is within [0, 1] over 10 s, 412 requests",
    },
    {
      what: "custom outside",
      metric: custom,
      meas: m({ name: "cpu", value: 1.25 }),
      verdict: "fail",
      text: "cpu 1.25 is outside [0, 1] over 10 s, 412 requests",
    },
    {
      what: "too few requests, even at 100%",
      metric: success,
      meas: m({ value: 100, requests: 19 }),
      verdict: "inconclusive",
      text: "19 requests to v2 over 10 s, fewer than 20: not enough traffic to judge",
    },
    {
      what: "too few requests, even at 0%",
      metric: success,
      meas: m({ value: 0, requests: 3 }),
      verdict: "inconclusive",
      text: "3 requests to v2 over 10 s, fewer than 20: not enough traffic to judge",
    },
    {
      what: "no data",
      metric: p99,
      meas: m({ name: "latency-p99", value: null }),
      verdict: "inconclusive",
      text: "no data for latency-p99 over 10 s",
    },
    {
      what: "Prometheus down",
      metric: success,
      meas: m({ error: "Prometheus is unreachable" }),
      verdict: "inconclusive",
      text: "success-rate could not be measured: Prometheus is unreachable",
    },
  ] as const)("$what: $verdict", ({ metric, meas, verdict, text }) => {
    const r = evaluateMetric(metric, meas, ctx);
    expect(r.verdict).toBe(verdict);
    expect(english(r.reason)).toBe(text);
  });

  it.each([
    {
      what: "success within the tolerance of the base",
      metric: { name: "success-rate", compare: "base", tolerance: 1 },
      value: 98.5,
      base: 99.2,
      verdict: "pass",
      threshold: { min: 98.2 },
    },
    {
      what: "success worse than the base by more",
      metric: { name: "success-rate", compare: "base", tolerance: 1 },
      value: 97,
      base: 99.2,
      verdict: "fail",
      threshold: { min: 98.2 },
    },
    {
      what: "latency slower than the base by more",
      metric: { name: "latency-p99", compare: "base", tolerance: 50 },
      value: 200,
      base: 100,
      verdict: "fail",
      threshold: { max: 150 },
    },
    {
      what: "custom: both ways",
      metric: { name: "q", query: "x", compare: "base", tolerance: 2 },
      value: 7,
      base: 10,
      verdict: "fail",
      threshold: { min: 8, max: 12 },
    },
    {
      what: "no base data: inconclusive",
      metric: { name: "success-rate", compare: "base" },
      value: 99,
      base: null,
      verdict: "inconclusive",
      threshold: {},
    },
  ] as const)("compare base, $what", ({ metric, value, base, verdict, threshold }) => {
    const r = evaluateMetric(metric as AnalysisMetric, m({ name: metric.name, value, base }), ctx);
    expect(r.verdict).toBe(verdict);
    expect(r.threshold).toEqual(threshold);
  });
  it("says the base and the tolerance", () => {
    const r = evaluateMetric(
      { name: "success-rate", compare: "base", tolerance: 1 },
      m({ value: 97, base: 99.2 }),
      ctx,
    );
    expect(english(r.reason)).toBe(
      "success-rate 97 is worse than the base's 99.2 by more than 1 over 10 s, 412 requests",
    );
  });
});

describe("a run", () => {
  it.each([
    { verdicts: ["pass", "pass"], run: "pass" },
    { verdicts: ["pass", "fail"], run: "fail" },
    { verdicts: ["inconclusive", "fail"], run: "fail" },
    { verdicts: ["pass", "inconclusive"], run: "inconclusive" },
    { verdicts: [], run: "inconclusive" },
  ] as const)("$verdicts -> $run", ({ verdicts, run }) => expect(runVerdict(verdicts)).toBe(run));

  it("a metric without a measurement is inconclusive, never a pass", () => {
    const r = evaluateRun([success, p99], [m({ value: 100 })], ctx);
    expect(r.metrics.map((x) => x.verdict)).toEqual(["pass", "inconclusive"]);
    expect(r.verdict).toBe("inconclusive");
  });
});

describe("decide", () => {
  const limits = { failureLimit: 2, inconclusiveLimit: 3 };
  const run = (v: "pass" | "fail" | "inconclusive"): JudgedRun => ({
    verdict: v,
    metrics: [{ verdict: v, reason: evaluateMetric(success, m({ value: v === "fail" ? 87.24 : 100 }), ctx).reason }],
  });
  const runs = (s: string) => [...s].map((c) => run(c === "P" ? "pass" : c === "F" ? "fail" : "inconclusive"));
  it.each([
    { runs: "", kind: "continue" },
    { runs: "PPP", kind: "continue" },
    { runs: "PF", kind: "continue" },
    { runs: "FPF", kind: "failed" },
    { runs: "FF", kind: "failed" },
    { runs: "III", kind: "notEnoughTraffic" },
    { runs: "IIPII", kind: "continue" },
    { runs: "PIII", kind: "notEnoughTraffic" },
    { runs: "FIII", kind: "notEnoughTraffic" },
    { runs: "FIIF", kind: "failed" },
  ] as const)("$runs -> $kind", ({ runs: r, kind }) => expect(decide(limits, runs(r)).kind).toBe(kind));
  it("a failure says how many and why", () => {
    const d = decide(limits, runs("FF"));
    if (d.kind !== "failed") throw new Error(d.kind);
    expect(english(d.reason)).toBe("analysis failed: 2 failed runs (limit 2)");
    expect(english(d.cause!)).toBe("success rate 87.2% < 99% over 10 s, 412 requests");
  });
  it("not enough traffic is said so", () => {
    const d = decide(limits, runs("III"));
    expect(d.kind === "notEnoughTraffic" && english(d.reason)).toBe(
      "not enough traffic: 3 inconclusive runs in a row (limit 3)",
    );
  });
});

describe("an analysis step whose time is over", () => {
  const limits = { failureLimit: 2, inconclusiveLimit: 3 };
  const runs = (s: string): JudgedRun[] =>
    [...s].map((c) => ({ verdict: c === "P" ? "pass" : c === "F" ? "fail" : "inconclusive", metrics: [] }));
  it.each([
    { runs: "", gate: "wait" },
    { runs: "PPP", gate: "pass" },
    { runs: "FP", gate: "pass" },
    { runs: "PF", gate: "wait" },
    { runs: "FF", gate: "fail" },
    { runs: "PI", gate: "wait" },
    { runs: "III", gate: "wait" },
  ] as const)("$runs -> $gate", ({ runs: r, gate }) => expect(stepGate(limits, runs(r))).toBe(gate));
});

describe("the analysis schema", () => {
  const ok = { metrics: [success] };
  it("fills in the issue's defaults", () => {
    expect(AnalysisSchema.parse(ok)).toEqual({
      interval: "10s",
      failureLimit: 2,
      inconclusiveLimit: 3,
      minRequests: 20,
      background: false,
      metrics: [success],
    });
  });
  it.each([
    { what: "a bad interval", input: { ...ok, interval: "10" }, path: "interval" },
    { what: "an interval under 5 s", input: { ...ok, interval: "2s" }, path: "interval" },
    { what: "a custom metric without query", input: { metrics: [{ name: "x", max: 1 }] }, path: "metrics.0.query" },
    {
      what: "a built-in with a query",
      input: { metrics: [{ name: "success-rate", min: 1, query: "up" }] },
      path: "metrics.0.query",
    },
    { what: "no bound", input: { metrics: [{ name: "success-rate" }] }, path: "metrics.0.min" },
    { what: "min above max", input: { metrics: [{ name: "q", query: "up", min: 2, max: 1 }] }, path: "metrics.0.min" },
    {
      what: "an unknown placeholder",
      input: { metrics: [{ name: "q", query: "up{x='{{pod}}'}", max: 1 }] },
      path: "metrics.0.query",
    },
    {
      what: "tolerance without compare",
      input: { metrics: [{ name: "success-rate", min: 1, tolerance: 1 }] },
      path: "metrics.0.tolerance",
    },
    { what: "the same metric twice", input: { metrics: [success, success] }, path: "metrics.1.name" },
    { what: "no metrics", input: { metrics: [] }, path: "metrics" },
    { what: "an unknown field", input: { ...ok, thresholds: 1 }, path: "" },
  ])("refuses $what at $path", ({ input, path }) => {
    const r = AnalysisSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe("when and over what the analysis measures", () => {
  it.each([
    { interval: "5s", window: 10 },
    { interval: "10s", window: 10 },
    { interval: "1m", window: 60 },
  ])("interval $interval: a window of $window s (at least two scrapes)", ({ interval, window }) =>
    expect(windowSecondsOf({ interval })).toBe(window),
  );
  it.each([
    { background: true, stepState: undefined, want: null },
    { background: false, stepState: undefined, want: undefined },
    { background: false, stepState: { index: 2, kind: "analysis" }, want: 2 },
    { background: true, stepState: { index: 2, kind: "analysis" }, want: 2 },
    { background: false, stepState: { index: 1, kind: "pause" }, want: undefined },
    { background: true, stepState: { index: 1, kind: "pause" }, want: null },
  ])("background $background, step $stepState.kind -> $want", ({ background, stepState, want }) =>
    expect(analysedStep({ background }, { stepState })).toBe(want),
  );
});
