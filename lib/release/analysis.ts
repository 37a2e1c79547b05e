// Metric analysis, PURE: the verdict of one measurement against its threshold, of one run (all
// metrics), and what the runs so far decide. Fewer requests than minRequests, or no data, is
// inconclusive: a measurement that could not be made is never a pass. Reasons are catalog keys
// with their numbers ("success rate 87.2% < 99% over 10 s, 412 requests").
import { localized, type Localized } from "@/lib/i18n/localized";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { durationSeconds, type Analysis, type AnalysisMetric } from "./analysis-schema";

export const VERDICTS = ["pass", "fail", "inconclusive"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What a run measured for one metric of the new version (and of the base, for compare: "base"). */
export interface Measurement {
  name: string;
  /** null: Prometheus had no data (no series, or 0/0). */
  value: number | null;
  /** Requests to the new version over the window (both reporters). */
  requests: number;
  base?: number | null;
  /** Prometheus could not be asked (its message). */
  error?: string;
}

/** The bounds the value was held to (fixed, or the base's value with its tolerance). */
export interface Threshold {
  min?: number;
  max?: number;
}

export interface MetricResult {
  name: string;
  value: number | null;
  threshold: Threshold;
  verdict: Verdict;
  requests: number;
  reason: Localized;
}

export interface RunResult {
  verdict: Verdict;
  metrics: MetricResult[];
}

export interface RunContext {
  minRequests: number;
  windowSeconds: number;
  version: string;
}

/** Higher is better for a success rate, lower for a latency; a custom metric says it by its bounds. */
function thresholdOf(metric: AnalysisMetric, base: number | null | undefined): Threshold | null {
  if (metric.compare !== "base") return { min: metric.min, max: metric.max };
  if (base === null || base === undefined) return null;
  const t = metric.tolerance ?? 0;
  if (metric.name === "success-rate") return { min: base - t };
  if (metric.name === "latency-p99") return { max: base + t };
  return { min: base - t, max: base + t };
}

function within(value: number, t: Threshold): boolean {
  return (t.min === undefined || value >= t.min) && (t.max === undefined || value <= t.max);
}

/** 87.2 for a percentage, 512 for milliseconds, up to 4 significant digits otherwise. */
export function roundFor(name: string, v: number): number {
  if (name === "success-rate") return Math.round(v * 10) / 10;
  if (name === "latency-p99") return Math.round(v);
  return Number(v.toPrecision(4));
}

function rangeText(name: string, t: Threshold): string {
  const r = (v: number) => String(roundFor(name, v));
  if (t.min !== undefined && t.max !== undefined) return `[${r(t.min)}, ${r(t.max)}]`;
  return t.min !== undefined ? `>= ${r(t.min)}` : `<= ${r(t.max as number)}`;
}

const REASON: Record<"success-rate" | "latency-p99" | "custom", Record<"pass" | "fail", ErrorKey>> = {
  "success-rate": { pass: "err.analysis.reason.successRate.pass", fail: "err.analysis.reason.successRate.fail" },
  "latency-p99": { pass: "err.analysis.reason.latency.pass", fail: "err.analysis.reason.latency.fail" },
  custom: { pass: "err.analysis.reason.custom.pass", fail: "err.analysis.reason.custom.fail" },
};

function judgedReason(
  metric: AnalysisMetric,
  value: number,
  t: Threshold,
  verdict: "pass" | "fail",
  m: Measurement,
  ctx: RunContext,
): Localized {
  const kind = metric.name === "success-rate" || metric.name === "latency-p99" ? metric.name : "custom";
  const bound = kind === "success-rate" ? t.min : kind === "latency-p99" ? t.max : undefined;
  const params = {
    name: metric.name,
    value: roundFor(metric.name, value),
    threshold: bound === undefined ? rangeText(metric.name, t) : roundFor(metric.name, bound),
    range: rangeText(metric.name, t),
    window: ctx.windowSeconds,
    requests: m.requests,
  };
  if (metric.compare === "base" && m.base !== null && m.base !== undefined)
    return localized(verdict === "pass" ? "err.analysis.reason.compare.pass" : "err.analysis.reason.compare.fail", {
      ...params,
      base: roundFor(metric.name, m.base),
      tolerance: metric.tolerance ?? 0,
    });
  return localized(REASON[kind][verdict], params);
}

/** One metric's verdict: inconclusive without data or enough requests, else within its bounds or not. */
export function evaluateMetric(metric: AnalysisMetric, m: Measurement, ctx: RunContext): MetricResult {
  const threshold = thresholdOf(metric, m.base) ?? {};
  const result = (verdict: Verdict, reason: Localized): MetricResult => ({
    name: metric.name,
    value: m.value === null ? null : roundFor(metric.name, m.value),
    threshold,
    verdict,
    requests: m.requests,
    reason,
  });
  const window = ctx.windowSeconds;
  if (m.error !== undefined)
    return result("inconclusive", localized("err.analysis.reason.unavailable", { name: metric.name, reason: m.error }));
  if (m.requests < ctx.minRequests)
    return result(
      "inconclusive",
      localized("err.analysis.reason.fewRequests", {
        requests: m.requests,
        version: ctx.version,
        window,
        min: ctx.minRequests,
      }),
    );
  if (m.value === null)
    return result("inconclusive", localized("err.analysis.reason.noData", { name: metric.name, window }));
  if (metric.compare === "base" && (m.base === null || m.base === undefined))
    return result("inconclusive", localized("err.analysis.reason.noBase", { name: metric.name, window }));
  const verdict = within(m.value, threshold) ? "pass" : "fail";
  return result(verdict, judgedReason(metric, m.value, threshold, verdict, m, ctx));
}

/** A run fails if any metric failed, is inconclusive if any could not be judged, passes otherwise. */
export function runVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes("fail")) return "fail";
  if (verdicts.length === 0 || verdicts.includes("inconclusive")) return "inconclusive";
  return "pass";
}

