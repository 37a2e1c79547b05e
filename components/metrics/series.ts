// Metrics API response -> chart series, rows and summary values. PURE (unit-tested).
import type { MetricsResponse } from "@/lib/api/contracts";
import type { MetricName } from "@/lib/metrics/version-metrics";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import { compareVersions } from "@/components/routing/version-order";
import { FAILED_BEFORE_VERSION } from "@/components/routing/version-colours";

/** The task's own range (from its start to now) comes first; the others are fixed windows. */
export const TASK_RANGE = "task";
export const RANGES = ["5m", "15m", "1h", "6h"] as const;
export type MetricsRange = (typeof RANGES)[number] | typeof TASK_RANGE;

/** Suffix of the configured-weight key next to a version's observed share in a row. */
export const CONFIGURED = "__configured";
/** Row key of the requests per second that failed at the callers before reaching any version. */
export const FAILED_BEFORE_ANY_VERSION = FAILED_BEFORE_VERSION;

export interface ChartRow {
  /** Unix seconds. */
  t: number;
  [series: string]: number | null;
}

/**
 * One line of a chart. `version` picks its colour and legend text: a version, OTHER_TRAFFIC
 * (a task's other versions, summed) or FAILED_BEFORE_ANY_VERSION.
 */
export interface ChartSeries {
  /** Row key. */
  key: string;
  version: string;
  /** observed: what Prometheus measured; configured: the routing's weight; failed: failed at the callers. */
  kind: "observed" | "configured" | "failed";
}

export interface ChartData {
  series: ChartSeries[];
  rows: ChartRow[];
}

type ChartInput = Pick<MetricsResponse, "versions" | "configured"> &
  Partial<Pick<MetricsResponse, "sourceFailures" | "task">>;

const hasData = (points: readonly (readonly [number, number | null])[] | undefined) =>
  (points ?? []).some(([, v]) => v !== null);

/**
 * The versions a chart of `metric` shows, in legend order. A task's: its base and new version,
 * then "other traffic" only when some other version had any. A service's: every version
 * reported, in version order.
 */
export function chartVersions(m: ChartInput, metric: MetricName): string[] {
  if (m.task) {
    const own = [m.task.baseVersion, m.task.newVersion];
    return hasData(m.versions[OTHER_TRAFFIC]?.series[metric]) ? [...own, OTHER_TRAFFIC] : own;
  }
  return metricVersions(m);
}

export function metricVersions(m: Pick<MetricsResponse, "versions">): string[] {
  return Object.keys(m.versions)
    .filter((v) => v !== OTHER_TRAFFIC)
    .sort(compareVersions);
}

/** Value of a step line at `t`: the last point at or before it, null before the first. */
export function stepValueAt(points: readonly (readonly [number, number])[], t: number): number | null {
  let value: number | null = null;
  for (const [at, v] of points) {
    if (at <= t) value = v;
    else break;
  }
  return value;
}

/**
 * The lines of one chart: each shown version's observed value; for "share" also the
 * configured weight of each version that has one (a version never given a weight gets no
 * "configured" line, nor a legend entry); for "rps" the requests that failed before reaching
 * any version, when there were some.
 */
export function chartSeries(m: ChartInput, metric: MetricName): ChartSeries[] {
  const out: ChartSeries[] = [];
  for (const v of chartVersions(m, metric)) {
    out.push({ key: v, version: v, kind: "observed" });
    if (metric === "share" && v !== OTHER_TRAFFIC && (m.configured[v]?.length ?? 0) > 0)
      out.push({ key: `${v}${CONFIGURED}`, version: v, kind: "configured" });
  }
  if (metric === "rps" && hasFailuresBeforeAnyVersion(m))
    out.push({ key: FAILED_BEFORE_ANY_VERSION, version: FAILED_BEFORE_ANY_VERSION, kind: "failed" });
  return out;
}

function pointsOf(m: ChartInput, metric: MetricName, s: ChartSeries): Map<number, number | null> | null {
  if (s.kind === "observed") return new Map(m.versions[s.version]?.series[metric] ?? []);
  if (s.kind === "failed") return new Map(m.sourceFailures?.beforeAnyVersion.series ?? []);
  return null;
}

