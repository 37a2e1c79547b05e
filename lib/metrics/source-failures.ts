// PURE: the failures callers' proxies reported for a service (reporter="source", see
// sourceFailureRps in ./promql.ts), split the way Istio's labels allow:
//  - by version, where an endpoint was picked and its revision is known
//    (destination_canonical_revision, e.g. a timeout UT or retries exhausted URX);
//  - "before any version" otherwise: Istio writes destination_canonical_revision="latest" (and
//    "unknown" workload/version) when no upstream host answered (UH, NR, NC, FI), so these
//    failures belong to the service, not to a version. Guessing a version from the configured
//    weights would be a story the metrics do not tell.
import type { InstantSeries, RangeSeries, SamplePoint } from "./prometheus";

/** Revisions Istio writes when no upstream peer identified itself. */
const NO_REVISION = new Set(["latest", "unknown", ""]);

export interface FailureSeries {
  /** Failed requests per second on the shared time grid (null where Prometheus had nothing). */
  series: SamplePoint[];
  /** Failed requests per second now (irate), null when none. */
  current: number | null;
  /** Failed requests per second now, by Envoy response flags ("UH", "NR", "DI,FI", ...). */
  reasons: Record<string, number>;
  /** The response flags seen over the range, most failures first: why the series exists. */
  rangeFlags: string[];
}

export interface SourceFailures {
  /** Keyed by destination_canonical_revision (the version label, as Istio's injector derives it). */
  byVersion: Record<string, FailureSeries>;
  /** Failed before reaching any version: no healthy upstream, no route, no cluster, fault abort. */
  beforeAnyVersion: FailureSeries;
}

export interface FailureCount {
  requests: number;
  /** Whole requests by Envoy response flags. */
  reasons: Record<string, number>;
}

export interface FailureCounts {
  total: number;
  byVersion: Record<string, FailureCount>;
  beforeAnyVersion: FailureCount;
}

/** Where a source-reported failure belongs: a version, or null for "before any version". */
export function failureVersion(labels: Record<string, string>): string | null {
  const rev = labels.destination_canonical_revision ?? "";
  return NO_REVISION.has(rev) ? null : rev;
}

const keyOf = (labels: Record<string, string>) => failureVersion(labels) ?? "";
const flagsOf = (labels: Record<string, string>) => labels.response_flags ?? "-";
const ms = (t: number) => Math.round(t * 1000);

function emptySeries(timestamps: readonly number[]): FailureSeries {
  return { series: timestamps.map((t): SamplePoint => [t, null]), current: null, reasons: {}, rangeFlags: [] };
}

/** Sums range series (all flags of one version) onto the grid. */
function sumOnGrid(timestamps: readonly number[], series: readonly RangeSeries[]): SamplePoint[] {
  const byTime = new Map<number, number>();
  for (const s of series)
    for (const [t, v] of s.points) if (v !== null) byTime.set(ms(t), (byTime.get(ms(t)) ?? 0) + v);
  return timestamps.map((t): SamplePoint => [t, byTime.has(ms(t)) ? (byTime.get(ms(t)) as number) : null]);
}

/** Response flags of the range series, by their summed rate, largest first. */
function flagsByVolume(series: readonly RangeSeries[]): string[] {
  const volume = new Map<string, number>();
  for (const s of series) {
    const sum = s.points.reduce((acc, [, v]) => acc + (v ?? 0), 0);
    if (sum > 0) volume.set(flagsOf(s.labels), (volume.get(flagsOf(s.labels)) ?? 0) + sum);
  }
  return [...volume.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([flags]) => flags);
}

function groupBy<T extends { labels: Record<string, string> }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = keyOf(it.labels);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

function currentOf(now: readonly InstantSeries[]): Pick<FailureSeries, "current" | "reasons"> {
  const reasons: Record<string, number> = {};
  for (const s of now) {
    const v = s.point[1];
    if (v !== null && v > 0) reasons[flagsOf(s.labels)] = (reasons[flagsOf(s.labels)] ?? 0) + v;
  }
  const total = Object.values(reasons).reduce((a, b) => a + b, 0);
  return { current: total > 0 ? total : null, reasons };
}

/** Range (rate) and now (irate) answers of sourceFailureRps -> series per version and before any version. */
export function assembleSourceFailures(
  timestamps: readonly number[],
  range: readonly RangeSeries[],
  now: readonly InstantSeries[],
): SourceFailures {
  const rangeBy = groupBy(range);
  const nowBy = groupBy(now);
  const build = (k: string): FailureSeries => {
    const r = rangeBy.get(k);
    return {
      ...emptySeries(timestamps),
      ...(r ? { series: sumOnGrid(timestamps, r), rangeFlags: flagsByVolume(r) } : {}),
      ...currentOf(nowBy.get(k) ?? []),
    };
  };
  const byVersion: Record<string, FailureSeries> = {};
  for (const k of [...new Set([...rangeBy.keys(), ...nowBy.keys()])].sort()) if (k !== "") byVersion[k] = build(k);
  return { byVersion, beforeAnyVersion: build("") };
}

/** sourceFailuresSince's answer (increase, fractional) -> whole requests per version and reason. */
export function assembleFailureCounts(
  series: readonly { labels: Record<string, string>; value: number | null }[],
): FailureCounts {
  const out: FailureCounts = { total: 0, byVersion: {}, beforeAnyVersion: { requests: 0, reasons: {} } };
  for (const s of series) {
    const n = Math.round(s.value ?? 0);
    if (n <= 0) continue;
    const v = failureVersion(s.labels);
    if (v !== null) out.byVersion[v] ??= { requests: 0, reasons: {} };
    const bucket = v === null ? out.beforeAnyVersion : out.byVersion[v]!;
    bucket.requests += n;
    bucket.reasons[flagsOf(s.labels)] = (bucket.reasons[flagsOf(s.labels)] ?? 0) + n;
    out.total += n;
  }
  return out;
}

/** True when callers are failing on this service right now. */
export function failingNow(f: SourceFailures): boolean {
  return f.beforeAnyVersion.current !== null || Object.values(f.byVersion).some((x) => x.current !== null);
}
