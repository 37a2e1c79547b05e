// Rendering the task's routing into the live VirtualService/DestinationRule: only the default
// route's destinations and the task's owned routes change; foreign routes survive byte for byte. PURE.
import { planError } from "./errors";
import type { Moves } from "./foreign-routes";
import { clone, deepEqual } from "./json";
import { buildMatchRequest } from "./match";
import type { OwnedRouteIntent, RoutingIntent } from "./routing/intent";
import { ownedRouteName } from "./routing/owned-name";
import { formatLabels, managedLabels } from "./new-deployment";
import type { PlanOp } from "./ops";
import { deploymentVersion, findDefaultRoute, hostMatchesService, isCatchAll, templateLabels } from "./routing";
import { findVersionSubset, newSubsetName, selectsVersion, subsetOf, VERSION_LABEL } from "./subsets";
import type { TaskStatus } from "./status";
import type {
  Deployment,
  Destination,
  DestinationRule,
  DestinationRuleSpec,
  HTTPRoute,
  HTTPRouteDestination,
  K8sObject,
  ServiceClusterState,
  Subset,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

export const ISTIO_API_VERSION = "networking.istio.io/v1";

export { ownedRouteName } from "./routing/owned-name";

/** The body of a PUT: the live object with a new spec; resourceVersion stays = optimistic lock. */
/** The write that makes an Istio object carry `spec`: create when absent, replace when it differs, none when equal. */
function istioWrite(
  kind: "VirtualService" | "DestinationRule",
  name: string,
  live: K8sObject | null,
  spec: unknown,
  status: TaskStatus,
): PlanOp | null {
  if (!live) {
    return {
      op: "create",
      object: {
        apiVersion: ISTIO_API_VERSION,
        kind,
        metadata: { name, namespace: status.namespace, labels: managedLabels(status.task) },
        spec,
      },
    };
  }
  return deepEqual(spec, live.spec) ? null : { op: "replace", object: replacement(live, spec), before: live };
}

export function replacement<T extends K8sObject>(live: T, spec: unknown): T {
  const obj = clone(live) as T;
  obj.spec = clone(spec);
  // Omitting managedFields lets the API server keep tracking ownership; status is not ours to write.
  delete obj.metadata.managedFields;
  delete (obj as Record<string, unknown>).status;
  return obj;
}

/** An object fit for POST again (after someone deleted it): identity and spec only. */
export function recreation(obj: K8sObject): K8sObject {
  const metadata: K8sObject["metadata"] = { name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) metadata.namespace = obj.metadata.namespace;
  if (obj.metadata.labels !== undefined) metadata.labels = clone(obj.metadata.labels);
  if (obj.metadata.annotations !== undefined) metadata.annotations = clone(obj.metadata.annotations);
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: clone(obj.spec) };
}

/** Pod template labels of `version`'s pods: from the given Deployments. */
function podLabelsOf(version: string, deployments: readonly Deployment[]): Record<string, string> | null {
  const d = deployments.find((x) => deploymentVersion(x) === version);
  return d ? templateLabels(d) : null;
}

interface ResolvedSubsets {
  /** The DR's subsets with the missing ones appended. */
  subsets: Subset[];
  /** version -> subset name, for every version asked for (and the ones already known). */
  names: Record<string, string>;
  added: boolean;
}

/** The task's own subset of `version`, relabelled by someone since, is drift to resolve, not a reason to add another. */
function refuseRelabelled(
  subsets: readonly Subset[],
  version: string,
  podLabels: Record<string, string> | null,
  known: string | undefined,
): void {
  const mine = subsets.find((s) => s.name === known);
  if (!mine || selectsVersion(mine, version, podLabels)) return;
  const pods = podLabels ? formatLabels(podLabels) : `${VERSION_LABEL}=${version}`;
  throw planError("conflict", "err.mesh.subsetMismatch", {
    subset: mine.name,
    labels: formatLabels(mine.labels ?? {}),
    version,
    pods,
  });
}

/**
 * The subset of each version: an existing one that selects its pods, whatever its name, else a
 * new one named by its DNS label (`v1.0` -> `v1-0`) selecting version=<label>.
 */
function resolveSubsets(
  live: readonly Subset[],
  versions: readonly string[],
  known: Readonly<Record<string, string>>,
  podSources: readonly Deployment[],
): ResolvedSubsets {
  const subsets = [...live];
  const names = { ...known };
  let added = false;
  for (const version of versions) {
    const podLabels = podLabelsOf(version, podSources);
    refuseRelabelled(subsets, version, podLabels, known[version]);
    const found = findVersionSubset(subsets, version, podLabels, known[version]);
    if (found !== null) {
      names[version] = found;
      continue;
    }
    const name = newSubsetName(version, subsets);
    subsets.push({ name, labels: { [VERSION_LABEL]: version } });
    names[version] = name;
    added = true;
  }
  return { subsets, names, added };
}

