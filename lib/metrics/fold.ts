// PURE: a task's charts show its own versions and fold every other version of the service
// into one "other traffic" series. The destination-side queries fold in PromQL (ServiceRef.fold
// in ./promql.ts); the callers' failures, already split by version, are folded here.
import type { FailureCount, FailureCounts, FailureSeries, SourceFailures } from "./source-failures";
import type { SamplePoint } from "./prometheus";

/**
 * The version key of the folded series. Not a valid Kubernetes label value (it starts with
 * "_"), so no real version can be called this.
 */
export const OTHER_TRAFFIC = "__other__";

function addSeries(a: readonly SamplePoint[], b: readonly SamplePoint[]): SamplePoint[] {
  return a.map(([t, x], i) => {
    const y = b[i]?.[1] ?? null;
    return [t, x === null && y === null ? null : (x ?? 0) + (y ?? 0)];
  });
}

function addReasons(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out = { ...a };
  for (const [flag, n] of Object.entries(b)) out[flag] = (out[flag] ?? 0) + n;
  return out;
}

function addFailureSeries(a: FailureSeries, b: FailureSeries): FailureSeries {
  const current = a.current === null && b.current === null ? null : (a.current ?? 0) + (b.current ?? 0);
  return {
    series: addSeries(a.series, b.series),
    current,
    reasons: addReasons(a.reasons, b.reasons),
    rangeFlags: mergeFlags(a.rangeFlags, b.rangeFlags),
  };
}

function mergeFlags(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/** Failures by version -> the kept versions as they are, all others summed under OTHER_TRAFFIC. */
export function foldSourceFailures(f: SourceFailures, keep: readonly string[]): SourceFailures {
  const byVersion: Record<string, FailureSeries> = {};
  for (const [v, s] of Object.entries(f.byVersion)) {
    const k = keep.includes(v) ? v : OTHER_TRAFFIC;
    byVersion[k] = byVersion[k] ? addFailureSeries(byVersion[k], s) : s;
  }
  return { byVersion, beforeAnyVersion: f.beforeAnyVersion };
}

function addCount(a: FailureCount | undefined, b: FailureCount): FailureCount {
  return a ? { requests: a.requests + b.requests, reasons: addReasons(a.reasons, b.reasons) } : b;
}

/** Failure counts by version, folded the same way. */
export function foldFailureCounts(c: FailureCounts, keep: readonly string[]): FailureCounts {
  const byVersion: Record<string, FailureCount> = {};
  for (const [v, n] of Object.entries(c.byVersion)) {
    const k = keep.includes(v) ? v : OTHER_TRAFFIC;
    byVersion[k] = addCount(byVersion[k], n);
  }
  return { ...c, byVersion };
}
