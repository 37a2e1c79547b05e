// Metrics API response -> chart rows and summary values. PURE (unit-tested).
import type { MetricsResponse } from "@/lib/api/contracts";
import type { MetricName } from "@/lib/metrics/version-metrics";
import { compareVersions } from "@/components/routing/segments";

export const RANGES = ["5m", "15m", "1h", "6h"] as const;
export type MetricsRange = (typeof RANGES)[number];

/** Suffix of the configured-weight key next to a version's observed share in a row. */
export const CONFIGURED = "__configured";
/** Row key of the requests per second that failed at the callers before reaching any version. */
export const FAILED_BEFORE_ANY_VERSION = "__failedBeforeAnyVersion";

export interface ChartRow {
  /** Unix seconds. */
  t: number;
  [series: string]: number | null;
}

export function metricVersions(m: Pick<MetricsResponse, "versions">): string[] {
  return Object.keys(m.versions).sort(compareVersions);
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
 * One row per time on the grid with each version's value of `metric`; for "share" also the
 * configured weight as `<version>__configured`, so observed and intended can be drawn together.
 */
export function metricRows(m: Pick<MetricsResponse, "versions" | "configured"> & Partial<Pick<MetricsResponse, "sourceFailures">>, metric: MetricName): ChartRow[] {
  const versions = metricVersions(m);
  const times = new Set<number>();
  for (const v of versions) for (const [t] of m.versions[v]?.series[metric] ?? []) times.add(t);
  // Requests that failed before any version are requests too: drawn next to the versions' rps.
  const failed = metric === "rps" && hasFailuresBeforeAnyVersion(m) ? new Map(m.sourceFailures!.beforeAnyVersion.series) : null;
  for (const t of failed?.keys() ?? []) times.add(t);
  const byVersion = new Map(versions.map((v) => [v, new Map((m.versions[v]?.series[metric] ?? []).map(([t, y]) => [t, y]))]));
  return [...times]
    .sort((a, b) => a - b)
    .map((t) => {
      const row: ChartRow = { t };
      for (const v of versions) {
        row[v] = byVersion.get(v)?.get(t) ?? null;
        if (metric === "share") {
          const configured = m.configured[v];
          row[`${v}${CONFIGURED}`] = configured ? stepValueAt(configured, t) : null;
        }
      }
      if (failed) row[FAILED_BEFORE_ANY_VERSION] = failed.get(t) ?? null;
      return row;
    });
}

/** Observed share per version in the summary window (versions without requests are left out). */
export function observedShares(m: Pick<MetricsResponse, "summary">): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [v, c] of Object.entries(m.summary.versions)) if (c.percent !== null) out[v] = Math.round(c.percent * 10) / 10;
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
export const KNOWN_REASONS = ["UH", "NR", "NC", "FI", "UT", "URX", "UF", "UO"] as const;

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
  return [...byFlag.entries()].map(([flag, count]) => ({ flag, count })).sort((a, b) => b.count - a.count || a.flag.localeCompare(b.flag));
}
