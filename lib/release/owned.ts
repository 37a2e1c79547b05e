// Abort on the LIVE objects: put back only what the task owns (its default route as it was
// found, no owned routes, no subsets it added, routes it moved moved back) and leave every edit
// others made during the task. Never throws because someone edited the VS/DR. PURE.
import { clone, deepEqual } from "./json";
import { moveRoute, routeUses } from "./foreign-routes";
import type { WriteOp } from "./ops";
import { findDefaultRoute, hostVirtualServices, routedSubsets } from "./routing";
import type { TaskStatus } from "./status";
import type {
  DestinationRule,
  DestinationRuleSpec,
  HTTPRoute,
  K8sObject,
  ServiceClusterState,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

/** PUT body on top of `live` (its resourceVersion is the lock). */
export function replaceWith(live: K8sObject, spec: unknown): WriteOp {
  const object = clone(live);
  object.spec = clone(spec);
  delete object.metadata.managedFields;
  delete (object as Record<string, unknown>).status;
  return { op: "replace", object, before: live };
}

/** POST body from the snapshot taken at create: identity and spec only. */
export function recreate(original: K8sObject): WriteOp {
  const metadata: K8sObject["metadata"] = { name: original.metadata.name };
  for (const k of ["namespace", "labels", "annotations"] as const)
    if (original.metadata[k] !== undefined) metadata[k] = clone(original.metadata[k]) as never;
  return {
    op: "create",
    object: { apiVersion: original.apiVersion, kind: original.kind, metadata, spec: clone(original.spec) },
  };
}

function isOwnedRoute(s: Pick<TaskStatus, "task" | "ownedRoutes">, r: HTTPRoute): boolean {
  return r.name !== undefined && (s.ownedRoutes.includes(r.name) || r.name.startsWith(`gc-${s.task}-`));
}

function vsOf(spec: VirtualServiceSpec, namespace: string): VirtualService {
  return { apiVersion: "", kind: "VirtualService", metadata: { name: "", namespace }, spec };
}

/** The live VS spec with the task's parts undone; null when nothing but the task's parts is left (delete it). */
export function restoredVirtualServiceSpec(s: TaskStatus, live: VirtualService): VirtualServiceSpec | null {
  const spec = clone(live.spec);
  const http = (spec.http ?? []).filter((r) => !isOwnedRoute(s, r));
  const d = findDefaultRoute(vsOf({ http }, s.namespace), s.service, s.namespace);
  const original = s.original.virtualService;
  const od = original ? findDefaultRoute(original, s.service, s.namespace) : -1;
  const originalDefault = original && od >= 0 ? original.spec.http?.[od] : undefined;
  if (originalDefault) {
    if (d >= 0) http[d] = clone(originalDefault);
    else http.push(clone(originalDefault));
  } else if (d >= 0) {
    // The task wrote this default route (the VS had none for the service): it goes.
    http.splice(d, 1);
  }
  if (spec.http !== undefined || http.length > 0) spec.http = http;
  const foreignLeft = http.length > 0 || Object.keys(spec).some((k) => k !== "hosts" && k !== "http");
  return s.created.virtualService && !foreignLeft ? null : spec;
}

export function restoreVirtualService(
  s: TaskStatus,
  live: VirtualService | null,
  rendered: VirtualService | null = live,
): WriteOp | null {
  if (!live || !rendered) {
    if (live || s.created.virtualService || !s.original.virtualService) return null;
    // Someone deleted the VS the task adopted: put back the one that was found.
    return recreate(s.original.virtualService);
  }
  const spec = restoredVirtualServiceSpec(s, rendered);
  if (spec === null) return { op: "delete", object: live };
  return deepEqual(spec, live.spec) ? null : replaceWith(live, spec);
}

/** Subset names the task added to the DR (the ones it routes to that were not there when it started). */
export function addedSubsets(s: Pick<TaskStatus, "subsets" | "original">): string[] {
  const found = new Set((s.original.destinationRule?.spec.subsets ?? []).map((x) => x.name));
  return [...new Set(Object.values(s.subsets))].filter((n) => !found.has(n));
}

/**
 * Subsets of the service that routes added or changed by others during the task still route to,
 * once `writes` (the abort's VS writes) landed. Routes as the task found them do not count: they
 * go back exactly as they were, with the subsets they had (or lacked).
 */
export function subsetsStillRouted(
  s: Pick<TaskStatus, "service" | "namespace" | "original">,
  cluster: ServiceClusterState,
  writes: readonly WriteOp[],
): Set<string> {
  const written = new Map<string, VirtualServiceSpec | null>();
  for (const op of writes) {
    if (op.op === "patchReplicas" || op.object.kind !== "VirtualService") continue;
    written.set(op.object.metadata.name, op.op === "delete" ? null : (op.object.spec as VirtualServiceSpec));
  }
  const found = s.original.virtualService?.spec.http ?? [];
  const others = (spec: VirtualServiceSpec): VirtualServiceSpec => ({
    http: (spec.http ?? []).filter((r) => !found.some((o) => deepEqual(o, r))),
  });
  const specs = hostVirtualServices(cluster).map((v) =>
    written.has(v.metadata.name) ? written.get(v.metadata.name) : v.spec,
  );
  return new Set(specs.flatMap((spec) => (spec ? [...routedSubsets(others(spec), s.service, s.namespace)] : [])));
}

/**
 * `inUse`: subsets routes that stay after the abort still send to. Someone else's route to a
 * subset the task added keeps it: removing it would make Envoy answer that route 503 (NC).
 */
export function restoreDestinationRule(
  s: TaskStatus,
  live: DestinationRule | null,
  inUse: ReadonlySet<string> = new Set(),
): WriteOp | null {
  if (!live) {
    if (s.created.destinationRule || !s.original.destinationRule) return null;
    return recreate(s.original.destinationRule);
  }
  const added = addedSubsets(s).filter((n) => !inUse.has(n));
  const spec: DestinationRuleSpec = clone(live.spec);
  const subsets = (spec.subsets ?? []).filter((x) => !added.includes(x.name));
  if (spec.subsets !== undefined) spec.subsets = subsets;
  const foreignLeft = subsets.length > 0 || Object.keys(spec).some((k) => k !== "host" && k !== "subsets");
  if (s.created.destinationRule && !foreignLeft) return { op: "delete", object: live };
  return deepEqual(spec, live.spec) ? null : replaceWith(live, spec);
}

/**
 * Routes the task moved to the new version go back to the old one. The owned VS's come back as
 * `ownedSpec` (folded into the task's own write); every other VS gets its own rv-guarded replace.
 */
export function restoreMovedRoutes(
  s: TaskStatus,
  cluster: ServiceClusterState,
): { ops: WriteOp[]; owned: VirtualService | null } {
  const ops: WriteOp[] = [];
  let owned = cluster.virtualService;
  for (const vs of hostVirtualServices(cluster)) {
    const mine = (s.movedRoutes ?? []).filter((m) => m.virtualService === vs.metadata.name);
    if (mine.length === 0) continue;
    const spec = clone(vs.spec);
    for (const m of mine) {
      const i = m.name !== null ? (spec.http ?? []).findIndex((r) => r.name === m.name) : m.index;
      const route = spec.http?.[i];
      if (!route || !spec.http || !routeUses(route, [m.toSubset], s)) continue;
      spec.http[i] = moveRoute(route, [m.toSubset], { host: s.destinationHost, subset: m.fromSubset }, s);
    }
    if (deepEqual(spec, vs.spec)) continue;
    const ownedByTask = s.routing === "istio" && vs.metadata.name === cluster.virtualService?.metadata.name;
    if (ownedByTask && owned) owned = { ...owned, spec };
    else ops.push(replaceWith(vs, spec));
  }
  return { ops, owned };
}

/**
 * resync on the live VS: the task's default route and owned routes go back to what it last
 * applied; foreign routes (and their order) stay as they are live.
 */
export function resyncedVirtualServiceSpec(
  s: TaskStatus,
  expected: VirtualServiceSpec,
  live: VirtualServiceSpec,
): VirtualServiceSpec {
  const want = expected.http ?? [];
  const ed = findDefaultRoute(vsOf(expected, s.namespace), s.service, s.namespace);
  const owned = clone(want.filter((r) => isOwnedRoute(s, r)));
  const http = clone((live.http ?? []).filter((r) => !isOwnedRoute(s, r)));
  const ld = findDefaultRoute(vsOf({ http }, s.namespace), s.service, s.namespace);
  const def = ed >= 0 ? clone(want[ed]) : undefined;
  const ours = def ? [...owned, def] : owned;
  if (ld >= 0 && def) http.splice(ld, 1, ...ours);
  else http.push(...ours);
  return { ...clone(live), http };
}

/** resync on the live DR: the task's subsets as it last applied them; other subsets as live. */
export function resyncedDestinationRuleSpec(
  s: TaskStatus,
  expected: DestinationRuleSpec,
  live: DestinationRuleSpec,
): DestinationRuleSpec {
  const mine = new Set(Object.values(s.subsets));
  const wanted = (expected.subsets ?? []).filter((x) => mine.has(x.name));
  const subsets = (live.subsets ?? []).map((x) => clone(wanted.find((w) => w.name === x.name) ?? x));
  for (const w of wanted) if (!subsets.some((x) => x.name === w.name)) subsets.push(clone(w));
  return { ...clone(live), subsets };
}
