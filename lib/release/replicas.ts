// Replica arithmetic and replica writes shared by the strategies. PURE.
import type { PlanOp } from "./ops";
import type { Deployment } from "./types";

/** Replicas per group: beta -> first group 1 replica, the rest split evenly (earlier groups get the remainder). */
export function batchPlan(replicas: number, groups: number, betaGroup: boolean): number[] {
  const split = (n: number, k: number): number[] => {
    const each = Math.floor(n / k);
    const rem = n % k;
    return Array.from({ length: k }, (_, i) => each + (i < rem ? 1 : 0));
  };
  if (groups <= 1) return [replicas];
  if (betaGroup) return [1, ...split(replicas - 1, groups - 1)];
  return split(replicas, groups);
}

/** replica-canary: how a pool of T pods is shared so the Service's round-robin gives ~newWeight% to the canary. */
export function splitPool(pool: number, newWeight: number): { canary: number; base: number } {
  let canary = Math.round((pool * newWeight) / 100);
  if (newWeight > 0 && canary < 1) canary = 1;
  if (canary > pool) canary = pool;
  return { canary, base: pool - canary };
}

export function replicasOf(d: Deployment): number {
  // The API server defaults an unset replicas to 1.
  return d.spec.replicas ?? 1;
}

export function scaleOp(d: Deployment, replicas: number): PlanOp | null {
  const previous = replicasOf(d);
  if (previous === replicas) return null;
  return {
    op: "patchReplicas",
    kind: "Deployment",
    namespace: d.metadata.namespace ?? "",
    name: d.metadata.name,
    replicas,
    previous,
  };
}

/** Scale-ups first, scale-downs last, so capacity never dips while traffic moves. */
export function orderScaling(ups: (PlanOp | null)[], middle: PlanOp[], downs: (PlanOp | null)[]): PlanOp[] {
  return [...ups.filter((o): o is PlanOp => o !== null), ...middle, ...downs.filter((o): o is PlanOp => o !== null)];
}
