// Routes the task does not own that still send traffic to a version it is about to empty
// (scale to 0, retire): refuse naming each one, or move it to the new version when the request
// lists it in moveRoutes. PURE.
import { entryRouteIndexes } from "./entry-routes";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { fieldErrorOf, planError, type PlanError } from "./errors";
import { clone } from "./json";
import type { WriteOp } from "./ops";
import { findDefaultRoute, hostMatchesService, hostVirtualServices, routeId } from "./routing";
import type { TaskStatus } from "./status";
import { subsetsOfVersion, versionOfSubset } from "./subsets";
import type {
  Destination,
  HTTPMatchRequest,
  HTTPRoute,
  HTTPRouteDestination,
  K8sObject,
  ServiceClusterState,
  Subset,
  VirtualServiceSpec,
} from "./types";

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

type Scope = Pick<
  TaskStatus,
  "service" | "namespace" | "task" | "ownedRoutes" | "virtualServiceName" | "routing" | "entryRoutes"
>;

function touches(d: Destination, subsets: readonly string[], scope: Scope): boolean {
  return (
    d.subset !== undefined && subsets.includes(d.subset) && hostMatchesService(d.host, scope.service, scope.namespace)
  );
}

/** Does `route` reference one of `subsets` at all (a destination of any weight, or the mirror)? */
export function routeUses(route: HTTPRoute, subsets: readonly string[], scope: Scope): boolean {
  const dests = [...(route.route ?? []).map((d) => d.destination), ...(route.mirror ? [route.mirror] : [])];
  return dests.some((d) => touches(d, subsets, scope));
}

/** Does `route` send any request (weight > 0, or a mirror > 0%) to one of `subsets`? Istio: a lone destination carries 100. */
export function routeSends(route: HTTPRoute, subsets: readonly string[], scope: Scope): boolean {
  const dests = route.route ?? [];
  const weighted = dests.some(
    (d) => touches(d.destination, subsets, scope) && (d.weight ?? (dests.length === 1 ? 100 : 0)) > 0,
  );
  const mirrored =
    route.mirror !== undefined && touches(route.mirror, subsets, scope) && (route.mirrorPercentage?.value ?? 100) > 0;
  return weighted || mirrored;
}

/** Routes other than the task's own (default, owned and entry routes) that use `subsets`, in every VS for the host. */
export function foreignRoutesUsing(
  cluster: Pick<ServiceClusterState, "virtualService" | "virtualServices">,
  scope: Scope,
  subsets: readonly string[],
): RouteRef[] {
  const out: RouteRef[] = [];
  const ownedPrefix = `gc-${scope.task}-`;
  for (const vs of hostVirtualServices(cluster)) {
    const ours = scope.routing === "istio" && vs.metadata.name === scope.virtualServiceName;
    const d = ours ? findDefaultRoute(vs, scope.service, scope.namespace) : -1;
    const entries = entryRouteIndexes(scope, vs);
    (vs.spec.http ?? []).forEach((r, i) => {
      if (entries.includes(i)) return;
      if (
        ours &&
        (i === d || (r.name !== undefined && (scope.ownedRoutes.includes(r.name) || r.name.startsWith(ownedPrefix))))
      )
        return;
      if (routeUses(r, subsets, scope))
        out.push({
          virtualService: vs.metadata.name,
          index: i,
          name: r.name ?? null,
          id: routeId(vs.metadata.name, i, r.name),
        });
    });
  }
  return out;
}

/** `route` with its destinations/mirror on `from` subsets moved to `to` (weights of merged destinations add up). */
export function moveRoute(route: HTTPRoute, from: readonly string[], to: Destination, scope: Scope): HTTPRoute {
  const out = clone(route);
  const dests: HTTPRouteDestination[] = [];
  for (const d of route.route ?? []) {
    const moved: HTTPRouteDestination = touches(d.destination, from, scope)
      ? { ...clone(d), destination: { ...clone(d.destination), subset: to.subset } }
      : clone(d);
    const same = dests.find(
      (x) => x.destination.subset === moved.destination.subset && x.destination.host === moved.destination.host,
    );
    if (same && same.weight !== undefined && moved.weight !== undefined) same.weight += moved.weight;
    else if (!same) dests.push(moved);
  }
  if (route.route) out.route = dests;
  if (route.mirror && touches(route.mirror, from, scope)) out.mirror = { ...clone(route.mirror), subset: to.subset };
  return out;
}