/** The series of `chartSeries` laid on one time grid: a row per time, null where nothing was measured. */
export function chartData(m: ChartInput, metric: MetricName): ChartData {
  const series = chartSeries(m, metric);
  const lookups = series.map((s) => ({ s, points: pointsOf(m, metric, s) }));
  const times = new Set<number>();
  for (const { points } of lookups) for (const t of points?.keys() ?? []) times.add(t);
  const rows = [...times]
    .sort((a, b) => a - b)
    .map((t) => {
      const row: ChartRow = { t };
      for (const { s, points } of lookups) {
        const configured = m.configured[s.version];
        row[s.key] = points ? (points.get(t) ?? null) : configured ? stepValueAt(configured, t) : null;
      }
      return row;
    });
  return { series, rows };
}

/** The largest value any of the rows holds (0 when none): the top of a value axis. */
export function maxValue(data: ChartData): number {
  let max = 0;
  for (const row of data.rows) for (const s of data.series) max = Math.max(max, row[s.key] ?? 0);
  return max;
}

/** The summary's rows in version order, "other traffic" last. */
export function summaryVersions<T>(versions: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(versions).sort(
    ([a], [b]) => Number(a === OTHER_TRAFFIC) - Number(b === OTHER_TRAFFIC) || compareVersions(a, b),
  );
}

/** Observed share per version in the summary window (versions without requests are left out). */
export function observedShares(m: Pick<MetricsResponse, "summary">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [v, c] of Object.entries(m.summary.versions))
    if (c.percent !== null) out[v] = Math.round(c.percent * 10) / 10;
  return out;
}

/** "12m 5s" style length of the summary window. */
export function windowLabel(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  if (m < 60) return s === 0 ? `${m}m` : `${m}m ${s}s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
}

/** True when some point of the range had requests failing before they reached any version. */
export function hasFailuresBeforeAnyVersion(m: Partial<Pick<MetricsResponse, "sourceFailures">>): boolean {
  return (m.sourceFailures?.beforeAnyVersion.series ?? []).some(([, v]) => v !== null && v > 0);
}

/** Envoy flags with a message of their own; any other flag is shown by name. */
export const KNOWN_REASONS = [
  "UH",
  "NR",
  "NC",
  "FI",
  "UT",
  "URX",
  "UF",
  "UO",
  "UC",
  "UR",
  "LR",
  "DC",
  "RL",
  "LH",
  "UAEX",
] as const;

/**
 * Failure counts by Envoy response_flags ("UH", "DI,FI") -> one entry per failure flag, most
 * frequent first. "DI" (a delay) is never the reason a request failed, so it is dropped.
 */
export function failureReasons(reasons: Readonly<Record<string, number>>): { flag: string; count: number }[] {
  const byFlag = new Map<string, number>();
  for (const [flags, n] of Object.entries(reasons)) {
    const parts = flags.split(",").filter((f) => f !== "DI" && f !== "-" && f !== "");
    for (const f of parts.length > 0 ? parts : [flags]) byFlag.set(f, (byFlag.get(f) ?? 0) + n);
  }
  return [...byFlag.entries()]
    .map(([flag, count]) => ({ flag, count }))
    .sort((a, b) => b.count - a.count || a.flag.localeCompare(b.flag));
}

/**
 * Why requests failed before reaching a version over the chart's range, one Envoy flag each
 * (combined flags split, the delay flag dropped), most failures first; the flags seen now when
 * the range named none.
 */
export function failedFlags(m: Partial<Pick<MetricsResponse, "sourceFailures">>): string[] {
  const f = m.sourceFailures?.beforeAnyVersion;
  if (!f) return [];
  const source = f.rangeFlags.length > 0 ? f.rangeFlags : failureReasons(f.reasons).map((r) => r.flag);
  return [...new Set(source.flatMap((flags) => flags.split(",")).filter((x) => x !== "" && x !== "DI" && x !== "-"))];
}
