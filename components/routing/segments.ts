// Turning weights into bar segments. PURE (unit-tested beside this file).
import { compareVersions } from "./version-order";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";

export interface Segment {
  /** Subset/version key as the API reports it ("v1", "*", "other-host/v2"). */
  key: string;
  /** Configured weight, as given. */
  weight: number;
  /** Share of the bar's width, 0-100. */
  width: number;
}

export { compareVersions };

/** Segments in version order, "other traffic" last; zero weights stay (the legend shows "v2 0%"), width 0. */
export function weightSegments(weights: Record<string, number>): Segment[] {
  const entries = Object.entries(weights).sort(
    ([a], [b]) => Number(a === OTHER_TRAFFIC) - Number(b === OTHER_TRAFFIC) || compareVersions(a, b),
  );
  const total = entries.reduce((sum, [, w]) => sum + Math.max(0, w), 0);
  return entries.map(([key, weight]) => ({ key, weight, width: total > 0 ? (Math.max(0, weight) / total) * 100 : 0 }));
}

/**
 * Integer percentages of `values` that sum to exactly 100 (largest remainder), e.g. replica
 * counts 1/1/1 -> 34/33/33. All-zero input gives all zeros.
 */
export function toPercentages(values: Record<string, number>): Record<string, number> {
  const entries = Object.entries(values).map(([k, v]) => [k, Math.max(0, v)] as const);
  const total = entries.reduce((s, [, v]) => s + v, 0);
  const out: Record<string, number> = {};
  if (total === 0) {
    for (const [k] of entries) out[k] = 0;
    return out;
  }
  const exact = entries.map(([k, v]) => ({ k, raw: (v * 100) / total }));
  let assigned = 0;
  for (const e of exact) {
    out[e.k] = Math.floor(e.raw);
    assigned += out[e.k] ?? 0;
  }
  const byRemainder = [...exact].sort(
    (a, b) => b.raw - Math.floor(b.raw) - (a.raw - Math.floor(a.raw)) || compareVersions(a.k, b.k),
  );
  for (let i = 0; i < 100 - assigned; i++) {
    const e = byRemainder[i % byRemainder.length];
    if (e) out[e.k] = (out[e.k] ?? 0) + 1;
  }
  return out;
}

/** "v1 80% · v2 20%" for places without room for a bar. */
export function describeWeights(weights: Record<string, number>): string {
  return weightSegments(weights)
    .map((s) => `${s.key} ${s.weight}%`)
    .join(" · ");
}