/** The action as a word of the server catalog (err.word.action.*), for "cannot {action}". */
const ACTION_WORDS: Record<string, ErrorKey> = {
  create: "err.word.action.create",
  setTraffic: "err.word.action.setTraffic",
  takeover: "err.word.action.takeover",
  switch: "err.word.action.switch",
  retireOld: "err.word.action.retireOld",
  confirm: "err.word.action.confirm",
};
function actionWord(action: string): { actionKey: ErrorKey } | { action: string } {
  const key = ACTION_WORDS[action];
  return key ? { actionKey: key } : { action };
}

function refuse(action: string, version: string, routes: RouteRef[]): PlanError {
  return planError(
    "conflict",
    routes.length === 1 ? "err.foreignRoutes.refusedOne" : "err.foreignRoutes.refusedMany",
    { ...actionWord(action), routes: routes.map((r) => r.id).join(", "), version },
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
      throw using.length > 0
        ? fieldErrorOf("moveRoutes", "err.foreignRoutes.notUsingAmong", {
            route: id,
            version: from.version,
            routes: using.map((r) => r.id).join(", "),
          })
        : fieldErrorOf("moveRoutes", "err.foreignRoutes.notUsing", { route: id, version: from.version });
  const missing = using.filter((r) => !asked.has(r.id));
  if (emptied && missing.length > 0) throw refuse(action, from.version, missing);
  const found = using.filter((r) => asked.has(r.id));
  if (found.length === 0) return { cluster, ops: [], moved: [] };
  if (to.subset === undefined)
    throw planError("conflict", "err.foreignRoutes.noNewSubset", {
      ...actionWord(action),
      routes: found.map((r) => r.id).join(", "),
    });
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
      const fromSubset =
        from.subsets.find((s) => route && routeUses(route, [s], scope)) ?? from.subsets[0] ?? from.version;
      moved.push({ ...r, fromSubset, toSubset: to.subset });
    }
    const isOwned = vs.metadata.name === cluster.virtualService?.metadata.name;
    if (isOwned && next.virtualService) next.virtualService.spec = spec;
    next.virtualServices = (next.virtualServices ?? []).map((v) =>
      v.metadata.name === vs.metadata.name ? { ...v, spec: clone(spec) } : v,
    );
    if (!isOwned || !ownedWriteFollows) ops.push(replaceOp(vs, spec));
  }
  return { cluster: next, ops, moved };
}

// ---- foreign routes as the task page shows them ----

/** One condition of a route's match, in parts the UI puts into words in the reader's language. */
export interface MatchCondition {
  /** header | query | withoutHeader | uri | method | scheme | authority | port | sourceLabel | gateway | other */
  field: string;
  /** The header, query parameter or source label name; for `other`, the Istio field's own name. */
  name: string | null;
  /** How the value is compared; null where Istio compares plainly (port, gateway, other). */
  op: "exact" | "prefix" | "regex" | "present" | null;
  value: string | null;
}
export interface ForeignRouteDestination {
  host: string;
  subset: string | null;
  /** The version label the subset selects (this service's destinations only), else null. */
  version: string | null;
  /** Share in percent; Istio gives a lone destination without weight 100. */
  weight: number;
}
/** A route the task does not own that uses the old version: what the action dialogs list. */
export interface ForeignRoute extends RouteRef {
  /** The VirtualService's gateways; empty for mesh-only (sidecar) routing. */
  gateways: string[];
  /** Alternatives (ORed), each a list of conditions (ANDed); empty: every request. */
  match: MatchCondition[][];
  destinations: ForeignRouteDestination[];
  mirror: (Omit<ForeignRouteDestination, "weight"> & { percent: number }) | null;
  /** Does it send requests to the old version now (a weight or mirror above 0), not only name it? */
  sends: boolean;
}

