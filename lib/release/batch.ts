// What confirming the next batch group will do: replicas of both versions and the traffic split.
// Shared by confirm (actions.ts) and the task page's confirm dialog (through the read model),
// so the dialog shows exactly the split the action then writes. PURE.
import { planError } from "./errors";
import type { TaskStatus } from "./status";

/**
 * How confirm sets the default route's weights: by the replica ratio of the groups rolled out
 * (the default, as before), or keeping the split as it is now (one the operator set with
 * setTraffic while the release waited).
 */
export type ConfirmWeights = "replicas" | "keep";

export interface GroupSplit {
  /** The group this confirm rolls out (1-based) and how many there are. */
  group: number;
  total: number;
  /** The last group: the base goes to 0 replicas and the new version takes all traffic. */
  last: boolean;
  newReplicas: number;
  baseReplicas: number;
  /** The split by replica ratio after this group, by version. */
  ratioWeights: Record<string, number>;
  /** The split now differs from the replica ratio of the groups rolled out so far: someone set it. */
  overridden: boolean;
  /** Keeping the current split is possible: not the last group, the base keeps pods, and traffic is routed by weights. */
  keepable: boolean;
}

type SplitStatus = Pick<TaskStatus, "batch" | "weights" | "baseVersion" | "newVersion" | "routing">;

const ratio = (rolled: number, total: number) => Math.round((100 * rolled) / total);

/** What confirming the next group does; null when the task has no group left (or no batch). */
export function nextGroupSplit(s: SplitStatus): GroupSplit | null {
  const b = s.batch;
  if (!b || b.current >= b.plan.length) return null;
  const r = b.plan.reduce((a, x) => a + x, 0);
  const group = b.current + 1;
  const last = group >= b.plan.length;
  const rolled = b.plan.slice(0, group).reduce((a, x) => a + x, 0);
  const wn = last ? 100 : ratio(rolled, r);
  const baseReplicas = last ? 0 : Math.round(b.baseInitialReplicas * (1 - rolled / r));
  const rolledSoFar = b.plan.slice(0, b.current).reduce((a, x) => a + x, 0);
  const overridden = (s.weights[s.newVersion] ?? 0) !== ratio(rolledSoFar, r);
  return {
    group,
    total: b.plan.length,
    last,
    newReplicas: last ? r : rolled,
    baseReplicas,
    ratioWeights: { [s.baseVersion]: 100 - wn, [s.newVersion]: wn },
    overridden,
    keepable: !last && baseReplicas > 0 && s.routing !== "replicas",
  };
}

/** The weights confirm writes for `split` under `choice`; refuses a split that cannot be kept. */
export function confirmedWeights(s: SplitStatus, split: GroupSplit, choice: ConfirmWeights): Record<string, number> {
  if (choice === "replicas") return split.ratioWeights;
  if (s.routing === "replicas") throw planError("invalid", "err.confirm.keepWithoutMesh", {}, { path: "weights" });
  if (!split.keepable)
    throw planError("conflict", "err.confirm.keepEmptiesBase", { base: s.baseVersion }, { path: "weights" });
  const wn = s.weights[s.newVersion] ?? 0;
  return { [s.baseVersion]: 100 - wn, [s.newVersion]: wn };
}
