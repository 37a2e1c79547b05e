// Drift: has someone changed (or deleted) the VirtualService / DestinationRule the task wrote? PURE.
import { diffJson, type JsonDifference } from "./json";
import type { TaskStatus } from "./status";
import type { K8sObject, ServiceClusterState } from "./types";

export type DriftEntry = JsonDifference;
export interface Drift {
  virtualService?: DriftEntry[];
  destinationRule?: DriftEntry[];
}

function compare(expected: unknown, live: K8sObject | null, expectedName: string | null): DriftEntry[] {
  // A missing object, or a different one in its place, is drift of the whole spec.
  if (!live || (expectedName !== null && live.metadata.name !== expectedName)) return [{ path: "", expected, actual: null }];
  return diffJson(expected, live.spec);
}

/** null when the live specs equal status.lastApplied; otherwise the differing paths per object. */
export function detectDrift(
  status: Pick<TaskStatus, "lastApplied" | "virtualServiceName" | "destinationRuleName">,
  cluster: Pick<ServiceClusterState, "virtualService" | "destinationRule">,
): Drift | null {
  const drift: Drift = {};
  const vsExpected = status.lastApplied.virtualServiceSpec;
  if (vsExpected) {
    const d = compare(vsExpected, cluster.virtualService, status.virtualServiceName);
    if (d.length > 0) drift.virtualService = d;
  }
  const drExpected = status.lastApplied.destinationRuleSpec;
  if (drExpected) {
    const d = compare(drExpected, cluster.destinationRule, status.destinationRuleName);
    if (d.length > 0) drift.destinationRule = d;
  }
  return drift.virtualService || drift.destinationRule ? drift : null;
}
