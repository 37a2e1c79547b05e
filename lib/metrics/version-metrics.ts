// Per-version live traffic of one service (rps, share, success rate, latency quantiles) as
// time series plus "now" values, and the gray-vs-main request summary since a point in time.
// Free of next/prisma: the HTTP routes and the task's configured-weight history live elsewhere.
//
// "No traffic" is a state of its own (noTraffic: true, values null), never 0% or NaN — the
// dashboard must not claim a canary has a 0% success rate because nobody called it. Nor is a
// service whose callers are failing (reporter="source": no healthy upstream, no route...) ever
// "no traffic": those failures come with it (./source-failures.ts).
import { PrometheusClient, type InstantSeries, type RangeSeries, type SamplePoint } from "./prometheus";
import {
  errorsSince,
  latencyQuantileByVersion,
  requestsSince,
  rpsByVersion,
  shareByVersion,
  sourceFailureRps,
  sourceFailuresSince,
  successRateByVersion,
  type ServiceRef,
} from "./promql";
import {
  assembleFailureCounts,
  assembleSourceFailures,
  failingNow,
  type FailureCounts,
  type SourceFailures,
} from "./source-failures";
import { foldFailureCounts, foldSourceFailures } from "./fold";

export const METRIC_NAMES = ["rps", "share", "successRate", "p50Ms", "p90Ms", "p99Ms"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricValues<T> = Record<MetricName, T>;

export interface VersionSeries {
  /** Points on the shared time grid ([unix seconds, value|null]); share and successRate are percent. */
  series: MetricValues<SamplePoint[]>;
  /** Values at the end of the range (null = no data). */
  current: MetricValues<number | null>;
}

export interface VersionMetrics {
  /** Unix seconds, both ends included in the grid. */
  range: { start: number; end: number };
  step: number;
  versions: Record<string, VersionSeries>;
  /** Failures the callers' proxies reported (reporter="source"), by version or before any version. */
  sourceFailures: SourceFailures;
  /**
   * True when nothing happens to the service now: no version answered (every `current` value
   * is then null) and no caller is failing on it.
   */
  noTraffic: boolean;
}

export interface VersionMetricsParams {
  namespace: string;
  service: string;
  /** The service's per-version Services, reported as the destination on the Gateway API backend (promql.ts ServiceRef). */
  aliases?: readonly string[];
  rangeSeconds: number;
  stepSeconds: number;
  /** Default: the current time. */
  now?: Date;
  /** Default: PROMETHEUS_URL or http://127.0.0.1:9090. */
  prometheusUrl?: string;
  rateWindowSeconds?: number;
  /** Versions to report even without any traffic (e.g. the task's stable and canary). */
  versions?: readonly string[];
  /** Keep these versions and fold every other one into OTHER_TRAFFIC (a task's view). */
  fold?: readonly string[];
  timeoutMs?: number;
}

/** Prometheus refuses range queries over 11,000 points per series. */
const MAX_POINTS = 11_000;

/**
 * The time grid: `end` is `now` aligned down to the step (so consecutive polls share
 * timestamps and charts do not jitter), `start` is a whole number of steps before it.
 */
export function timeGrid(
  nowSeconds: number,
  rangeSeconds: number,
  stepSeconds: number,
): { start: number; end: number; timestamps: number[] } {
  if (!Number.isInteger(stepSeconds) || stepSeconds <= 0)
    throw new RangeError(`stepSeconds must be a positive integer (got ${stepSeconds})`);
  if (!Number.isInteger(rangeSeconds) || rangeSeconds < 0)
    throw new RangeError(`rangeSeconds must be a non-negative integer (got ${rangeSeconds})`);
  const steps = Math.floor(rangeSeconds / stepSeconds);
  if (steps + 1 > MAX_POINTS)
    throw new RangeError(
      `${steps + 1} points per series is more than Prometheus allows (${MAX_POINTS}); use a larger step`,
    );
  const end = Math.floor(nowSeconds / stepSeconds) * stepSeconds;
  const start = end - steps * stepSeconds;
  const timestamps = Array.from({ length: steps + 1 }, (_, i) => start + i * stepSeconds);
  return { start, end, timestamps };
}

function versionOf(labels: Record<string, string>): string {
  return labels.destination_version ?? "unknown";
}

/** Milliseconds as the join key: Prometheus timestamps are float seconds. */
const key = (t: number) => Math.round(t * 1000);

/**
 * PURE: lays Prometheus range results onto the grid, one entry per version. A version that
 * appears in any metric (or in `knownVersions`) gets every metric, with null where absent.
 */
/** Instant values at the real "now" (irate) that replace the range's last point for rps and share. */
export interface NowValues {
  rps: InstantSeries[];
  share: InstantSeries[];
}

export function assembleVersionMetrics(
  grid: { start: number; end: number; timestamps: number[] },
  step: number,
  results: MetricValues<RangeSeries[]>,
  knownVersions: readonly string[] = [],
  now?: NowValues,
  sourceFailures: SourceFailures = assembleSourceFailures(grid.timestamps, [], []),
): VersionMetrics {
  const names = new Set<string>(knownVersions);
  for (const m of METRIC_NAMES) for (const s of results[m]) names.add(versionOf(s.labels));

  const lookup = {} as MetricValues<Map<string, Map<number, number | null>>>;
  for (const m of METRIC_NAMES) {
    const byVersion = new Map<string, Map<number, number | null>>();
    for (const s of results[m]) {
      const points = byVersion.get(versionOf(s.labels)) ?? new Map<number, number | null>();
      for (const [t, v] of s.points) points.set(key(t), v);
      byVersion.set(versionOf(s.labels), points);
    }
    lookup[m] = byVersion;
  }

  const versions: Record<string, VersionSeries> = {};
  for (const v of [...names].sort()) {
    const series = {} as MetricValues<SamplePoint[]>;
    const current = {} as MetricValues<number | null>;
    for (const m of METRIC_NAMES) {
      const points = lookup[m].get(v);
      series[m] = grid.timestamps.map((t): SamplePoint => [t, points?.get(key(t)) ?? null]);
      current[m] = points?.get(key(grid.end)) ?? null;
    }
    if (now) {
      // Headline numbers: the freshest samples, not the step-aligned end of a 30 s window.
      current.rps = now.rps.find((x) => versionOf(x.labels) === v)?.point[1] ?? null;
      current.share = now.share.find((x) => versionOf(x.labels) === v)?.point[1] ?? null;
    }
    versions[v] = { series, current };
  }

  const totalNow = Object.values(versions).reduce((sum, x) => sum + (x.current.rps ?? 0), 0);
  const answeredNow = totalNow > 0;
  if (!answeredNow) {
    for (const x of Object.values(versions)) for (const m of METRIC_NAMES) x.current[m] = null;
  }
  return {
    range: { start: grid.start, end: grid.end },
    step,
    versions,
    sourceFailures,
    noTraffic: !answeredNow && !failingNow(sourceFailures),
  };
}

export async function getVersionMetrics(p: VersionMetricsParams): Promise<VersionMetrics> {
  const client = new PrometheusClient({ baseUrl: p.prometheusUrl, timeoutMs: p.timeoutMs });
  const ref: ServiceRef = {
    namespace: p.namespace,
    service: p.service,
    fold: p.fold,
    ...(p.aliases ? { aliases: p.aliases } : {}),
  };
  const opts = { rateWindowSeconds: p.rateWindowSeconds };
  const grid = timeGrid((p.now ?? new Date()).getTime() / 1000, p.rangeSeconds, p.stepSeconds);
  const queries: MetricValues<string> = {
    rps: rpsByVersion(ref, opts),
    share: shareByVersion(ref, opts),
    successRate: successRateByVersion(ref, opts),
    p50Ms: latencyQuantileByVersion(ref, 0.5, opts),
    p90Ms: latencyQuantileByVersion(ref, 0.9, opts),
    p99Ms: latencyQuantileByVersion(ref, 0.99, opts),
  };
  const range = { start: grid.start, end: grid.end, stepSeconds: p.stepSeconds };
  // irate over a lookback of 4 scrapes of Istio's default 15 s interval: it uses only the last two samples.
  const nowOpts = { rateWindowSeconds: 60, instantaneous: true };
  const nowAt = (p.now ?? new Date()).getTime() / 1000;
  const [answers, rpsNow, shareNow, failuresRange, failuresNow] = await Promise.all([
    Promise.all(METRIC_NAMES.map((m) => client.queryRange(queries[m], range))),
    client.query(rpsByVersion(ref, nowOpts), nowAt),
    client.query(shareByVersion(ref, nowOpts), nowAt),
    client.queryRange(sourceFailureRps(ref, opts), range),
    client.query(sourceFailureRps(ref, nowOpts), nowAt),
  ]);
  const results = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, answers[i] ?? []])) as MetricValues<RangeSeries[]>;
  const assembled = assembleSourceFailures(grid.timestamps, failuresRange, failuresNow);
  const failures = p.fold ? foldSourceFailures(assembled, p.fold) : assembled;
  return assembleVersionMetrics(
    grid,
    p.stepSeconds,
    results,
    p.versions ?? [],
    { rps: rpsNow, share: shareNow },
    failures,
  );
}

