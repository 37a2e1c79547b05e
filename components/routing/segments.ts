// Turning weights into bar segments. PURE (unit-tested beside this file).
import { ANY_SUBSET } from "@/lib/release/routing";

export interface Segment {
  /** Subset/version key as the API reports it ("v1", "*", "other-host/v2"). */
  key: string;
  /** Configured weight, as given. */
  weight: number;
  /** Share of the bar's width, 0-100. */
  width: number;
}

const collator = new Intl.Collator("en", { numeric: true });

export function compareVersions(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Segments in version order; zero weights stay (the legend shows "v2 0%"), width 0. */
export function weightSegments(weights: Record<string, number>): Segment[] {
  const entries = Object.entries(weights).sort(([a], [b]) => compareVersions(a, b));
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
  const byRemainder = [...exact].sort((a, b) => b.raw - Math.floor(b.raw) - (a.raw - Math.floor(a.raw)) || compareVersions(a.k, b.k));
  for (let i = 0; i < 100 - assigned; i++) {
    const e = byRemainder[i % byRemainder.length];
    if (e) out[e.k] = (out[e.k] ?? 0) + 1;
  }
  return out;
}

// Colour-blind-friendly-ish hues, distinct at small sizes; index = version order.
export const PALETTE = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#db2777", "#0891b2", "#65a30d", "#dc2626"] as const;
export const OTHER_COLOUR = "#94a3b8";

/**
 * Colour per key: the same version gets the same colour everywhere on a page, given the same
 * `versions` list (the service's versions in version order). Keys not in the list (other
 * hosts, "*") are grey.
 */
export function colourFor(key: string, versions: readonly string[]): string {
  if (key === ANY_SUBSET || key.includes("/")) return OTHER_COLOUR;
  const sorted = [...new Set(versions)].sort(compareVersions);
  const i = sorted.indexOf(key);
  if (i < 0) return OTHER_COLOUR;
  return PALETTE[i % PALETTE.length] ?? OTHER_COLOUR;
}

/** "v1 80% · v2 20%" for places without room for a bar. */
export function describeWeights(weights: Record<string, number>): string {
  return weightSegments(weights)
    .map((s) => `${s.key} ${s.weight}%`)
    .join(" · ");
}