export interface MeshResult {
  drOp: PlanOp | null;
  vsOp: PlanOp | null;
  drSpec: DestinationRuleSpec;
  vsSpec: VirtualServiceSpec;
}

export function destinationTo(status: TaskStatus, version: string): Destination {
  const d: Destination = { host: status.destinationHost, subset: subsetOf(status.subsets, version) };
  if (status.destinationPort) d.port = clone(status.destinationPort);
  return d;
}

/** Default-route order: base, new, then any other weighted version alphabetically. */
export function orderedVersions(
  status: Pick<TaskStatus, "baseVersion" | "newVersion">,
  weights: Record<string, number>,
): string[] {
  const others = Object.keys(weights)
    .filter((v) => v !== status.baseVersion && v !== status.newVersion && (weights[v] ?? 0) > 0)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return [status.baseVersion, status.newVersion, ...others];
}

function renderDestinations(
  existing: readonly HTTPRouteDestination[],
  status: TaskStatus,
  intent: RoutingIntent["defaultRoute"],
): HTTPRouteDestination[] {
  const reuse = (version: string): HTTPRouteDestination => {
    const subset = subsetOf(status.subsets, version);
    const prev = existing.find(
      (e) =>
        e.destination.subset === subset && hostMatchesService(e.destination.host, status.service, status.namespace),
    );
    // Keep per-destination extras (e.g. headers) someone configured on this subset.
    return prev ? clone(prev) : { destination: destinationTo(status, version) };
  };
  if ("single" in intent) {
    const d = reuse(intent.single);
    delete d.weight;
    return [d];
  }
  return orderedVersions(status, intent.weights).map((v) => {
    const d = reuse(v);
    d.weight = intent.weights[v] ?? 0;
    return d;
  });
}

function renderVirtualServiceSpec(
  live: VirtualServiceSpec | null,
  status: TaskStatus,
  intent: RoutingIntent,
  owned: readonly HTTPRoute[],
  vsName: string,
): VirtualServiceSpec {
  const spec: VirtualServiceSpec = live ? clone(live) : { hosts: [status.service], http: [] };
  const removing = new Set([...status.ownedRoutes, ...owned.map((r) => r.name ?? "")]);
  const http = (spec.http ?? []).filter((r) => !(r.name !== undefined && removing.has(r.name)));

  let d = findDefaultRoute(
    { apiVersion: "", kind: "", metadata: { name: vsName, namespace: status.namespace }, spec: { http } },
    status.service,
    status.namespace,
  );
  if (d < 0) {
    const blocking = http.findIndex(isCatchAll);
    if (blocking >= 0)
      throw planError("invalid", "err.mesh.defaultUnreachable", {
        vs: vsName,
        index: blocking,
        service: status.service,
      });
    http.push({ route: [] });
    d = http.length - 1;
  }
  const def = http[d];
  if (!def) throw planError("invalid", "err.mesh.defaultVanished");
  def.route = renderDestinations(def.route ?? [], status, intent.defaultRoute);
  if (intent.mirror === null) {
    delete def.mirror;
    delete def.mirrorPercentage;
  } else if (intent.mirror !== undefined) {
    def.mirror = destinationTo(status, intent.mirror.version);
    def.mirrorPercentage = { value: intent.mirror.percent };
  }
  http.splice(d, 0, ...clone(owned));
  spec.http = http;
  return spec;
}

/** The task's parts of the status that rendering the mesh sets. */
export type MeshStatus = Pick<
  TaskStatus,
  "subsets" | "destinationRuleName" | "virtualServiceName" | "ownedRoutes" | "lastApplied"
>;

/** The writes of one rendering and the status parts it leaves (the caller merges them). */
export interface MeshWrites extends MeshResult {
  status: MeshStatus;
}

export interface RenderOptions {
  /** Deployments whose pod labels a new subset must select (the new one too, at create). */
  podSources: readonly Deployment[];
  /** At create: an owned route's name already in the VS is a clash, not ours to replace. */
  creating?: boolean;
  /** rollback is an emergency brake: a deleted VS/DR is written again instead of refusing. */
  allowMissing?: boolean;
}

function refuseDeleted(status: TaskStatus, cluster: ServiceClusterState): void {
  if (!cluster.destinationRule && status.lastApplied.destinationRuleSpec)
    throw planError("conflict", "err.mesh.drDeleted", { name: String(status.destinationRuleName) });
  if (!cluster.virtualService && status.lastApplied.virtualServiceSpec)
    throw planError("conflict", "err.mesh.vsDeleted", { name: String(status.virtualServiceName) });
}

/** The DestinationRule keeping every field and subset, with the ones the intent routes to added (and a retired one removed). */
function renderDestinationRule(
  status: TaskStatus,
  liveDr: DestinationRule | null,
  intent: RoutingIntent,
  podSources: readonly Deployment[],
) {
  const drSpec: DestinationRuleSpec = liveDr ? clone(liveDr.spec) : { host: status.service, subsets: [] };
  const resolved = resolveSubsets(drSpec.subsets ?? [], intent.versions, status.subsets, podSources);
  const removed = intent.removeVersion === undefined ? null : subsetOf(resolved.names, intent.removeVersion);
  const subsets = resolved.subsets.filter((s) => s.name !== removed);
  if (resolved.added || subsets.length !== resolved.subsets.length || !liveDr) drSpec.subsets = subsets;
  return { drSpec, subsets: resolved.names };
}

