// Entry routes: where users enter the mesh. The ingress gateway's Envoy applies only the
// VirtualServices bound to its Gateway (Bookinfo's `bookinfo` on `bookinfo-gateway`), the mesh
// VirtualService the task writes only the sidecars; a release of an entry service that edited
// only the mesh VirtualService would move none of its users. So at create the task takes every
// gateway route that plainly forwards to the service (one destination: no subset, or a subset of
// the base version) and from then on gives it the same version weights as its default route,
// with the same subsets and the route's own host string and port. Only that route's destination
// list is the task's: everything else in those VirtualServices stays as others keep it, and abort
// puts the destinations back exactly as found. A gateway route to the service the console cannot
// follow safely (someone's own split, a mix of hosts, a mirror to it) refuses the create, unless
// the spec says routing.entryRoutes: "ignore". PURE.
import { planErrorSummarized, type PlanError } from "./errors";
import { localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";
import { clone, deepEqual, diffJson, type JsonDifference } from "./json";
import { orderedVersions, replacement } from "./mesh";
import type { WriteOp } from "./ops";
import { hostMatchesService, hostVirtualServices, routeDestinations, routeId } from "./routing";
import type { TaskSpec } from "./spec";
import type { TaskStatus } from "./status";
import { subsetOf, subsetsOfVersion } from "./subsets";
import type {
  Destination,
  HTTPMatchRequest,
  HTTPRoute,
  HTTPRouteDestination,
  ServiceClusterState,
  VirtualService,
} from "./types";

/** A gateway route the task follows (recorded in status.entryRoutes). */
export interface EntryRoute {
  /** The gateway-bound VirtualService (never the task's own). */
  virtualService: string;
  /** Position in its http list when last seen. */
  index: number;
  name: string | null;
  /** `<virtualService>/<route name or http[i]>`, as every route is named to people. */
  id: string;
  gateways: string[];
  /** An unnamed route is found again by its match (its position may move); null = no match. */
  match: HTTPMatchRequest[] | null;
  /** Its destinations as found: abort writes these back. */
  original: HTTPRouteDestination[];
  /** Its destinations as the task last wrote them: drift is measured against these. */
  applied: HTTPRouteDestination[];
}

export type Scope = Pick<TaskStatus, "service" | "namespace" | "virtualServiceName" | "routing">;
export type EntryScope = Scope & Pick<TaskStatus, "entryRoutes">;
export type Cluster = Pick<ServiceClusterState, "virtualService" | "virtualServices">;

/** Bound to a Gateway (`gateways` names one besides `mesh`): the ingress gateway applies its routes. */
export function isGatewayBound(vs: VirtualService): boolean {
  return (vs.spec.gateways ?? []).some((g) => g !== "mesh");
}

function toService(d: Destination | undefined, scope: Pick<Scope, "service" | "namespace">): boolean {
  return d !== undefined && typeof d.host === "string" && hostMatchesService(d.host, scope.service, scope.namespace);
}

/** Does any destination of the route's `route` list send requests to the service? */
export function sendsToService(route: HTTPRoute, scope: Pick<Scope, "service" | "namespace">): boolean {
  return (route.route ?? []).some((d) => toService(d?.destination, scope));
}

function onlyToService(route: HTTPRoute, scope: Pick<Scope, "service" | "namespace">): boolean {
  const dests = route.route ?? [];
  return dests.length > 0 && dests.every((d) => toService(d?.destination, scope));
}

/** Gateway-bound VirtualServices other than the task's own: the ingress gateway's routes. */
function gatewayVirtualServices(cluster: Cluster, scope: Scope): VirtualService[] {
  const own = scope.routing === "istio" ? scope.virtualServiceName : null;
  return hostVirtualServices(cluster).filter((vs) => isGatewayBound(vs) && vs.metadata.name !== own);
}

function describeDestination(d: HTTPRouteDestination, count: number): string {
  const subset = d.destination.subset ? ` subset ${d.destination.subset}` : "";
  return `${d.destination.host}${subset} ${d.weight ?? (count === 1 ? 100 : 0)}%`;
}

/** Why the console cannot give `route` the release's weights; null for a plain forward to the base. */
function unfollowable(
  route: HTTPRoute,
  scope: Scope,
  base: { version: string; subsets: readonly string[] },
): Unfollowable | null {
  const dests = route.route ?? [];
  if (dests.length > 1) {
    const split = dests.map((d) => describeDestination(d, dests.length)).join(", ");
    return { reason: `it splits its traffic itself (${split})`, key: "err.entry.splits", params: { split } };
  }
  if (routeDestinations(route, "").some((x) => x.path.includes("mirror") && toService(x.destination, scope)))
    return { reason: `it mirrors requests to ${scope.service}`, key: "err.entry.mirrors", params: {} };
  const subset = dests[0]?.destination.subset;
  if (subset !== undefined && subset !== "" && !base.subsets.includes(subset))
    return {
      reason: `it sends everything to subset ${subset}, which is not the base version ${base.version}`,
      key: "err.entry.otherSubset",
      params: { subset },
    };
  return null;
}

/** Why a gateway route cannot be followed: in English, and as the catalog message of a refusal naming only it. */
interface Unfollowable {
  reason: string;
  key: "err.entry.splits" | "err.entry.mirrors" | "err.entry.otherSubset";
  params: MessageVars;
}

interface Refused {
  virtualService: string;
  index: number;
  name: string | null;
  id: string;
  gateways: string[];
  reason: string;
  why: Unfollowable;
}

/** The gateway routes to the service: the ones the task can follow, and why it cannot follow the others. */
export function scanEntryRoutes(
  cluster: Cluster,
  scope: Scope,
  base: { version: string; subsets: readonly string[] },
): { followable: EntryRoute[]; refused: Refused[] } {
  const followable: EntryRoute[] = [];
  const refused: Refused[] = [];
  for (const vs of gatewayVirtualServices(cluster, scope)) {
    const gateways = (vs.spec.gateways ?? []).filter((g) => g !== "mesh");
    (vs.spec.http ?? []).forEach((route, index) => {
      if (!route || !sendsToService(route, scope)) return;
      const ref = {
        virtualService: vs.metadata.name,
        index,
        name: route.name ?? null,
        id: routeId(vs.metadata.name, index, route.name),
        gateways,
      };
      const why = unfollowable(route, scope, base);
      if (why !== null) refused.push({ ...ref, reason: why.reason, why });
      else
        followable.push({
          ...ref,
          match: route.match ? clone(route.match) : null,
          original: clone(route.route ?? []),
          applied: clone(route.route ?? []),
        });
    });
  }
  return { followable, refused };
}

function refusal(refused: readonly Refused[], scope: Scope, baseVersion: string): PlanError {
  const one = refused.length === 1;
  const each = refused
    .map((r) => `${r.id} (VirtualService ${r.virtualService} on ${r.gateways.join(", ")}): ${r.reason}`)
    .join("; ");
  const message = `cannot follow the ingress gateway route${one ? "" : "s"} ${each}. Only a route with one destination to ${scope.service} (no subset, or the base version ${baseVersion}'s) can carry this release's weights; change ${one ? "that route" : "those routes"}, or set routing.entryRoutes to "ignore" to leave gateway routes as they are (users entering through ${one ? "that gateway" : "those gateways"} are then not part of the release)`;
  const details = {
    path: "routing.entryRoutes",
    routes: refused.map((r) => ({
      virtualService: r.virtualService,
      index: r.index,
      name: r.name,
      id: r.id,
      reason: r.reason,
    })),
  };
  const first = refused[0];
  const common = { service: scope.service, base: baseVersion };
  // One route: the catalog says all of it. Several: it names them; each reason stays in the English message.
  const text =
    one && first
      ? localized(first.why.key, {
          ...first.why.params,
          ...common,
          route: first.id,
          vs: first.virtualService,
          gateways: first.gateways.join(", "),
        })
      : localized("err.entry.several", { ...common, routes: refused.map((r) => r.id).join(", ") });
  return planErrorSummarized("conflict", message, text, details);
}

/** At create (after the task's subsets are resolved): the gateway routes the task will follow, or the refusal. */
export function takeEntryRoutes(
  spec: Pick<TaskSpec, "routing">,
  cluster: ServiceClusterState,
  status: TaskStatus,
): EntryRoute[] {
  if (status.routing !== "istio" || spec.routing?.entryRoutes === "ignore") return [];
  const base = {
    version: status.baseVersion,
    subsets: subsetsOfVersion(status.baseVersion, status.subsets, cluster.destinationRule),
  };
  const scan = scanEntryRoutes(cluster, status, base);
  if (scan.refused.length > 0) throw refusal(scan.refused, status, status.baseVersion);
  return scan.followable;
}

/** Where the entry route is in `vs` now (by name, else by match); -1 when it is gone or no longer routes only to the service. */
export function locateEntry(
  vs: VirtualService | undefined,
  entry: Pick<EntryRoute, "name" | "index" | "match">,
  scope: Pick<Scope, "service" | "namespace">,
): number {
  const http = vs?.spec.http ?? [];
  const same = (r: HTTPRoute | undefined) =>
    r !== undefined &&
    r !== null &&
    (entry.name !== null ? r.name === entry.name : r.name === undefined && deepEqual(r.match ?? null, entry.match));
  // Someone may have added or removed routes before it: look beyond its last position.
  const i = same(http[entry.index]) ? entry.index : http.findIndex(same);
  const route = http[i];
  return route && onlyToService(route, scope) ? i : -1;
}

/** What an entry route should carry: the task's split, all on one version, or its destinations as found / as last written. */
export type EntryIntent = { weights: Record<string, number> } | { single: string } | "original" | "applied";

/** The route's destinations for `intent`: its host string, port and per-destination extras, the task's subsets. */
export function entryDestinations(
  entry: EntryRoute,
  status: Pick<TaskStatus, "subsets" | "baseVersion" | "newVersion">,
  intent: EntryIntent,
): HTTPRouteDestination[] {
  if (intent === "original") return clone(entry.original);
  if (intent === "applied") return clone(entry.applied);
  const found = entry.original[0];
  const extras: Record<string, unknown> = found ? clone(found) : {};
  delete extras.destination;
  delete extras.weight;
  const to = (version: string): HTTPRouteDestination => {
    const destination: Destination = { host: found?.destination.host ?? "", subset: subsetOf(status.subsets, version) };
    if (found?.destination.port) destination.port = clone(found.destination.port);
    return { destination, ...extras };
  };
  if ("single" in intent) return [to(intent.single)];
  return orderedVersions(status, intent.weights).map((v) => ({ ...to(v), weight: intent.weights[v] ?? 0 }));
}

/** All on the base version: what an entry route carries while the new version's pods come and go. */
export function pinnedToBase(
  entry: EntryRoute,
  status: Pick<TaskStatus, "subsets" | "baseVersion" | "newVersion">,
): HTTPRouteDestination[] {
  return entryDestinations(entry, status, { single: status.baseVersion });
}

/** A route without a subset goes to every pod of the service, the new version's included. */
export function spreadsOverPods(dests: readonly HTTPRouteDestination[]): boolean {
  return dests.some((d) => d.destination.subset === undefined || d.destination.subset === "");
}

export interface EntryWrites {
  /** One rv-guarded replace per VirtualService whose entry routes change; `routes` names them. */
  ops: WriteOp[];
  /** The task's entry routes with where they are now and what they carry after `ops`. */
  entryRoutes: EntryRoute[];
  /** Entry routes that are gone (or route elsewhere now): left alone, unchanged in `entryRoutes`. */
  lost: EntryRoute[];
}

/** The writes that give each of the task's entry routes the destinations `render` says. */
export function entryRouteWrites(
  status: EntryScope,
  cluster: Cluster,
  render: (entry: EntryRoute) => HTTPRouteDestination[],
): EntryWrites {
  const live = new Map(hostVirtualServices(cluster).map((vs) => [vs.metadata.name, vs]));
  const edits = new Map<string, { vs: VirtualService; http: HTTPRoute[]; routes: number[] }>();
  const entryRoutes: EntryRoute[] = [];
  const lost: EntryRoute[] = [];
  for (const entry of status.entryRoutes ?? []) {
    const vs = live.get(entry.virtualService);
    const i = locateEntry(vs, entry, status);
    if (!vs || i < 0) {
      lost.push(entry);
      entryRoutes.push(entry);
      continue;
    }
    const edit = edits.get(vs.metadata.name) ?? { vs, http: clone(vs.spec.http ?? []), routes: [] };
    edits.set(vs.metadata.name, edit);
    const dests = render(entry);
    const route = edit.http[i] as HTTPRoute;
    if (!deepEqual(route.route, dests)) {
      route.route = clone(dests);
      edit.routes.push(i);
    }
    entryRoutes.push({ ...entry, index: i, applied: clone(dests) });
  }
  const ops: WriteOp[] = [...edits.values()]
    .filter((e) => e.routes.length > 0)
    .map((e) => ({
      op: "replace",
      object: replacement(e.vs, { ...e.vs.spec, http: e.http }),
      before: e.vs,
      routes: e.routes,
    }));
  return { ops, entryRoutes, lost };
}

/** The cluster as it is once `ops` landed: VirtualService writes replace (or remove) the live ones. */
export function withVirtualServiceWrites<T extends Cluster>(cluster: T, ops: readonly WriteOp[]): T {
  let next = cluster;
  for (const op of ops) {
    if (op.op === "patchReplicas" || op.object.kind !== "VirtualService") continue;
    const name = op.object.metadata.name;
    const written = op.op === "delete" ? null : (clone(op.object) as VirtualService);
    const others = (next.virtualServices ?? []).filter((v) => v.metadata.name !== name);
    const own = next.virtualService?.metadata.name === name ? written : next.virtualService;
    next = { ...next, virtualService: own, virtualServices: written ? [...others, written] : others };
  }
  return next;
}

/** Does any entry route (as last written) send requests to `subsets`? */
export function entriesSendTo(entries: readonly EntryRoute[], subsets: readonly string[]): boolean {
  return entries.some((e) =>
    e.applied.some(
      (d) =>
        d.destination.subset !== undefined &&
        subsets.includes(d.destination.subset) &&
        (d.weight ?? (e.applied.length === 1 ? 100 : 0)) > 0,
    ),
  );
}

/** The entry routes where a route sends requests now: by VirtualService name and index. */
export function entryRouteIndexes(status: EntryScope, vs: VirtualService): number[] {
  return (status.entryRoutes ?? [])
    .filter((e) => e.virtualService === vs.metadata.name)
    .map((e) => locateEntry(vs, e, status))
    .filter((i) => i >= 0);
}

/** Drift of the entry routes: their destinations against what the task last wrote; a vanished one is all drift. */
export function entryDrift(status: EntryScope, cluster: Cluster): JsonDifference[] {
  const live = new Map(hostVirtualServices(cluster).map((vs) => [vs.metadata.name, vs]));
  return (status.entryRoutes ?? []).flatMap((entry) => {
    const vs = live.get(entry.virtualService);
    const i = locateEntry(vs, entry, status);
    if (!vs || i < 0) return [{ path: entry.id, expected: entry.applied, actual: null }];
    return diffJson(entry.applied, vs.spec.http?.[i]?.route, `${entry.id}.route`);
  });
}

/** acceptDrift: the live destinations become what the task applied; entry routes that vanished are no longer followed. */
export function acceptedEntryRoutes(status: EntryScope, cluster: Cluster): EntryRoute[] {
  const live = new Map(hostVirtualServices(cluster).map((vs) => [vs.metadata.name, vs]));
  return (status.entryRoutes ?? []).flatMap((entry) => {
    const vs = live.get(entry.virtualService);
    const i = locateEntry(vs, entry, status);
    const route = vs?.spec.http?.[i];
    return route ? [{ ...entry, index: i, applied: clone(route.route ?? []) }] : [];
  });
}

export { type EntryRouteReading, readEntryRoutes, readFollowedEntryRoutes } from "./entry-routes-reading";
