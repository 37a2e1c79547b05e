// Pure reductions of a task's status for history and drift bookkeeping.
import type { RoutingSnapshot } from "./views";
import { locateEntry } from "@/lib/release/entry-routes";
import type { TaskStatus } from "@/lib/release/status";
import { versionOfSubset } from "@/lib/release/subsets";
import type { DestinationRule, K8sObject, TaskState, VirtualService } from "@/lib/release/types";

export function snapshot(state: TaskState, status: TaskStatus): RoutingSnapshot {
  const movedRoutes = (status.movedRoutes ?? []).map((m) => ({
    id: m.id,
    to: versionOfSubset(m.toSubset, status.subsets, []),
  }));
  return {
    state,
    weights: status.weights,
    mirrorPercent: status.mirrorPercent,
    batchGroup: status.batch?.current ?? null,
    movedRoutes,
  };
}

/**
 * The API server may normalise what we wrote (CRD defaulting, number formatting). Drift is
 * measured against what it actually stored: the body it answered our own write with, so a
 * later edit by someone else is never absorbed and nothing needs re-reading.
 */
export function normaliseLastApplied(status: TaskStatus, stored: Record<string, K8sObject | null>): TaskStatus {
  const next = structuredClone(status);
  const vs = status.virtualServiceName ? stored[`VirtualService/${status.virtualServiceName}`] : undefined;
  if (vs && next.lastApplied.virtualServiceSpec) next.lastApplied.virtualServiceSpec = (vs as VirtualService).spec;
  const dr = status.destinationRuleName ? stored[`DestinationRule/${status.destinationRuleName}`] : undefined;
  if (dr && next.lastApplied.destinationRuleSpec) next.lastApplied.destinationRuleSpec = (dr as DestinationRule).spec;
  // Entry routes: the destinations as stored in the gateway VirtualService the task last wrote.
  if (next.entryRoutes)
    next.entryRoutes = next.entryRoutes.map((entry) => {
      const vs = stored[`VirtualService/${entry.virtualService}`] as VirtualService | null | undefined;
      const i = vs ? locateEntry(vs, entry, next) : -1;
      return vs && i >= 0 ? { ...entry, index: i, applied: vs.spec.http?.[i]?.route ?? [] } : entry;
    });
  return next;
}
