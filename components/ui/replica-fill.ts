// How full (and what colour) a ready/desired bar is. PURE (unit-tested beside this file).

export interface ReplicaFill {
  /** Width of the filled part, 0-100. */
  percent: number;
  /** complete: every desired pod Ready; partial: some missing; none: nothing asked, nothing to fill. */
  tone: "complete" | "partial" | "none";
}

/**
 * A version scaled to zero (0 desired) has nothing Ready and nothing missing: an empty grey
 * bar, never a full green one that reads as "healthy".
 */
export function replicaFill(ready: number, desired: number): ReplicaFill {
  if (desired <= 0) return { percent: 0, tone: "none" };
  const percent = Math.min(100, Math.round((Math.max(0, ready) / desired) * 100));
  return { percent, tone: ready >= desired ? "complete" : "partial" };
}