const STRING_FIELDS: Record<string, string> = {
  uri: "uri",
  method: "method",
  scheme: "scheme",
  authority: "authority",
};
const MAP_FIELDS: Record<string, string> = { headers: "header", queryParams: "query", withoutHeaders: "withoutHeader" };

function stringMatchParts(sm: unknown): Pick<MatchCondition, "op" | "value"> {
  const entries = sm !== null && typeof sm === "object" ? Object.entries(sm as Record<string, unknown>) : [];
  const [op, value] = entries[0] ?? [];
  if (op === "exact" || op === "prefix" || op === "regex") return { op, value: String(value) };
  return { op: "present", value: null };
}

/** One HTTPMatchRequest as conditions; its `name` is a label, not a condition. */
export function matchConditions(m: HTTPMatchRequest): MatchCondition[] {
  const out: MatchCondition[] = [];
  for (const [key, value] of Object.entries(m)) {
    if (key === "name" || value === undefined || value === null) continue;
    const mapField = MAP_FIELDS[key];
    const stringField = STRING_FIELDS[key];
    if (mapField)
      for (const [name, sm] of Object.entries(value as Record<string, unknown>))
        out.push({ field: mapField, name, ...stringMatchParts(sm) });
    else if (stringField) out.push({ field: stringField, name: null, ...stringMatchParts(value) });
    else if (key === "port") out.push({ field: "port", name: null, op: null, value: String(value) });
    else if (key === "sourceLabels")
      for (const [name, v] of Object.entries(value as Record<string, unknown>))
        out.push({ field: "sourceLabel", name, op: "exact", value: String(v) });
    else if (key === "gateways" && Array.isArray(value))
      out.push({ field: "gateway", name: null, op: null, value: value.join(", ") });
    else out.push({ field: "other", name: key, op: null, value: JSON.stringify(value) });
  }
  return out;
}

function destinationOf(
  d: Destination,
  scope: Scope,
  versions: Readonly<Record<string, string>>,
  drSubsets: readonly Subset[],
): Omit<ForeignRouteDestination, "weight"> {
  const ours = d.subset !== undefined && hostMatchesService(d.host, scope.service, scope.namespace);
  return {
    host: d.host,
    subset: d.subset ?? null,
    version: ours && d.subset !== undefined ? versionOfSubset(d.subset, versions, drSubsets) : null,
  };
}

/**
 * Every route the task does not own (in any VirtualService for the host, gateway ones that are not
 * its entry routes included) that uses `version`, described for people: where it is, what it
 * matches, where it sends and whether it sends anything to `version` now. Retire refuses while
 * one is left unlisted; take-over, switch and the last batch group may move them.
 */
export function foreignRoutesOf(
  cluster: Pick<ServiceClusterState, "virtualService" | "virtualServices" | "destinationRule" | "istioAvailable">,
  scope: Scope & Pick<TaskStatus, "subsets">,
  version: string,
): ForeignRoute[] {
  if (!cluster.istioAvailable) return [];
  const subsets = subsetsOfVersion(version, scope.subsets, cluster.destinationRule);
  const drSubsets = cluster.destinationRule?.spec.subsets ?? [];
  const byName = new Map(hostVirtualServices(cluster).map((vs) => [vs.metadata.name, vs]));
  return foreignRoutesUsing(cluster, scope, subsets).flatMap((ref): ForeignRoute[] => {
    const vs = byName.get(ref.virtualService);
    const route = vs?.spec.http?.[ref.index];
    if (!vs || !route) return [];
    const dests = route.route ?? [];
    return [
      {
        ...ref,
        gateways: vs.spec.gateways ?? [],
        match: (route.match ?? []).map(matchConditions).filter((c) => c.length > 0),
        destinations: dests.map((d) => ({
          ...destinationOf(d.destination, scope, scope.subsets, drSubsets),
          weight: d.weight ?? (dests.length === 1 ? 100 : 0),
        })),
        mirror: route.mirror
          ? {
              ...destinationOf(route.mirror, scope, scope.subsets, drSubsets),
              percent: route.mirrorPercentage?.value ?? 100,
            }
          : null,
        sends: routeSends(route, subsets, scope),
      },
    ];
  });
}
