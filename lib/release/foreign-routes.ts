// Routes the task does not own that still send traffic to a version it is about to empty
// (scale to 0, retire): refuse naming each one, or move it to the new version when the request
// lists it in moveRoutes. PURE.
import { entryRouteIndexes } from "./entry-routes";
import { PlanError } from "./errors";
import { clone } from "./json";
import type { WriteOp } from "./ops";
import { findDefaultRoute, hostMatchesService, hostVirtualServices, routeId } from "./routing";
import type { TaskStatus } from "./status";
import type { Destination, HTTPRoute, HTTPRouteDestination, K8sObject, ServiceClusterState, VirtualServiceSpec } from "./types";

export interface RouteRef {
  virtualService: string;
  /** Position in the live VirtualService's http list. */
  index: number;
  name: string | null;
  /** `<virtualService>/<route name or http[i]>`: what moveRoutes lists. */
  id: string;
}
/** A foreign route the task moved (recorded in status.movedRoutes; abort moves it back). */
export interface MovedRoute extends RouteRef {
  fromSubset: string;
  toSubset: string;
}

type Scope = Pick<TaskStatus, "service" | "namespace" | "task" | "ownedRoutes" | "virtualServiceName" | "routing" | "entryRoutes">;


function touches(d: Destination, subsets: readonly string[], scope: Scope): boolean {
  return d.subset !== undefined && subsets.includes(d.subset) && hostMatchesService(d.host, scope.service, scope.namespace);
}

/** Does `route` reference one of `subsets` at all (a destination of any weight, or the mirror)? */
export function routeUses(route: HTTPRoute, subsets: readonly string[], scope: Scope): boolean {
  const dests = [...(route.route ?? []).map((d) => d.destination), ...(route.mirror ? [route.mirror] : [])];
  return dests.some((d) => touches(d, subsets, scope));
}

/** Does `route` send any request (weight > 0, or a mirror > 0%) to one of `subsets`? Istio: a lone destination carries 100. */
export function routeSends(route: HTTPRoute, subsets: readonly string[], scope: Scope): boolean {
  const dests = route.route ?? [];
  const weighted = dests.some((d) => touches(d.destination, subsets, scope) && (d.weight ?? (dests.length === 1 ? 100 : 0)) > 0);
  const mirrored = route.mirror !== undefined && touches(route.mirror, subsets, scope) && (route.mirrorPercentage?.value ?? 100) > 0;
  return weighted || mirrored;
}

/** Routes other than the task's own (default, owned and entry routes) that use `subsets`, in every VS for the host. */
export function foreignRoutesUsing(cluster: Pick<ServiceClusterState, "virtualService" | "virtualServices">, scope: Scope, subsets: readonly string[]): RouteRef[] {
  const out: RouteRef[] = [];
  const ownedPrefix = `gc-${scope.task}-`;
  for (const vs of hostVirtualServices(cluster)) {
    const ours = scope.routing === "istio" && vs.metadata.name === scope.virtualServiceName;
    const d = ours ? findDefaultRoute(vs, scope.service, scope.namespace) : -1;
    const entries = entryRouteIndexes(scope, vs);
    (vs.spec.http ?? []).forEach((r, i) => {
      if (entries.includes(i)) return;
      if (ours && (i === d || (r.name !== undefined && (scope.ownedRoutes.includes(r.name) || r.name.startsWith(ownedPrefix))))) return;
      if (routeUses(r, subsets, scope)) out.push({ virtualService: vs.metadata.name, index: i, name: r.name ?? null, id: routeId(vs.metadata.name, i, r.name) });
    });
  }
  return out;
}

/** `route` with its destinations/mirror on `from` subsets moved to `to` (weights of merged destinations add up). */
export function moveRoute(route: HTTPRoute, from: readonly string[], to: Destination, scope: Scope): HTTPRoute {
  const out = clone(route);
  const dests: HTTPRouteDestination[] = [];
  for (const d of route.route ?? []) {
    const moved: HTTPRouteDestination = touches(d.destination, from, scope) ? { ...clone(d), destination: { ...clone(d.destination), subset: to.subset } } : clone(d);
    const same = dests.find((x) => x.destination.subset === moved.destination.subset && x.destination.host === moved.destination.host);
    if (same && same.weight !== undefined && moved.weight !== undefined) same.weight += moved.weight;
    else if (!same) dests.push(moved);
  }
  if (route.route) out.route = dests;
  if (route.mirror && touches(route.mirror, from, scope)) out.mirror = { ...clone(route.mirror), subset: to.subset };
  return out;
}

