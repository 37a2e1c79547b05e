// Rebasing a planned write on the object as it is live now. PURE.
// Writes that come after a wait (pods becoming Ready, a drain delay) land seconds or minutes
// after they were planned; meanwhile other teams may have edited their own routes or subsets.
// The reconciler calls rebaseWrite just before sending such a write: it keeps what the task
// owns from the plan and everything else as it is live, or refuses with a reason.
import { introducedObjectProblem } from "./istio-writes";
import { rebaseHttpRouteSpec } from "./routing/gateway-rebase";
import { clone, deepEqual } from "./json";
import type { WriteOp } from "./ops";
import { findDefaultRoute, isCatchAll } from "./routing";
import type { DestinationRuleSpec, HTTPRoute, K8sObject, Subset, VirtualService, VirtualServiceSpec } from "./types";

export type RebaseResult = { op: WriteOp } | { conflict: string };

/** Route names the console writes: gc-<task>-<purpose> (planner.ownedRouteName). */
export function isOwnedRouteName(name: string | undefined): boolean {
  return name?.startsWith("gc-") === true;
}

function ref(obj: K8sObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`;
}

/** The body of a PUT on top of `live`: live's metadata (and resourceVersion = the lock), a new spec. */
function onto(live: K8sObject, spec: unknown): K8sObject {
  const obj = clone(live);
  obj.spec = clone(spec);
  delete obj.metadata.managedFields;
  delete (obj as Record<string, unknown>).status;
  return obj;
}

export function rebaseWrite(op: WriteOp, live: K8sObject | null): RebaseResult {
  switch (op.op) {
    case "create":
      return live
        ? { conflict: `create ${ref(op.object)}: it already exists (someone created it since the plan was made)` }
        : { op };
    case "patchReplicas": {
      if (!live) return { conflict: `scale Deployment ${op.namespace}/${op.name}: it no longer exists` };
      const replicas = (live.spec as { replicas?: number } | undefined)?.replicas ?? 1;
      if (replicas === op.previous) return { op };
      return {
        conflict: `scale Deployment ${op.namespace}/${op.name} ${op.previous}->${op.replicas}: someone scaled it to ${replicas} meanwhile; not overwriting that`,
      };
    }
    case "delete":
      return rebaseDelete(op.object, live);
    case "replace":
      return op.routes
        ? rebaseRoutes(op.object as VirtualService, op.before as VirtualService, live, op.routes)
        : rebaseReplace(op.object, op.before, live);
  }
}

/**
 * A write of only some routes of someone else's VirtualService (the task's entry routes): those
 * routes as planned, everything else as it is live. Refused when one of them was changed since
 * the plan (found by its name, else at its position with the same match).
 */
function rebaseRoutes(
  object: VirtualService,
  before: VirtualService,
  live: K8sObject | null,
  routes: readonly number[],
): RebaseResult {
  if (!live) return { conflict: `replace ${ref(object)}: it was deleted since the plan was made` };
  if (before.metadata.uid !== undefined && live.metadata.uid !== before.metadata.uid)
    return { conflict: `replace ${ref(object)}: it was deleted and recreated by someone else since the plan was made` };
  const liveSpec = (live as VirtualService).spec;
  const http = clone(liveSpec.http ?? []);
  const moved: number[] = [];
  for (const i of routes) {
    const was = before.spec.http?.[i];
    const want = object.spec.http?.[i];
    const j =
      was?.name !== undefined
        ? http.findIndex((r) => r?.name === was.name)
        : deepEqual(http[i]?.match, was?.match)
          ? i
          : -1;
    if (!was || !want || j < 0 || !deepEqual(http[j], was))
      return {
        conflict: `replace ${ref(object)}: someone changed its route ${was?.name ?? `http[${i}]`} since the plan was made`,
      };
    http[j] = clone(want);
    moved.push(j);
  }
  const result: RebaseResult = {
    op: { op: "replace", object: onto(live, { ...liveSpec, http }), before: live, routes: moved },
  };
  return istioChecked(result, live);
}

/** Spec as far as a delete cares: a Deployment's replica count may move (an HPA, a drain) without changing what it is. */
function identitySpec(obj: K8sObject): unknown {
  if (obj.kind !== "Deployment") return obj.spec;
  const spec = { ...((obj.spec ?? {}) as Record<string, unknown>) };
  delete spec.replicas;
  return spec;
}

function rebaseDelete(planned: K8sObject, live: K8sObject | null): RebaseResult {
  if (!live) return { conflict: `delete ${ref(planned)}: it is already gone` };
  if (planned.metadata.uid !== undefined && live.metadata.uid !== planned.metadata.uid)
    return { conflict: `delete ${ref(planned)}: it was deleted and recreated by someone else since the plan was made` };
  if (!deepEqual(identitySpec(planned), identitySpec(live)))
    return { conflict: `delete ${ref(planned)}: someone changed its spec since the plan was made; not deleting` };
  // The live lock values, so guarded delete's preconditions describe the object we just compared.
  const metadata: K8sObject["metadata"] = { ...planned.metadata };
  if (live.metadata.resourceVersion !== undefined) metadata.resourceVersion = live.metadata.resourceVersion;
  if (live.metadata.generation !== undefined) metadata.generation = live.metadata.generation;
  return { op: { op: "delete", object: { ...planned, metadata } } };
}

function rebaseReplace(object: K8sObject, before: K8sObject, live: K8sObject | null): RebaseResult {
  if (!live) return { conflict: `replace ${ref(object)}: it was deleted since the plan was made` };
  if (before.metadata.uid !== undefined && live.metadata.uid !== before.metadata.uid)
    return { conflict: `replace ${ref(object)}: it was deleted and recreated by someone else since the plan was made` };
  if (deepEqual(live.spec, before.spec))
    return { op: { op: "replace", object: onto(live, object.spec), before: live } };
  if (object.kind === "VirtualService")
    return istioChecked(
      rebaseVirtualService(object as VirtualService, before as VirtualService, live as VirtualService),
      live,
    );
  if (object.kind === "DestinationRule") return istioChecked(rebaseDestinationRule(object, before, live), live);
  if (object.kind === "HTTPRoute") {
    const r = rebaseHttpRouteSpec(object, before, live);
    return "spec" in r
      ? { op: { op: "replace", object: onto(live, r.spec), before: live } }
      : { conflict: `replace ${ref(object)}: ${r.conflict}` };
  }
  return { conflict: `replace ${ref(object)}: someone changed it since the plan was made` };
}

/** A merge of the plan with others' edits is written only if it breaks none of istiod's rules the live object kept. */
function istioChecked(result: RebaseResult, live: K8sObject): RebaseResult {
  if (!("op" in result) || result.op.op !== "replace") return result;
  const problem = introducedObjectProblem(result.op.object, live);
  return problem
    ? {
        conflict: `replace ${ref(result.op.object)}: merged with the edits made since the plan, it breaks Istio's rules: ${problem}`,
      }
    : result;
}

