// Rendering the task's routing into the live VirtualService/DestinationRule: only the default
// route's destinations and the task's owned routes change; foreign routes survive byte for byte. PURE.
import { planError } from "./errors";
import type { Moves } from "./foreign-routes";
import { clone, deepEqual } from "./json";
import { buildMatchRequest, cookieRegex } from "./match";
import { formatLabels, managedLabels } from "./new-deployment";
import type { PlanOp } from "./ops";
import { deploymentVersion, findDefaultRoute, hostMatchesService, isCatchAll, templateLabels } from "./routing";
import type { TaskSpec } from "./spec";
import { findVersionSubset, newSubsetName, selectsVersion, subsetOf, VERSION_LABEL } from "./subsets";
import type { TaskStatus } from "./status";
import type {
  Deployment,
  Destination,
  DestinationRuleSpec,
  HTTPMatchRequest,
  HTTPRoute,
  HTTPRouteDestination,
  K8sObject,
  ServiceClusterState,
  Subset,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

export const ISTIO_API_VERSION = "networking.istio.io/v1";

export function ownedRouteName(task: string, purpose: string): string {
  return `gc-${task}-${purpose}`;
}

/** The body of a PUT: the live object with a new spec; resourceVersion stays = optimistic lock. */
/** The write that makes an Istio object carry `spec`: create when absent, replace when it differs, none when equal. */
function istioWrite(kind: "VirtualService" | "DestinationRule", name: string, live: K8sObject | null, spec: unknown, status: TaskStatus): PlanOp | null {
  if (!live) {
    return { op: "create", object: { apiVersion: ISTIO_API_VERSION, kind, metadata: { name, namespace: status.namespace, labels: managedLabels(status.task) }, spec } };
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
function refuseRelabelled(subsets: readonly Subset[], version: string, podLabels: Record<string, string> | null, known: string | undefined): void {
  const mine = subsets.find((s) => s.name === known);
  if (!mine || selectsVersion(mine, version, podLabels)) return;
  const pods = podLabels ? formatLabels(podLabels) : `${VERSION_LABEL}=${version}`;
  throw planError("conflict", "err.mesh.subsetMismatch", { subset: mine.name, labels: formatLabels(mine.labels ?? {}), version, pods });
}

/**
 * The subset of each version: an existing one that selects its pods, whatever its name, else a
 * new one named by its DNS label (`v1.0` -> `v1-0`) selecting version=<label>.
 */
function resolveSubsets(live: readonly Subset[], versions: readonly string[], known: Readonly<Record<string, string>>, podSources: readonly Deployment[]): ResolvedSubsets {
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

interface RouteIntent {
  /** Weighted default route (base and new always present), or one weightless destination. */
  defaultRoute: { weights: Record<string, number> } | { single: string };
  /** Mirror on the default route: set, remove (null), or leave as found (undefined). */
  mirror?: { version: string; percent: number } | null;
  /** Owned match routes, in order, inserted right before the default route (built once subsets are resolved). */
  owned: (status: TaskStatus) => HTTPRoute[];
  /** Versions that need a DR subset. */
  versions: string[];
  /** Subset (by version) to remove from the DR (retireOld). */
  removeVersion?: string;
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
export function orderedVersions(status: Pick<TaskStatus, "baseVersion" | "newVersion">, weights: Record<string, number>): string[] {
  const others = Object.keys(weights)
    .filter((v) => v !== status.baseVersion && v !== status.newVersion && (weights[v] ?? 0) > 0)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return [status.baseVersion, status.newVersion, ...others];
}

function renderDestinations(existing: readonly HTTPRouteDestination[], status: TaskStatus, intent: RouteIntent["defaultRoute"]): HTTPRouteDestination[] {
  const reuse = (version: string): HTTPRouteDestination => {
    const subset = subsetOf(status.subsets, version);
    const prev = existing.find((e) => e.destination.subset === subset && hostMatchesService(e.destination.host, status.service, status.namespace));
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
  intent: RouteIntent,
  owned: readonly HTTPRoute[],
  vsName: string,
): VirtualServiceSpec {
  const spec: VirtualServiceSpec = live ? clone(live) : { hosts: [status.service], http: [] };
  const removing = new Set([...status.ownedRoutes, ...owned.map((r) => r.name ?? "")]);
  const http = (spec.http ?? []).filter((r) => !(r.name !== undefined && removing.has(r.name)));

  let d = findDefaultRoute({ apiVersion: "", kind: "", metadata: { name: vsName, namespace: status.namespace }, spec: { http } }, status.service, status.namespace);
  if (d < 0) {
    const blocking = http.findIndex(isCatchAll);
    if (blocking >= 0)
      throw planError("invalid", "err.mesh.defaultUnreachable", { vs: vsName, index: blocking, service: status.service });
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

export function renderMesh(
  status: TaskStatus,
  cluster: ServiceClusterState,
  intent: RouteIntent,
  podSources: readonly Deployment[],
  creating: boolean,
  // rollback is an emergency brake: a deleted VS/DR is written again instead of refusing.
  allowMissing = false,
): MeshResult {
  const liveDr = cluster.destinationRule;
  const liveVs = cluster.virtualService;
  if (!creating && !allowMissing) {
    if (!liveDr && status.lastApplied.destinationRuleSpec)
      throw planError("conflict", "err.mesh.drDeleted", { name: String(status.destinationRuleName) });
    if (!liveVs && status.lastApplied.virtualServiceSpec)
      throw planError("conflict", "err.mesh.vsDeleted", { name: String(status.virtualServiceName) });
  }

  // DestinationRule: keep every field and subset, add the ones we route to.
  const drSpec: DestinationRuleSpec = liveDr ? clone(liveDr.spec) : { host: status.service, subsets: [] };
  const resolved = resolveSubsets(drSpec.subsets ?? [], intent.versions, status.subsets, podSources);
  status.subsets = resolved.names;
  const removed = intent.removeVersion === undefined ? null : subsetOf(status.subsets, intent.removeVersion);
  const subsets = resolved.subsets.filter((s) => s.name !== removed);
  if (resolved.added || subsets.length !== resolved.subsets.length || !liveDr) drSpec.subsets = subsets;

  const drName = liveDr?.metadata.name ?? status.service;
  const drOp = istioWrite("DestinationRule", drName, liveDr, drSpec, status);

  const vsName = liveVs?.metadata.name ?? status.service;
  const owned = intent.owned(status);
  if (creating) {
    for (const r of owned) {
      if (liveVs?.spec.http?.some((x) => x.name === r.name))
        throw planError("conflict", "err.mesh.routeExists", { vs: vsName, route: String(r.name) });
    }
  }
  const vsSpec = renderVirtualServiceSpec(liveVs?.spec ?? null, status, intent, owned, vsName);
  const vsOp = istioWrite("VirtualService", vsName, liveVs, vsSpec, status);

  status.destinationRuleName = drName;
  status.virtualServiceName = vsName;
  status.ownedRoutes = owned.map((r) => r.name ?? "");
  status.lastApplied = { virtualServiceSpec: clone(vsSpec), destinationRuleSpec: clone(drSpec) };
  return { drOp, vsOp, drSpec, vsSpec };
}

/**
 * The blue-green preview route's matches, ORed: the header, and/or the cookie as a regex over the
 * Cookie header, the form Istio's own samples use (`cookie: regex: "^(.*?;)?(user=jason)(;.*)?$"`
 * in istio/istio samples/bookinfo/routing/route-rule-reviews-test-v2.yaml and the HTTPMatchRequest
 * example of istio/api networking/v1alpha3/virtual_service.proto); cookieRegex also allows the
 * space browsers put after each ';'.
 */
function previewMatches(header: PreviewPair | undefined, cookie: PreviewPair | undefined): HTTPMatchRequest[] {
  const out: HTTPMatchRequest[] = [];
  if (header) out.push({ headers: { [header.name]: { exact: header.value } } });
  if (cookie) out.push({ headers: { cookie: { regex: cookieRegex([cookie]) } } });
  return out;
}
type PreviewPair = { name: string; value: string };

/** All owned routes the spec asks for, in order. */
export function specOwnedRoutes(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
  const t = spec.traffic ?? {};
  const routes: HTTPRoute[] = [];
  const single = (version: string): HTTPRouteDestination[] => [{ destination: destinationTo(status, version) }];
  if (spec.strategy === "canary" && t.match) {
    const mw = t.matchWeight ?? 100;
    routes.push({
      name: ownedRouteName(spec.name, "canary"),
      match: [buildMatchRequest(t.match, "traffic.match")],
      route:
        mw === 100
          ? single(status.newVersion)
          : [
              { destination: destinationTo(status, status.newVersion), weight: mw },
              { destination: destinationTo(status, status.baseVersion), weight: 100 - mw },
            ],
    });
  }
  if (spec.strategy === "blue-green" && (t.previewHeader || t.previewCookie)) {
    routes.push({ name: ownedRouteName(spec.name, "preview"), match: previewMatches(t.previewHeader, t.previewCookie), route: single(status.newVersion) });
  }
  if (spec.strategy === "ab-test") {
    (t.variants ?? []).forEach((v, i) => {
      if (!v.match) return;
      routes.push({
        name: ownedRouteName(spec.name, `variant-${v.name}`),
        match: [buildMatchRequest(v.match, `traffic.variants[${i}].match`)],
        route: single(v.version),
      });
    });
  }
  return routes;
}

/** The owned routes currently in force (takeover/rollback drop match routes but keep a blue-green preview). */
export function activeOwnedRoutes(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
  return specOwnedRoutes(spec, status).filter((r) => status.ownedRoutes.includes(r.name ?? ""));
}

export function previewOnly(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
  const preview = ownedRouteName(spec.name, "preview");
  return specOwnedRoutes(spec, status).filter((r) => r.name === preview && status.ownedRoutes.includes(preview));
}

export function describeWeights(status: TaskStatus, weights: Record<string, number>): string {
  return orderedVersions(status, weights)
    .map((v) => `${v} ${weights[v] ?? 0}%`)
    .join(" / ");
}

export function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/**
 * The task's VS write measured against the REAL live object: renderMesh saw the VS with moved
 * routes already in place, so its op would miss them (or carry the wrong `before`).
 */
export function onLive(mesh: MeshResult, live: VirtualService | null): MeshResult {
  if (!live) return mesh;
  const vsOp: PlanOp | null = deepEqual(mesh.vsSpec, live.spec) ? null : { op: "replace", object: replacement(live, mesh.vsSpec), before: live };
  return { ...mesh, vsOp };
}

/** DR first (subsets exist before anything routes to them), then other VSes' moved routes, then the task's VS. */
export function withMoves(mesh: MeshResult, moves: Moves): PlanOp[] {
  return [...(mesh.drOp ? [mesh.drOp] : []), ...moves.ops, ...(mesh.vsOp ? [mesh.vsOp] : [])];
}