function refuseRouteClash(live: VirtualService | null, owned: readonly HTTPRoute[], vsName: string): void {
  for (const r of owned) {
    if (live?.spec.http?.some((x) => x.name === r.name))
      throw planError("conflict", "err.mesh.routeExists", { vs: vsName, route: String(r.name) });
  }
}

/**
 * The Istio backend: a routing intent as DestinationRule subsets and VirtualService routes, owning
 * only the task's routes. Returns the writes and the status parts they leave; `status` is not changed.
 */
export function renderMesh(
  intent: RoutingIntent,
  status: TaskStatus,
  cluster: ServiceClusterState,
  opts: RenderOptions,
): MeshWrites {
  const liveDr = cluster.destinationRule;
  const liveVs = cluster.virtualService;
  if (!opts.creating && !opts.allowMissing) refuseDeleted(status, cluster);
  const dr = renderDestinationRule(status, liveDr, intent, opts.podSources);
  const routed: TaskStatus = { ...status, subsets: dr.subsets };
  const drName = liveDr?.metadata.name ?? status.service;
  const drOp = istioWrite("DestinationRule", drName, liveDr, dr.drSpec, status);

  const vsName = liveVs?.metadata.name ?? status.service;
  const owned = intent.owned.map((o) => istioOwnedRoute(o, routed));
  if (opts.creating) refuseRouteClash(liveVs, owned, vsName);
  const vsSpec = renderVirtualServiceSpec(liveVs?.spec ?? null, routed, intent, owned, vsName);
  const vsOp = istioWrite("VirtualService", vsName, liveVs, vsSpec, status);
  const parts: MeshStatus = {
    subsets: dr.subsets,
    destinationRuleName: drName,
    virtualServiceName: vsName,
    ownedRoutes: owned.map((r) => r.name ?? ""),
    lastApplied: { virtualServiceSpec: clone(vsSpec), destinationRuleSpec: clone(dr.drSpec) },
  };
  return { drOp, vsOp, drSpec: dr.drSpec, vsSpec, status: parts };
}

/**
 * Destinations of an owned route: one version takes it all (no weight, as Istio's samples write
 * it); a split lists the new version first, then the base, then any other.
 */
function ownedDestinations(weights: Record<string, number>, status: TaskStatus): HTTPRouteDestination[] {
  const versions = Object.keys(weights);
  const [only] = versions;
  if (versions.length === 1 && only !== undefined) return [{ destination: destinationTo(status, only) }];
  const first = [status.newVersion, status.baseVersion].filter((v) => v in weights);
  const rest = versions.filter((v) => !first.includes(v)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return [...first, ...rest].map((v) => ({ destination: destinationTo(status, v), weight: weights[v] ?? 0 }));
}

/**
 * An owned route of the intent as an Istio http route: each alternative of its match rules is one
 * HTTPMatchRequest (Istio ORs them), its rules ANDed in it. A cookie rule is a regex over the
 * Cookie header, the form Istio's own samples use (`cookie: regex: "^(.*?;)?(user=jason)(;.*)?$"`
 * in istio/istio samples/bookinfo/routing/route-rule-reviews-test-v2.yaml); cookieRegex also
 * allows the space browsers put after each ';'.
 */
export function istioOwnedRoute(o: OwnedRouteIntent, status: TaskStatus): HTTPRoute {
  return {
    name: ownedRouteName(status.task, o.purpose),
    match: o.match.map((rules) => buildMatchRequest(rules, o.fieldPath)),
    route: ownedDestinations(o.weights, status),
  };
}

export function describeWeights(status: TaskStatus, weights: Record<string, number>): string {
  return orderedVersions(status, weights)
    .map((v) => `${v} ${weights[v] ?? 0}%`)
    .join(" / ");
}

/**
 * The task's VS write measured against the REAL live object: renderMesh saw the VS with moved
 * routes already in place, so its op would miss them (or carry the wrong `before`).
 */
export function onLive<M extends MeshResult>(mesh: M, live: VirtualService | null): M {
  if (!live) return mesh;
  const vsOp: PlanOp | null = deepEqual(mesh.vsSpec, live.spec)
    ? null
    : { op: "replace", object: replacement(live, mesh.vsSpec), before: live };
  return { ...mesh, vsOp };
}

/** DR first (subsets exist before anything routes to them), then other VSes' moved routes, then the task's VS. */
export function withMoves(mesh: MeshResult, moves: Moves): PlanOp[] {
  return [...(mesh.drOp ? [mesh.drOp] : []), ...moves.ops, ...(mesh.vsOp ? [mesh.vsOp] : [])];
}
