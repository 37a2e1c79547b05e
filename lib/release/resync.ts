// resync and acceptDrift: the two answers to drift. resync puts back the task's parts of the live
// VS/DR (and the gateway routes it follows); acceptDrift takes the live routing as the task's
// own. PURE.
import { acceptedEntryRoutes, entryRouteWrites } from "./entry-routes";
import { planError } from "./errors";
import { clone, deepEqual } from "./json";
import { ISTIO_API_VERSION, recreation, replacement } from "./mesh";
import { managedLabels } from "./new-deployment";
import type { PlanOp } from "./ops";
import { resyncedDestinationRuleSpec, resyncedVirtualServiceSpec } from "./owned";
import { findDefaultRoute, routeWeights } from "./routing";
import type { TaskStatus } from "./status";
import { versionOfSubset } from "./subsets";
import type {
  DestinationRuleSpec,
  HTTPRoute,
  K8sObject,
  ServiceClusterState,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

/** The write that puts `wanted` back on one object: merged over the live one, or the object made again. */
function resyncOne<T extends K8sObject>(
  s: TaskStatus,
  live: T | null,
  wanted: T["spec"] | null,
  merge: (wanted: T["spec"], live: T["spec"]) => unknown,
  kind: string,
  name: string | null,
  original: T | null,
): PlanOp[] {
  if (wanted === null || wanted === undefined) return [];
  if (live) {
    const spec = merge(wanted, live.spec);
    return deepEqual(live.spec, spec) ? [] : [{ op: "replace", object: replacement(live, spec), before: live }];
  }
  const identity = original
    ? recreation(original)
    : {
        apiVersion: ISTIO_API_VERSION,
        kind,
        metadata: { name: name ?? s.service, namespace: s.namespace, labels: managedLabels(s.task) },
      };
  return [{ op: "create", object: { ...identity, spec: clone(wanted) } }];
}

/** resync puts back only the task's parts (default route, owned routes, its subsets); foreign edits stay. */
export function resyncOps(s: TaskStatus, cluster: ServiceClusterState): PlanOp[] {
  const dr = (w: DestinationRuleSpec, l: DestinationRuleSpec) => resyncedDestinationRuleSpec(s, w, l);
  const vs = (w: VirtualServiceSpec, l: VirtualServiceSpec) => resyncedVirtualServiceSpec(s, w, l);
  return [
    ...resyncOne(
      s,
      cluster.destinationRule,
      s.lastApplied.destinationRuleSpec,
      dr,
      "DestinationRule",
      s.destinationRuleName,
      s.original.destinationRule,
    ),
    ...resyncOne(
      s,
      cluster.virtualService,
      s.lastApplied.virtualServiceSpec,
      vs,
      "VirtualService",
      s.virtualServiceName,
      s.original.virtualService,
    ),
    // Gateway routes get back the destinations the task wrote; one that is gone stays drift (acceptDrift stops following it).
    ...entryRouteWrites(s, cluster, (e) => e.applied).ops,
  ];
}

/** The live default route's weights, by version (destinations of other hosts left out). */
function liveWeights(
  s: TaskStatus,
  vs: VirtualService,
  cluster: ServiceClusterState,
): { weights: Record<string, number>; route: HTTPRoute | undefined } {
  const d = findDefaultRoute(vs, s.service, s.namespace);
  const route = d >= 0 ? vs.spec.http?.[d] : undefined;
  const weights: Record<string, number> = {};
  for (const [subset, w] of Object.entries(routeWeights(route?.route ?? [], s.service, s.namespace))) {
    if (subset.includes("/")) continue;
    const version = versionOfSubset(subset, s.subsets, cluster.destinationRule?.spec.subsets ?? []);
    weights[version] = (weights[version] ?? 0) + w;
  }
  return { weights, route };
}

/**
 * The live VS/DR become what the task last applied; the default route's weights (and, for a
 * strategy that mirrors, the mirror) are read back from them. Refused when one is gone.
 */
export function acceptedStatus(s: TaskStatus, cluster: ServiceClusterState, mirrors: boolean): TaskStatus {
  const vs = cluster.virtualService;
  const dr = cluster.destinationRule;
  if (s.lastApplied.virtualServiceSpec && !vs)
    throw planError("conflict", "err.action.acceptDriftGone", {
      kind: "VirtualService",
      name: s.virtualServiceName ?? "",
    });
  if (s.lastApplied.destinationRuleSpec && !dr)
    throw planError("conflict", "err.action.acceptDriftGone", {
      kind: "DestinationRule",
      name: s.destinationRuleName ?? "",
    });
  const next: TaskStatus = {
    ...s,
    lastApplied: { virtualServiceSpec: vs ? clone(vs.spec) : null, destinationRuleSpec: dr ? clone(dr.spec) : null },
  };
  if (vs) {
    const { weights, route } = liveWeights(s, vs, cluster);
    next.weights = weights;
    if (mirrors) next.mirrorPercent = route?.mirror ? (route.mirrorPercentage?.value ?? 100) : null;
    next.ownedRoutes = s.ownedRoutes.filter((n) => vs.spec.http?.some((r) => r.name === n));
  }
  return { ...next, entryRoutes: acceptedEntryRoutes(next, cluster) };
}