// ---------------------------------------------------------------- gray vs main summary

export interface VersionCount {
  requests: number;
  errors: number;
  /** Share of all requests in the window, percent; null when there were none. */
  percent: number | null;
  /** 5xx / requests of this version, percent; null when it had none. */
  errorPercent: number | null;
}

export interface TrafficSummary {
  sinceSeconds: number;
  /** Unix seconds the window ends at. */
  at: number;
  total: number;
  versions: Record<string, VersionCount>;
  /** Failed requests the callers' proxies reported in the window (not in `total`, which counts answers). */
  failures: FailureCounts;
  /** No version answered and no caller failed in the window. */
  noTraffic: boolean;
}

export interface SummarizeParams {
  namespace: string;
  service: string;
  aliases?: readonly string[];
  sinceSeconds: number;
  now?: Date;
  prometheusUrl?: string;
  versions?: readonly string[];
  /** As VersionMetricsParams.fold. */
  fold?: readonly string[];
  timeoutMs?: number;
}

/**
 * PURE: requests/errors per version (from `increase`, so fractional from extrapolation) ->
 * whole counts and percentages of the total.
 */
export function assembleSummary(
  sinceSeconds: number,
  at: number,
  requests: { labels: Record<string, string>; value: number | null }[],
  errors: { labels: Record<string, string>; value: number | null }[],
  knownVersions: readonly string[] = [],
  failures: FailureCounts = assembleFailureCounts([]),
): TrafficSummary {
  const req = new Map<string, number>();
  const err = new Map<string, number>();
  for (const v of knownVersions) req.set(v, 0);
  for (const r of requests)
    req.set(versionOf(r.labels), (req.get(versionOf(r.labels)) ?? 0) + Math.round(r.value ?? 0));
  for (const e of errors) err.set(versionOf(e.labels), (err.get(versionOf(e.labels)) ?? 0) + Math.round(e.value ?? 0));
  for (const v of err.keys()) if (!req.has(v)) req.set(v, 0);
  const total = [...req.values()].reduce((a, b) => a + b, 0);
  const versions: Record<string, VersionCount> = {};
  for (const v of [...req.keys()].sort()) {
    const requests = req.get(v) ?? 0;
    const errors = Math.min(err.get(v) ?? 0, requests);
    versions[v] = {
      requests,
      errors,
      percent: total > 0 ? (requests / total) * 100 : null,
      errorPercent: requests > 0 ? (errors / requests) * 100 : null,
    };
  }
  return { sinceSeconds, at, total, versions, failures, noTraffic: total === 0 && failures.total === 0 };
}

export async function summarizeSince(p: SummarizeParams): Promise<TrafficSummary> {
  const client = new PrometheusClient({ baseUrl: p.prometheusUrl, timeoutMs: p.timeoutMs });
  const ref: ServiceRef = {
    namespace: p.namespace,
    service: p.service,
    fold: p.fold,
    ...(p.aliases ? { aliases: p.aliases } : {}),
  };
  const since = Math.max(1, Math.ceil(p.sinceSeconds));
  const at = (p.now ?? new Date()).getTime() / 1000;
  const [requests, errors, failed] = await Promise.all([
    client.query(requestsSince(ref, since), at),
    client.query(errorsSince(ref, since), at),
    client.query(sourceFailuresSince(ref, since), at),
  ]);
  const flat = (xs: typeof requests) => xs.map((s) => ({ labels: s.labels, value: s.point[1] }));
  const counts = assembleFailureCounts(flat(failed));
  return assembleSummary(
    since,
    at,
    flat(requests),
    flat(errors),
    p.versions ?? [],
    p.fold ? foldFailureCounts(counts, p.fold) : counts,
  );
}
