// PURE: a task's analysis runs (GET /api/tasks/{id}/analysis) arranged for the panel: one series
// of measurements per metric with the threshold it was held to, and the runs newest first.
import type { AnalysisResponse } from "@/lib/api/contracts";

type Run = AnalysisResponse["runs"][number];
type Verdict = Run["verdict"];

export interface MetricPoint {
  /** Unix milliseconds of the run. */
  t: number;
  value: number | null;
  verdict: Verdict;
  min?: number;
  max?: number;
}

export interface MetricSeries {
  name: string;
  points: MetricPoint[];
  /** The bounds of the newest run (with compare: base they move with the base). */
  threshold: { min?: number; max?: number };
}

/** One series per metric, in the order the spec lists them (as the first run that has each). */
export function metricSeries(runs: readonly Run[]): MetricSeries[] {
  const byName = new Map<string, MetricSeries>();
  for (const run of runs) {
    const t = Date.parse(run.at);
    for (const m of run.metrics) {
      const s = byName.get(m.name) ?? { name: m.name, points: [], threshold: {} };
      s.points.push({ t, value: m.value, verdict: m.verdict, ...m.threshold });
      s.threshold = m.threshold;
      byName.set(m.name, s);
    }
  }
  return [...byName.values()];
}

/** How many runs had each verdict. */
export function verdictCounts(runs: readonly Run[]): Record<Verdict, number> {
  const out: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0 };
  for (const r of runs) out[r.verdict] += 1;
  return out;
}

/** The y-axis top: room above the highest value and threshold (a percentage stops at 100). */
export function axisTop(s: MetricSeries, percent: boolean): number {
  if (percent) return 100;
  const values = s.points.flatMap((p) => [p.value, p.max, p.min]).filter((v): v is number => typeof v === "number");
  const top = Math.max(0, ...values);
  return top === 0 ? 1 : top * 1.15;
}