export function evaluateRun(
  metrics: readonly AnalysisMetric[],
  measurements: readonly Measurement[],
  ctx: RunContext,
): RunResult {
  const results = metrics.map((metric) => {
    const m = measurements.find((x) => x.name === metric.name) ?? { name: metric.name, value: null, requests: 0 };
    return evaluateMetric(metric, m, ctx);
  });
  return { verdict: runVerdict(results.map((r) => r.verdict)), metrics: results };
}

export type Decision =
  | { kind: "continue"; failures: number; inconclusiveInARow: number }
  | { kind: "failed"; failures: number; reason: Localized; cause?: Localized }
  | { kind: "notEnoughTraffic"; inconclusiveInARow: number; reason: Localized };

export interface JudgedRun {
  verdict: Verdict;
  metrics: readonly Pick<MetricResult, "verdict" | "reason">[];
}

/**
 * What the runs of the current analysis (oldest first) decide: failureLimit failed runs (in
 * all, as Flagger's threshold and Argo Rollouts' failureLimit count them) -> failed;
 * inconclusiveLimit inconclusive runs in a row -> not enough traffic; else go on.
 */
export function decide(
  analysis: Pick<Analysis, "failureLimit" | "inconclusiveLimit">,
  runs: readonly JudgedRun[],
): Decision {
  const failed = runs.filter((r) => r.verdict === "fail");
  if (failed.length >= analysis.failureLimit) {
    const last = failed.at(-1)!;
    const why = last.metrics.find((m) => m.verdict === "fail")?.reason;
    return {
      kind: "failed",
      failures: failed.length,
      reason: localized("err.analysis.decision.failed", { failures: failed.length, limit: analysis.failureLimit }),
      ...(why ? { cause: why } : {}),
    };
  }
  let inARow = 0;
  for (let i = runs.length - 1; i >= 0 && runs[i]!.verdict === "inconclusive"; i--) inARow++;
  if (inARow >= analysis.inconclusiveLimit)
    return {
      kind: "notEnoughTraffic",
      inconclusiveInARow: inARow,
      reason: localized("err.analysis.decision.notEnoughTraffic", { count: inARow, limit: analysis.inconclusiveLimit }),
    };
  return { kind: "continue", failures: failed.length, inconclusiveInARow: inARow };
}

/** What an analysis step whose time is over may do: go on, wait for a verdict, or leave it to onFailure. */
export type StepGate = "pass" | "wait" | "fail";

/**
 * The verdict of an analysis step from the runs made during it (oldest first): failed as the
 * analysis decides it (the runner rolls back or pauses), passed when nothing failed it and its
 * latest run passed, else wait (no run yet, or the latest could not judge).
 */
export function stepGate(
  analysis: Pick<Analysis, "failureLimit" | "inconclusiveLimit">,
  runs: readonly JudgedRun[],
): StepGate {
  const decision = decide(analysis, runs);
  if (decision.kind === "failed") return "fail";
  return decision.kind === "continue" && runs.at(-1)?.verdict === "pass" ? "pass" : "wait";
}

/** Two of Prometheus' 5 s scrapes: increase() and histogram_quantile() need two samples in the window. */
export const MIN_WINDOW_SECONDS = 10;

/** The window a run measures: the interval, at least two scrapes. */
export function windowSecondsOf(analysis: Pick<Analysis, "interval">): number {
  return Math.max(durationSeconds(analysis.interval), MIN_WINDOW_SECONDS);
}

/** The step state the release steps keep in the status (lib/release/steps.ts, when present). */
interface StepStateLike {
  index: number;
  kind: string;
}

/** The step the analysis runs for now: its index, null in the background, undefined when it does not run. */
export function analysedStep(analysis: Pick<Analysis, "background">, status: object): number | null | undefined {
  const step = (status as { stepState?: StepStateLike | null }).stepState;
  if (step?.kind === "analysis") return step.index;
  return analysis.background ? null : undefined;
}
