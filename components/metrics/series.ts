// Metrics API response -> chart rows and summary values. PURE (unit-tested).
import type { MetricsResponse } from "@/lib/api/contracts";
import type { MetricName } from "@/lib/metrics/version-metrics";
import { compareVersions } from "@/components/routing/segments";

export const RANGES = ["5m", "15m", "1h", "6h"] as const;
export type MetricsRange = (typeof RANGES)[number];

/** Suffix of the configured-weight key next to a version's observed share in a row. */
export const CONFIGURED = "__configured";

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
export function metricRows(m: Pick<MetricsResponse, "versions" | "configured">, metric: MetricName): ChartRow[] {
  const versions = metricVersions(m);
  const times = new Set<number>();
  for (const v of versions) for (const [t] of m.versions[v]?.series[metric] ?? []) times.add(t);
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