/** Index of the task's default route: the planner writes it as the last catch-all for the service its destinations name. */
function defaultRouteIndex(spec: VirtualServiceSpec, service: string, namespace: string | undefined): number {
  const vs: VirtualService = { apiVersion: "", kind: "VirtualService", metadata: { name: "", namespace }, spec };
  return findDefaultRoute(vs, service, namespace);
}

/** The service a default route sends to: the short name of its first destination's host. */
function defaultService(spec: VirtualServiceSpec): string | null {
  const http = spec.http ?? [];
  for (let i = http.length - 1; i >= 0; i--) {
    const r = http[i];
    const host = r && isCatchAll(r) ? r.route?.[0]?.destination.host : undefined;
    if (host) return host.split(".")[0] ?? null;
  }
  return null;
}

function rebaseVirtualService(object: VirtualService, before: VirtualService, live: VirtualService): RebaseResult {
  const ns = object.metadata.namespace;
  const service = defaultService(object.spec) ?? defaultService(before.spec);
  if (service === null)
    return { conflict: `replace ${ref(object)}: neither the planned nor the previous object has a default route` };
  const planned = object.spec.http ?? [];
  const dPlanned = defaultRouteIndex(object.spec, service, ns);
  const dBefore = defaultRouteIndex(before.spec, service, ns);
  const dLive = defaultRouteIndex(live.spec, service, ns);
  // No planned default route: the plan removes the one the task had written (abort of a default it added).
  const plannedDefault: HTTPRoute | undefined = planned[dPlanned];
  if (dLive < 0 && (plannedDefault || dBefore >= 0))
    return { conflict: `replace ${ref(object)}: someone removed the default route of ${service}` };
  if (dBefore >= 0 && !deepEqual(before.spec.http?.[dBefore], live.spec.http?.[dLive]))
    return {
      conflict: `replace ${ref(object)}: someone changed the default route of ${service} since the plan was made`,
    };
  const ours = [...planned.filter((r) => isOwnedRouteName(r.name)), ...(plannedDefault ? [plannedDefault] : [])];
  const http: HTTPRoute[] = [];
  (live.spec.http ?? []).forEach((r, i) => {
    if (i === dLive) http.push(...clone(ours));
    else if (!isOwnedRouteName(r.name)) http.push(clone(r));
  });
  if (dLive < 0) http.push(...clone(ours));
  return { op: { op: "replace", object: onto(live, { ...live.spec, http }), before: live } };
}

function rebaseDestinationRule(object: K8sObject, before: K8sObject, live: K8sObject): RebaseResult {
  const names = (s: unknown) => ((s as DestinationRuleSpec).subsets ?? []).map((x) => x.name);
  const beforeNames = new Set(names(before.spec));
  const plannedSubsets = (object.spec as DestinationRuleSpec).subsets ?? [];
  const added = plannedSubsets.filter((s) => !beforeNames.has(s.name));
  const kept = new Set(names(object.spec));
  const removed = [...beforeNames].filter((n) => !kept.has(n));
  const liveSpec = live.spec as DestinationRuleSpec;
  const subsets: Subset[] = (liveSpec.subsets ?? []).filter((s) => !removed.includes(s.name)).map((s) => clone(s));
  for (const a of added) {
    const same = subsets.find((s) => s.name === a.name);
    if (same && !deepEqual(same, a))
      return { conflict: `replace ${ref(object)}: someone added a different subset ${a.name} since the plan was made` };
    if (!same) subsets.push(clone(a));
  }
  return { op: { op: "replace", object: onto(live, { ...liveSpec, subsets }), before: live } };
}