function refuse(action: string, version: string, routes: RouteRef[]): PlanError {
  return new PlanError(
    "conflict",
    `cannot ${action}: ${routes.map((r) => r.id).join(", ")} still route${routes.length === 1 ? "s" : ""} traffic to ${version}; change ${routes.length === 1 ? "that route" : "those routes"} first, or list ${routes.length === 1 ? "it" : "them"} in moveRoutes to move ${routes.length === 1 ? "it" : "them"} to the new version`,
    { routes: routes.map((r) => ({ virtualService: r.virtualService, index: r.index, name: r.name, id: r.id })) },
  );
}

export interface Moves {
  /** The cluster as the planner should render it: moved routes already in place. */
  cluster: ServiceClusterState;
  /** Replaces of VirtualServices the task does not write itself (rv-guarded). */
  ops: WriteOp[];
  moved: MovedRoute[];
}

function replaceOp(live: K8sObject, spec: VirtualServiceSpec): WriteOp {
  const object = clone(live);
  object.spec = clone(spec);
  delete object.metadata.managedFields;
  delete (object as Record<string, unknown>).status;
  return { op: "replace", object, before: live };
}

/**
 * Refuses when a foreign route still uses `from` (the version being emptied) unless the request
 * lists every such route in moveRoutes; then moves them to `toSubset`. The owned VirtualService's
 * moved routes ride along in the task's own write when `ownedWriteFollows`.
 */
export function moveOrRefuse(
  action: string,
  cluster: ServiceClusterState,
  scope: Scope,
  from: { version: string; subsets: string[] },
  to: Destination,
  requested: readonly string[] | undefined,
  ownedWriteFollows: boolean,
  // true when `from` is left with no pods: then every foreign route to it must be listed.
  emptied = true,
): Moves {
  const using = foreignRoutesUsing(cluster, scope, from.subsets);
  const asked = new Set(requested ?? []);
  for (const id of asked)
    if (!using.some((r) => r.id === id))
      throw new PlanError("invalid", `moveRoutes: ${id} is not a route that sends traffic to ${from.version}${using.length > 0 ? ` (those are ${using.map((r) => r.id).join(", ")})` : ""}`, { path: "moveRoutes" });
  const missing = using.filter((r) => !asked.has(r.id));
  if (emptied && missing.length > 0) throw refuse(action, from.version, missing);
  const found = using.filter((r) => asked.has(r.id));
  if (found.length === 0) return { cluster, ops: [], moved: [] };
  if (to.subset === undefined) throw new PlanError("conflict", `cannot ${action}: no DestinationRule subset selects the new version to move ${found.map((r) => r.id).join(", ")} to`);
  const next = clone(cluster);
  const ops: WriteOp[] = [];
  const moved: MovedRoute[] = [];
  for (const vs of hostVirtualServices(cluster)) {
    const mine = found.filter((r) => r.virtualService === vs.metadata.name);
    if (mine.length === 0) continue;
    const spec = clone(vs.spec);
    for (const r of mine) {
      const route = spec.http?.[r.index];
      if (route && spec.http) spec.http[r.index] = moveRoute(route, from.subsets, to, scope);
      const fromSubset = from.subsets.find((s) => route && routeUses(route, [s], scope)) ?? from.subsets[0] ?? from.version;
      moved.push({ ...r, fromSubset, toSubset: to.subset });
    }
    const isOwned = vs.metadata.name === cluster.virtualService?.metadata.name;
    if (isOwned && next.virtualService) next.virtualService.spec = spec;
    next.virtualServices = (next.virtualServices ?? []).map((v) => (v.metadata.name === vs.metadata.name ? { ...v, spec: clone(spec) } : v));
    if (!isOwned || !ownedWriteFollows) ops.push(replaceOp(vs, spec));
  }
  return { cluster: next, ops, moved };
}
