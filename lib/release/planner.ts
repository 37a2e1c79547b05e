// The release planner: (task spec | task + action) + cluster state -> the exact Kubernetes
// writes, the next persisted status and the next state. PURE and deterministic: it never
// reads the cluster itself (lib/k8s hands it a ServiceClusterState) and never writes it
// (lib/k8s applies the ops in order).
import { PlanError } from "./errors";
import { moveOrRefuse, routeSends, subsetsOfVersion, type Moves } from "./foreign-routes";
import { hpaCopy, hpaDelete, hpaOf, refuseHpaFight } from "./hpa";
import { clone, deepEqual } from "./json";
import { restoreDestinationRule, restoreMovedRoutes, restoreVirtualService } from "./owned";
import { drainOps, podsOf, refuseUnready, rolloutOf, waitReadyOp, type Rollout } from "./readiness";
import { buildMatchRequest } from "./match";
import {
  ANY_SUBSET,
  deploymentVersion,
  findDefaultRoute,
  groupVersions,
  hostMatchesService,
  isCatchAll,
  mainContainerIndex,
  routeWeights,
  templateLabels,
} from "./routing";
import type { ActionRequest, TaskSpec } from "./spec";
import { transition } from "./state-machine";
import type { TaskStatus } from "./status";
import {
  LABEL_MANAGED_BY,
  LABEL_TASK,
  MANAGED_BY,
  type Container,
  type Deployment,
  type Destination,
  type DestinationRule,
  type DestinationRuleSpec,
  type HTTPRoute,
  type HTTPRouteDestination,
  type K8sObject,
  type ServiceClusterState,
  type Subset,
  type TaskState,
  type VirtualService,
  type VirtualServiceSpec,
} from "./types";

export { PlanError } from "./errors";
export type { PlanErrorCode } from "./errors";
export type { TaskStatus, BatchProgress } from "./status";

import type { PlanOp } from "./ops";
export type { PlanOp, WriteOp, WaitOp } from "./ops";

export interface Plan {
  /** Apply in this order. */
  ops: PlanOp[];
  status: TaskStatus;
  state: TaskState;
  summary: string;
}

export const ISTIO_API_VERSION = "networking.istio.io/v1";

// ---------------------------------------------------------------- small pure helpers

/** Replicas per group: beta -> first group 1 replica, the rest split evenly (earlier groups get the remainder). */
export function batchPlan(replicas: number, groups: number, betaGroup: boolean): number[] {
  const split = (n: number, k: number): number[] => {
    const each = Math.floor(n / k);
    const rem = n % k;
    return Array.from({ length: k }, (_, i) => each + (i < rem ? 1 : 0));
  };
  if (groups <= 1) return [replicas];
  if (betaGroup) return [1, ...split(replicas - 1, groups - 1)];
  return split(replicas, groups);
}

/** replica-canary: how a pool of T pods is shared so the Service's round-robin gives ~newWeight% to the canary. */
export function splitPool(pool: number, newWeight: number): { canary: number; base: number } {
  let canary = Math.round((pool * newWeight) / 100);
  if (newWeight > 0 && canary < 1) canary = 1;
  if (canary > pool) canary = pool;
  return { canary, base: pool - canary };
}

export function newDeploymentName(spec: Pick<TaskSpec, "service" | "strategy" | "newVersion">): string {
  return spec.strategy === "replica-canary" ? `${spec.service}-canary` : `${spec.service}-${spec.newVersion.version}`;
}

export function ownedRouteName(task: string, purpose: string): string {
  return `gc-${task}-${purpose}`;
}

function replicasOf(d: Deployment): number {
  // The API server defaults an unset replicas to 1.
  return d.spec.replicas ?? 1;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
  [k: string]: unknown;
}
function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || value === undefined || !(e.values ?? []).includes(value)) return false;
        break;
      case "NotIn":
        if (has && value !== undefined && (e.values ?? []).includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
function labelsInclude(labels: Record<string, string>, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => labels[k] === v);
}
function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The body of a PUT: the live object with a new spec; resourceVersion stays = optimistic lock. */
/** The write that makes an Istio object carry `spec`: create when absent, replace when it differs, none when equal. */
function istioWrite(kind: "VirtualService" | "DestinationRule", name: string, live: K8sObject | null, spec: unknown, status: TaskStatus): PlanOp | null {
  if (!live) {
    return { op: "create", object: { apiVersion: ISTIO_API_VERSION, kind, metadata: { name, namespace: status.namespace, labels: managedLabels(status.task) }, spec } };
  }
  return deepEqual(spec, live.spec) ? null : { op: "replace", object: replacement(live, spec), before: live };
}

function replacement<T extends K8sObject>(live: T, spec: unknown): T {
  const obj = clone(live) as T;
  obj.spec = clone(spec);
  // Omitting managedFields lets the API server keep tracking ownership; status is not ours to write.
  delete obj.metadata.managedFields;
  delete (obj as Record<string, unknown>).status;
  return obj;
}

/** An object fit for POST again (after someone deleted it): identity and spec only. */
function recreation(obj: K8sObject): K8sObject {
  const metadata: K8sObject["metadata"] = { name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) metadata.namespace = obj.metadata.namespace;
  if (obj.metadata.labels !== undefined) metadata.labels = clone(obj.metadata.labels);
  if (obj.metadata.annotations !== undefined) metadata.annotations = clone(obj.metadata.annotations);
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: clone(obj.spec) };
}

function managedLabels(task: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TASK]: task };
}

function fieldError(path: string, message: string, code: "invalid" | "not_found" | "conflict" = "invalid"): PlanError {
  return new PlanError(code, `${path}: ${message}`, { path });
}

// ---------------------------------------------------------------- base detection

interface BaseInfo {
  version: string;
  deployments: Deployment[];
  primary: Deployment;
}

function subsetVersion(dr: DestinationRule | null, subset: string): string {
  const s = dr?.spec.subsets?.find((x) => x.name === subset);
  return s?.labels?.version ?? subset;
}

function detectBase(spec: TaskSpec, cluster: ServiceClusterState, readMesh: boolean): BaseInfo {
  const svc = spec.service;
  let version = spec.baseVersion;
  if (version === undefined && readMesh && cluster.virtualService) {
    const vs = cluster.virtualService;
    const d = findDefaultRoute(vs, svc, cluster.namespace);
    const route = d >= 0 ? vs.spec.http?.[d] : undefined;
    if (route) {
      const weights = Object.entries(routeWeights(route.route ?? [], svc, cluster.namespace)).filter(
        ([k]) => k !== ANY_SUBSET && !k.includes("/"),
      );
      const top = Math.max(...weights.map(([, w]) => w));
      const leaders = weights.filter(([, w]) => w === top);
      if (leaders.length > 1)
        throw fieldError(
          "baseVersion",
          `cannot detect the base version: subsets ${leaders.map(([k]) => k).join(", ")} share the most traffic (${top}%); set baseVersion`,
        );
      const leader = leaders[0];
      if (leader) version = subsetVersion(cluster.destinationRule, leader[0]);
    }
  }
  if (version === undefined) {
    const versions = groupVersions(cluster.deployments, svc);
    if (versions.length === 0) throw fieldError("service", `no Deployment has pods labelled app=${svc}`, "not_found");
    if (versions.length > 1)
      throw fieldError(
        "baseVersion",
        `cannot detect the base version: ${svc} runs versions ${versions.map((v) => v.version).join(", ")} and no route picks one; set baseVersion`,
      );
    version = versions[0]?.version;
  }
  const wanted = version ?? "";
  const deployments = cluster.deployments
    .filter((d) => templateLabels(d).app === svc && deploymentVersion(d) === wanted)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const primary = deployments.find((d) => d.metadata.name === `${svc}-${wanted}`) ?? deployments[0];
  if (!primary) throw fieldError("baseVersion", `no Deployment with app=${svc}, version=${wanted}`, "not_found");
  return { version: wanted, deployments, primary };
}

// ---------------------------------------------------------------- the new Deployment

const DROPPED_ANNOTATIONS = [
  "deployment.kubernetes.io/revision",
  // kubectl would otherwise three-way-merge the copy against the base's last apply.
  "kubectl.kubernetes.io/last-applied-configuration",
];

function buildNewDeployment(spec: TaskSpec, base: Deployment, name: string, replicas: number, extraTemplateLabels: Record<string, string>): Deployment {
  const svc = spec.service;
  const nv = spec.newVersion.version;
  const src = clone(base);

  const annotations = { ...(src.metadata.annotations ?? {}) };
  for (const a of DROPPED_ANNOTATIONS) delete annotations[a];
  const metadata: Deployment["metadata"] = {
    name,
    namespace: base.metadata.namespace ?? spec.namespace,
    labels: { ...(src.metadata.labels ?? {}), app: svc, version: nv, ...managedLabels(spec.name) },
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;

  const templateMeta = { ...(src.spec.template.metadata ?? {}) };
  delete templateMeta.creationTimestamp;
  templateMeta.labels = { ...(templateMeta.labels ?? {}), ...extraTemplateLabels, app: svc, version: nv };
  if (spec.newVersion.annotations) templateMeta.annotations = { ...(templateMeta.annotations ?? {}), ...spec.newVersion.annotations };

  const containers = src.spec.template.spec.containers.map((c) => ({ ...c }));
  const mainIndex = mainContainerIndex(src, svc);
  const main = containers[mainIndex];
  if (!main) throw fieldError("baseVersion", `base Deployment ${base.metadata.name} has no containers`);
  containers[mainIndex] = customiseContainer(main, spec.newVersion);

  const out: Deployment = {
    apiVersion: src.apiVersion || "apps/v1",
    kind: "Deployment",
    metadata,
    spec: {
      ...src.spec,
      replicas,
      selector: { matchLabels: { app: svc, version: nv } },
      template: { ...src.spec.template, metadata: templateMeta, spec: { ...src.spec.template.spec, containers } },
    },
  };
  return out;
}

function customiseContainer(c: Container, nv: TaskSpec["newVersion"]): Container {
  const out: Container = { ...c, image: nv.image };
  if (nv.resources) {
    // Merge per key: giving only limits.memory must not wipe the base's requests.
    const prev = (c.resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string>; [k: string]: unknown };
    const merged: Record<string, unknown> = { ...prev };
    if (nv.resources.requests) merged.requests = { ...(prev.requests ?? {}), ...stripUndefined(nv.resources.requests) };
    if (nv.resources.limits) merged.limits = { ...(prev.limits ?? {}), ...stripUndefined(nv.resources.limits) };
    out.resources = merged;
  }
  if (nv.env) {
    const env = [...((c.env ?? []) as { name?: string }[])];
    for (const e of nv.env) {
      const k8s =
        "value" in e
          ? { name: e.name, value: e.value }
          : "secretKeyRef" in e
            ? { name: e.name, valueFrom: { secretKeyRef: { ...e.secretKeyRef } } }
            : { name: e.name, valueFrom: { configMapKeyRef: { ...e.configMapKeyRef } } };
      const i = env.findIndex((x) => x.name === e.name);
      if (i >= 0) env[i] = k8s;
      else env.push(k8s);
    }
    out.env = env;
  }
  if (nv.readinessProbe) out.readinessProbe = stripUndefined(nv.readinessProbe);
  if (nv.livenessProbe) out.livenessProbe = stripUndefined(nv.livenessProbe);
  if (nv.command) out.command = [...nv.command];
  if (nv.args) out.args = [...nv.args];
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The new pods must be selected by the Service and by no other Deployment (or two ReplicaSets would fight over them). */
function checkSelectors(newDep: Deployment, cluster: ServiceClusterState, baseName: string): void {
  const labels = templateLabels(newDep);
  const selector = cluster.service.spec.selector;
  if (!selector || Object.keys(selector).length === 0)
    throw fieldError("service", `Service ${cluster.service.metadata.name} has no selector, so its endpoints cannot include the new pods`);
  if (!labelsInclude(labels, selector))
    throw fieldError(
      "service",
      `Service ${cluster.service.metadata.name} selects ${formatLabels(selector)}, which the new pods (${formatLabels(labels)}) would not match`,
    );
  for (const d of cluster.deployments) {
    if (d.metadata.name === newDep.metadata.name) continue;
    if (selectorMatches(d.spec.selector as LabelSelector, labels)) {
      const which = d.metadata.name === baseName ? "base Deployment" : "Deployment";
      throw fieldError(
        "baseVersion",
        `${which} ${d.metadata.name} selects ${formatLabels(d.spec.selector.matchLabels ?? {})}, which would also adopt the new pods; give its selector a version label`,
      );
    }
  }
}

// ---------------------------------------------------------------- mesh rendering

/** Pod template labels of `version`'s pods: from the given Deployments. */
function podLabelsOf(version: string, deployments: readonly Deployment[]): Record<string, string> | null {
  const d = deployments.find((x) => deploymentVersion(x) === version);
  return d ? templateLabels(d) : null;
}

/**
 * The DR subset that selects `version`'s pods: one named like the version, else one whose
 * labels say version=<version>; null when a subset must be added.
 */
function findSubset(subsets: readonly Subset[], version: string, podLabels: Record<string, string> | null): string | null {
  const byName = subsets.find((s) => s.name === version);
  if (byName) {
    if (podLabels && !labelsInclude(podLabels, byName.labels ?? {}))
      throw new PlanError(
        "conflict",
        `DestinationRule subset ${version} selects ${formatLabels(byName.labels ?? {})}, which does not match the ${version} pods (${formatLabels(podLabels)})`,
      );
    return byName.name;
  }
  const byLabel = subsets.find(
    (s) => s.labels?.version === version && (podLabels === null || labelsInclude(podLabels, s.labels ?? {})),
  );
  return byLabel ? byLabel.name : null;
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

interface MeshResult {
  drOp: PlanOp | null;
  vsOp: PlanOp | null;
  drSpec: DestinationRuleSpec;
  vsSpec: VirtualServiceSpec;
}

function destinationTo(status: TaskStatus, version: string): Destination {
  const d: Destination = { host: status.destinationHost, subset: status.subsets[version] ?? version };
  if (status.destinationPort) d.port = clone(status.destinationPort);
  return d;
}

/** Default-route order: base, new, then any other weighted version alphabetically. */
function orderedVersions(status: TaskStatus, weights: Record<string, number>): string[] {
  const others = Object.keys(weights)
    .filter((v) => v !== status.baseVersion && v !== status.newVersion && (weights[v] ?? 0) > 0)
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return [status.baseVersion, status.newVersion, ...others];
}

function renderDestinations(existing: readonly HTTPRouteDestination[], status: TaskStatus, intent: RouteIntent["defaultRoute"]): HTTPRouteDestination[] {
  const reuse = (version: string): HTTPRouteDestination => {
    const subset = status.subsets[version] ?? version;
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
      throw new PlanError(
        "invalid",
        `VirtualService ${vsName} sends all remaining traffic elsewhere at http[${blocking}], so a default route for ${status.service} would never be reached`,
      );
    http.push({ route: [] });
    d = http.length - 1;
  }
  const def = http[d];
  if (!def) throw new PlanError("invalid", "internal: default route vanished");
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

function renderMesh(
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
      throw new PlanError("conflict", `DestinationRule ${status.destinationRuleName} was deleted; resync to recreate it or abort`);
    if (!liveVs && status.lastApplied.virtualServiceSpec)
      throw new PlanError("conflict", `VirtualService ${status.virtualServiceName} was deleted; resync to recreate it or abort`);
  }

  // DestinationRule: keep every field and subset, add the ones we route to.
  const drSpec: DestinationRuleSpec = liveDr ? clone(liveDr.spec) : { host: status.service, subsets: [] };
  const subsets: Subset[] = drSpec.subsets ? drSpec.subsets : [];
  let drChanged = false;
  for (const version of intent.versions) {
    const name = findSubset(subsets, version, podLabelsOf(version, podSources));
    if (name !== null) {
      status.subsets[version] = name;
      continue;
    }
    subsets.push({ name: version, labels: { version } });
    status.subsets[version] = version;
    drChanged = true;
  }
  if (intent.removeVersion !== undefined) {
    const name = status.subsets[intent.removeVersion] ?? intent.removeVersion;
    const i = subsets.findIndex((s) => s.name === name);
    if (i >= 0) {
      subsets.splice(i, 1);
      drChanged = true;
    }
  }
  if (drChanged || !liveDr) drSpec.subsets = subsets;

  const drName = liveDr?.metadata.name ?? status.service;
  const drOp = istioWrite("DestinationRule", drName, liveDr, drSpec, status);

  const vsName = liveVs?.metadata.name ?? status.service;
  const owned = intent.owned(status);
  if (creating) {
    for (const r of owned) {
      if (liveVs?.spec.http?.some((x) => x.name === r.name))
        throw new PlanError("conflict", `VirtualService ${vsName} already has a route named ${r.name}`);
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

/** All owned routes the spec asks for, in order. */
function specOwnedRoutes(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
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
  if (spec.strategy === "blue-green" && t.previewHeader) {
    routes.push({
      name: ownedRouteName(spec.name, "preview"),
      match: [{ headers: { [t.previewHeader.name]: { exact: t.previewHeader.value } } }],
      route: single(status.newVersion),
    });
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
function activeOwnedRoutes(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
  return specOwnedRoutes(spec, status).filter((r) => status.ownedRoutes.includes(r.name ?? ""));
}
function previewOnly(spec: TaskSpec, status: TaskStatus): HTTPRoute[] {
  const preview = ownedRouteName(spec.name, "preview");
  return specOwnedRoutes(spec, status).filter((r) => r.name === preview && status.ownedRoutes.includes(preview));
}

function meshOps(m: MeshResult, removing: boolean): PlanOp[] {
  // Make before break: subsets exist before routes use them; routes stop using a subset before it goes.
  const ops = removing ? [m.vsOp, m.drOp] : [m.drOp, m.vsOp];
  return ops.filter((o): o is PlanOp => o !== null);
}

function scaleOp(d: Deployment, replicas: number): PlanOp | null {
  const previous = replicasOf(d);
  if (previous === replicas) return null;
  return { op: "patchReplicas", kind: "Deployment", namespace: d.metadata.namespace ?? "", name: d.metadata.name, replicas, previous };
}

/** Scale-ups first, scale-downs last, so capacity never dips while traffic moves. */
function orderScaling(ups: (PlanOp | null)[], middle: PlanOp[], downs: (PlanOp | null)[]): PlanOp[] {
  return [...ups.filter((o): o is PlanOp => o !== null), ...middle, ...downs.filter((o): o is PlanOp => o !== null)];
}

function describeWeights(status: TaskStatus, weights: Record<string, number>): string {
  return orderedVersions(status, weights)
    .map((v) => `${v} ${weights[v] ?? 0}%`)
    .join(" / ");
}

// ---------------------------------------------------------------- planCreate

function checkTarget(spec: TaskSpec, cluster: ServiceClusterState): void {
  if (spec.namespace !== cluster.namespace)
    throw fieldError("namespace", `cluster state is for namespace ${cluster.namespace}, not ${spec.namespace}`);
  if (spec.service !== cluster.service.metadata.name)
    throw fieldError("service", `cluster state is for Service ${cluster.service.metadata.name}, not ${spec.service}`);
}

export function planCreate(spec: TaskSpec, cluster: ServiceClusterState): Plan {
  checkTarget(spec, cluster);
  const strategy = spec.strategy;
  const nv = spec.newVersion.version;
  const svc = spec.service;

  if (!cluster.istioAvailable && strategy !== "replica-canary" && strategy !== "batch")
    throw fieldError("strategy", "Istio CRDs not installed; use replica-canary");
  // Batch without a VirtualService in use (or without Istio) lets the Service spread traffic by replica counts.
  const routing: TaskStatus["routing"] =
    strategy === "replica-canary" || (strategy === "batch" && (!cluster.istioAvailable || !cluster.virtualService)) ? "replicas" : "istio";

  const newName = newDeploymentName(spec);
  const clash = cluster.deployments.find((d) => d.metadata.name === newName || (templateLabels(d).app === svc && deploymentVersion(d) === nv));
  if (clash)
    throw fieldError("newVersion.version", `version ${nv} already exists as Deployment ${clash.metadata.name}`, "conflict");

  const base = detectBase(spec, cluster, routing === "istio");
  if (base.version === nv) throw fieldError("newVersion.version", `must differ from the base version ${base.version}`);
  if ((strategy === "batch" || strategy === "replica-canary") && base.deployments.length > 1)
    throw fieldError(
      "baseVersion",
      `version ${base.version} runs in ${base.deployments.length} Deployments (${base.deployments.map((d) => d.metadata.name).join(", ")}); ${strategy} scales exactly one`,
    );
  if (routing === "istio" && templateLabels(base.primary).version === undefined)
    throw fieldError(
      "baseVersion",
      `base Deployment ${base.primary.metadata.name} has no version label on its pod template, so no Istio subset can select it; label it or use replica-canary`,
    );
  const baseReplicas = replicasOf(base.primary);
  const baseHpa = hpaOf(cluster, base.primary.metadata.name);
  refuseHpaFight(strategy, base.primary.metadata.name, baseHpa);

  const status: TaskStatus = {
    task: spec.name,
    strategy,
    namespace: spec.namespace,
    service: svc,
    baseVersion: base.version,
    newVersion: nv,
    baseDeployment: base.primary.metadata.name,
    baseDeployments: base.deployments.map((d) => d.metadata.name),
    newDeployment: newName,
    routing,
    virtualServiceName: null,
    destinationRuleName: null,
    destinationHost: svc,
    destinationPort: null,
    subsets: {},
    weights: {},
    mirrorPercent: null,
    previewHeader: spec.traffic?.previewHeader ? { ...spec.traffic.previewHeader } : null,
    batch: null,
    ownedRoutes: [],
    replicaPool: null,
    original: {
      virtualService: routing === "istio" ? clone(cluster.virtualService) : null,
      destinationRule: routing === "istio" ? clone(cluster.destinationRule) : null,
      baseReplicas,
    },
    lastApplied: { virtualServiceSpec: null, destinationRuleSpec: null },
    created: { virtualService: false, destinationRule: false, deployment: true },
    takenOver: false,
    hpa: { base: baseHpa?.metadata.name ?? null, copy: baseHpa ? newName : null },
    movedRoutes: [],
  };

  // ---- replicas and the intended split
  const t = spec.traffic ?? {};
  let newReplicas = spec.newVersion.replicas;
  let baseTarget: number | null = null;
  let state: TaskState = "progressing";
  const twoWay = (w: Record<string, number>): Record<string, number> => {
    if (!(base.version in w))
      throw fieldError("traffic.weights", `must name the base version ${base.version} and the new version ${nv} (got ${Object.keys(w).join(", ")})`);
    return { [base.version]: w[base.version] ?? 0, [nv]: w[nv] ?? 0 };
  };
  switch (strategy) {
    case "replica-canary": {
      const w = twoWay(t.weights ?? {});
      const pool = Math.max(baseReplicas, spec.newVersion.replicas, 1);
      const split = splitPool(pool, w[nv] ?? 0);
      newReplicas = split.canary;
      baseTarget = split.base;
      status.replicaPool = pool;
      status.weights = w;
      break;
    }
    case "batch": {
      const b = spec.batch;
      if (!b) throw fieldError("batch", "batch needs batch.groups");
      const r = spec.newVersion.replicas;
      const plan = batchPlan(r, b.groups, b.betaGroup ?? false);
      const done = plan[0] ?? r;
      const last = plan.length === 1;
      newReplicas = last ? r : done;
      baseTarget = last ? 0 : Math.round(baseReplicas * (1 - done / r));
      const wn = last ? 100 : Math.round((100 * done) / r);
      status.weights = { [base.version]: 100 - wn, [nv]: wn };
      status.batch = { plan, current: 1, baseInitialReplicas: baseReplicas };
      state = last ? "completed" : "awaiting-confirmation";
      break;
    }
    case "canary":
      status.weights = t.weights ? twoWay(t.weights) : { [base.version]: 100, [nv]: 0 };
      break;
    case "blue-green":
    case "mirror":
      status.weights = { [base.version]: 100, [nv]: 0 };
      if (strategy === "mirror") status.mirrorPercent = t.mirrorPercent ?? 0;
      break;
    case "ab-test": {
      const variants = t.variants ?? [];
      const known = new Set(groupVersions(cluster.deployments, svc).map((g) => g.version));
      variants.forEach((v, i) => {
        if (v.version !== nv && !known.has(v.version))
          throw fieldError(`traffic.variants[${i}].version`, `no Deployment runs version ${v.version} of ${svc}`, "not_found");
      });
      const weighted = variants.filter((v) => v.weight !== undefined);
      const w: Record<string, number> = { [base.version]: 0, [nv]: 0 };
      if (weighted.length === 0) w[base.version] = 100;
      for (const v of weighted) w[v.version] = (w[v.version] ?? 0) + (v.weight ?? 0);
      status.weights = w;
      break;
    }
  }

  const extraLabels = strategy === "replica-canary" ? { ...(cluster.service.spec.selector ?? {}) } : {};
  const newDep = buildNewDeployment(spec, base.primary, newName, newReplicas, extraLabels);
  checkSelectors(newDep, cluster, base.primary.metadata.name);

  const rollout = rolloutOf(spec);
  const ops: PlanOp[] = [{ op: "create", object: newDep }];
  if (baseHpa) ops.push({ op: "create", object: hpaCopy(baseHpa, newName, spec.name) });
  const ready = waitReadyOp(status.namespace, newName, nv, newReplicas, rollout);

  if (routing === "istio") {
    const vs = cluster.virtualService;
    if (vs) {
      const d = findDefaultRoute(vs, svc, cluster.namespace);
      const first = d >= 0 ? vs.spec.http?.[d]?.route?.[0]?.destination : undefined;
      if (first) {
        status.destinationHost = first.host;
        if (first.port) status.destinationPort = clone(first.port);
      }
    }
    status.created = { virtualService: !cluster.virtualService, destinationRule: !cluster.destinationRule, deployment: true };
    const versions = uniq([base.version, nv, ...Object.keys(status.weights), ...(t.variants ?? []).map((v) => v.version)]);
    const mesh = renderMesh(
      status,
      cluster,
      {
        defaultRoute: { weights: status.weights },
        mirror: strategy === "mirror" ? { version: nv, percent: status.mirrorPercent ?? 0 } : undefined,
        owned: (st) => specOwnedRoutes(spec, st),
        versions,
      },
      [...cluster.deployments, newDep],
      true,
    );
    if (mesh.drOp) ops.push(mesh.drOp);
    if (mesh.vsOp) {
      // Make before break: the route to the new version lands only once its pods are Ready.
      if (sendsToNew(mesh.vsSpec, status)) ops.push(refuseNoPods(ready));
      ops.push(mesh.vsOp);
    }
  }

  if (baseTarget !== null) {
    const op = scaleOp(base.primary, baseTarget);
    // Emptying the base (one batch group, replica-canary at 100%) must not leave a foreign route on it.
    if (baseTarget === 0 && op) moveOrRefuse("create", cluster, status, { version: base.version, subsets: subsetsOfVersion(base.version, status.subsets, cluster.destinationRule) }, destinationTo(status, nv), undefined, true);
    if (op && routing === "replicas" && newReplicas > 0) ops.push(ready);
    if (op) ops.push(op);
  }

  return { ops, status, state, summary: createSummary(spec, status, newReplicas, baseTarget) };
}

/** Does the task's part of the VS (default route, owned routes) send any request to the new version? */
function sendsToNew(vsSpec: VirtualServiceSpec, status: TaskStatus): boolean {
  const vs: VirtualService = { apiVersion: "", kind: "VirtualService", metadata: { name: "", namespace: status.namespace }, spec: vsSpec };
  const d = findDefaultRoute(vs, status.service, status.namespace);
  const subsets = [status.subsets[status.newVersion] ?? status.newVersion];
  return (vsSpec.http ?? []).some((r, i) => (i === d || status.ownedRoutes.includes(r.name ?? "")) && routeSends(r, subsets, status));
}

/** Routing traffic to a version asked to run 0 replicas would be an outage for that share. */
function refuseNoPods(ready: Extract<PlanOp, { op: "waitReady" }>): PlanOp {
  if (ready.replicas === 0)
    throw fieldError("newVersion.replicas", `is 0, but the traffic settings send requests to ${ready.version}; give it at least 1 replica`, "invalid");
  return ready;
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

function createSummary(spec: TaskSpec, status: TaskStatus, newReplicas: number, baseTarget: number | null): string {
  const head = `${spec.strategy} ${spec.service}: ${status.baseVersion} -> ${status.newVersion} (${spec.newVersion.image}, ${newReplicas} replica${newReplicas === 1 ? "" : "s"})`;
  const parts = [head];
  if (status.routing === "istio") parts.push(`traffic ${describeWeights(status, status.weights)}`);
  else parts.push(`traffic follows replicas (${status.newDeployment} ${newReplicas}, ${status.baseDeployment} ${baseTarget ?? "unchanged"})`);
  if (status.mirrorPercent !== null) parts.push(`mirroring ${status.mirrorPercent}% to ${status.newVersion}`);
  if (status.ownedRoutes.length > 0) parts.push(`routes ${status.ownedRoutes.join(", ")}`);
  if (status.batch) parts.push(`group 1 of ${status.batch.plan.length} (${status.batch.plan.join("/")})`);
  return parts.join("; ");
}

// ---------------------------------------------------------------- planAction

/** What planAction needs of a stored task. */
export interface PlanTask {
  spec: TaskSpec;
  status: TaskStatus;
  state: TaskState;
}

function liveDeployment(cluster: ServiceClusterState, name: string): Deployment {
  const d = cluster.deployments.find((x) => x.metadata.name === name);
  if (!d) throw new PlanError("not_found", `Deployment ${name} no longer exists`);
  return d;
}

/** setTraffic keys may be versions or DR subset names; returns weights keyed by version. */
function resolveWeights(weights: Record<string, number>, status: TaskStatus, cluster: ServiceClusterState): Record<string, number> {
  const deployedVersions = new Set(cluster.deployments.filter((d) => templateLabels(d).app === status.service).map(deploymentVersion));
  const liveSubsets = cluster.destinationRule?.spec.subsets ?? [];
  const out: Record<string, number> = {};
  for (const [key, w] of Object.entries(weights)) {
    let version = key;
    const bySubsetName = Object.entries(status.subsets).find(([, s]) => s === key);
    if (bySubsetName) version = bySubsetName[0];
    const subset = liveSubsets.find((s) => s.name === key);
    if (!deployedVersions.has(version) && version !== status.baseVersion && version !== status.newVersion && subset?.labels?.version)
      version = subset.labels.version;
    const known = version === status.baseVersion || version === status.newVersion || deployedVersions.has(version);
    if (!known) {
      if (subset) {
        if (w > 0) throw fieldError(`weights.${key}`, `subset ${key} has no Deployment behind it, so its share would fail`);
        continue;
      }
      throw fieldError(`weights.${key}`, `unknown version ${key}: no DestinationRule subset or Deployment of ${status.service} has it`);
    }
    out[version] = (out[version] ?? 0) + w;
  }
  return out;
}

export function planAction(task: PlanTask, action: ActionRequest, cluster: ServiceClusterState): Plan {
  const { spec, state } = task;
  checkTarget(spec, cluster);
  const next = transition(spec.strategy, state, action.action, task.status);
  const s = clone(task.status);
  // Without the CRDs the VS/DR are gone with them; abort can still remove the Deployment.
  if (s.routing === "istio" && !cluster.istioAvailable && action.action !== "abort")
    throw new PlanError("invalid", "Istio CRDs not installed: this task routes through Istio and cannot act without them");

  const base = s.baseVersion;
  const nv = s.newVersion;
  const pods = cluster.deployments;
  const mirrorOf = (st: TaskStatus) =>
    spec.strategy === "mirror" ? (st.mirrorPercent === null ? null : { version: nv, percent: st.mirrorPercent }) : undefined;
  const done = (ops: PlanOp[], summary: string, nextState: TaskState = next): Plan => ({ ops, status: s, state: nextState, summary });
  // takeover/switch and rollback: everything on one version (s.weights), mirror as the strategy
  // leaves it, only the blue-green preview route kept.
  const allTrafficMesh = (on: ServiceClusterState, allowMissing = false, versions = [base, nv]) =>
    renderMesh(s, on, { defaultRoute: { weights: s.weights }, mirror: mirrorOf(s), owned: (st) => previewOnly(spec, st), versions }, pods, false, allowMissing);
  const rollout = rolloutOf(spec);

  switch (action.action) {
    case "setTraffic": {
      if (action.mirrorPercent !== undefined && spec.strategy !== "mirror")
        throw fieldError("mirrorPercent", `only mirror releases mirror traffic (this is ${spec.strategy})`);
      if (s.routing === "replicas") {
        if (!action.weights) throw fieldError("weights", "replica-canary needs weights {base, new}");
        for (const k of Object.keys(action.weights))
          if (k !== base && k !== nv) throw fieldError(`weights.${k}`, `replica-canary splits only ${base} and ${nv}`);
        const wn = action.weights[nv] ?? 0;
        s.weights = { [base]: 100 - wn, [nv]: wn };
        return done(replicaCanaryOps(s, cluster, wn, action, rollout), `replica-canary ${s.service}: ${describeWeights(s, s.weights)} of ${s.replicaPool} pods${newlyMoved(task.status, s)}`);
      }
      if (action.weights) s.weights = resolveWeights(action.weights, s, cluster);
      refuseUnready("setTraffic", s.weights, task.status.weights, cluster, s.service);
      if (action.mirrorPercent !== undefined) s.mirrorPercent = action.mirrorPercent;
      const moves = planMoves(action, s, cluster, base, nv, false, true);
      const mesh = renderMesh(
        s,
        moves.cluster,
        { defaultRoute: { weights: s.weights }, mirror: mirrorOf(s), owned: (st) => activeOwnedRoutes(spec, st), versions: uniq([base, nv, ...Object.keys(s.weights)]) },
        pods,
        false,
      );
      const mirrorNote = s.mirrorPercent !== null && spec.strategy === "mirror" ? `; mirroring ${s.mirrorPercent}%` : "";
      return done(withMoves(onLive(mesh, cluster.virtualService), moves), `traffic ${describeWeights(s, s.weights)}${mirrorNote}${movedNote(moves)}`);
    }

    case "takeover":
    case "switch": {
      s.takenOver = true;
      s.weights = { [base]: 0, [nv]: 100 };
      if (s.routing === "replicas")
        return done(replicaCanaryOps(s, cluster, 100, action, rollout), `${nv} takes all ${s.replicaPool} pods; ${s.baseDeployment} scaled to 0 and kept${newlyMoved(task.status, s)}`);
      refuseUnready(action.action, s.weights, task.status.weights, cluster, s.service);
      if (spec.strategy === "mirror") s.mirrorPercent = null;
      const moves = planMoves(action, s, cluster, base, nv, false, true);
      const mesh = allTrafficMesh(moves.cluster);
      return done(withMoves(onLive(mesh, cluster.virtualService), moves), `${nv} takes 100% of traffic; ${base} keeps running${movedNote(moves)}`);
    }

    case "rollback": {
      s.takenOver = false;
      s.weights = { [base]: 100, [nv]: 0 };
      if (s.routing === "replicas" && spec.strategy === "replica-canary")
        return done(replicaCanaryOps(s, cluster, 0, null, rollout), `rolled back: ${base} takes all ${s.replicaPool} pods; ${s.newDeployment} scaled to 0`);
      const baseDep = liveDeployment(cluster, s.baseDeployment);
      const restoreBase = spec.strategy === "batch" ? scaleOp(baseDep, s.batch?.baseInitialReplicas ?? s.original.baseReplicas) : null;
      if (s.routing === "replicas") {
        // Batch without mesh: traffic follows pods, so the new pods must go.
        const stopNew = scaleOp(liveDeployment(cluster, s.newDeployment), 0);
        const ready = restoreBase && stopNew ? [waitReadyOp(s.namespace, s.baseDeployment, base, s.batch?.baseInitialReplicas ?? s.original.baseReplicas, rollout)] : [];
        return done(orderScaling([restoreBase], ready, [stopNew]), `rolled back: ${s.baseDeployment} restored, ${s.newDeployment} scaled to 0`);
      }
      if (spec.strategy === "mirror") s.mirrorPercent = null;
      // Routes the task moved to the new version go back with the rest of its traffic.
      const moved = restoreMovedRoutes(s, cluster);
      s.movedRoutes = [];
      const brake = rollbackMesh((versions) => onLive(allTrafficMesh({ ...cluster, virtualService: moved.owned }, true, versions), cluster.virtualService), [base, nv]);
      const mesh = brake.mesh;
      const middle = [...(mesh?.drOp ? [mesh.drOp] : []), ...moved.ops, ...(mesh?.vsOp ? [mesh.vsOp] : [])];
      return done(orderScaling([restoreBase], middle, []), `rolled back: ${base} takes 100% of traffic; ${nv} keeps running${brake.note}`);
    }

    case "retireOld": {
      const doomed = cluster.deployments.filter((d) => s.baseDeployments.includes(d.metadata.name));
      // The base's HPA goes before the base Deployment, or it would be left scaling nothing.
      const deletes: PlanOp[] = [...hpaDelete(cluster, s.hpa?.base), ...doomed.map((d): PlanOp => ({ op: "delete", object: d }))];
      s.weights = { [nv]: 100 };
      const moves = planMoves(action, s, cluster, base, nv, true, s.routing === "istio");
      const retired = `deleted ${doomed.map((d) => d.metadata.name).join(", ") || "nothing (already gone)"}${movedNote(moves)}`;
      if (s.routing === "replicas") return done([...moves.ops, ...deletes], `retired ${base}: ${retired}`);
      if (spec.strategy === "mirror") s.mirrorPercent = null;
      const mesh = onLive(
        renderMesh(s, moves.cluster, { defaultRoute: { single: nv }, mirror: mirrorOf(s), owned: () => [], versions: [nv], removeVersion: base }, pods, false),
        cluster.virtualService,
      );
      delete s.subsets[base];
      // Break after make: routes leave the base, requests in flight finish, then its subset and pods go.
      const ops = [...moves.ops, ...(mesh.vsOp ? [mesh.vsOp] : []), ...drainOps(base, rollout), ...(mesh.drOp ? [mesh.drOp] : []), ...deletes];
      return done(ops, `retired ${base}: ${nv} is the only version; ${retired}`);
    }

    case "pause":
      return done([], `paused after group ${s.batch?.current ?? 0}`);
    case "resume":
      return done([], `resumed; awaiting confirmation of group ${(s.batch?.current ?? 0) + 1}`);

    case "confirm": {
      const b = s.batch;
      if (!b) throw new PlanError("conflict", "cannot confirm: task has no batch progress recorded");
      const r = b.plan.reduce((a, x) => a + x, 0);
      b.current += 1;
      const last = b.current >= b.plan.length;
      const rolled = b.plan.slice(0, b.current).reduce((a, x) => a + x, 0);
      const newTarget = last ? r : rolled;
      const baseTarget = last ? 0 : Math.round(b.baseInitialReplicas * (1 - rolled / r));
      const wn = last ? 100 : Math.round((100 * rolled) / r);
      s.weights = { [base]: 100 - wn, [nv]: wn };
      const up = scaleOp(liveDeployment(cluster, s.newDeployment), newTarget);
      const down = scaleOp(liveDeployment(cluster, s.baseDeployment), baseTarget);
      // Make before break: the new group's pods are Ready before traffic and the base's pods move.
      const middle: PlanOp[] = [waitReadyOp(s.namespace, s.newDeployment, nv, newTarget, rollout)];
      const moves = planMoves(action, s, cluster, base, nv, baseTarget === 0, s.routing === "istio");
      if (s.routing === "istio") {
        const mesh = onLive(
          renderMesh(s, moves.cluster, { defaultRoute: { weights: s.weights }, owned: (st) => activeOwnedRoutes(spec, st), versions: [base, nv] }, pods, false),
          cluster.virtualService,
        );
        middle.push(...withMoves(mesh, moves));
      } else middle.push(...moves.ops);
      if (last) s.takenOver = true;
      const summary = last
        ? `group ${b.current} of ${b.plan.length} done: ${nv} runs ${r} replicas with 100% of traffic; ${base} scaled to 0`
        : `group ${b.current} of ${b.plan.length}: ${nv} ${newTarget} replicas, ${base} ${baseTarget}; traffic ${describeWeights(s, s.weights)}`;
      return done(orderScaling([up], middle, [down]), `${summary}${movedNote(moves)}`);
    }

    case "abort":
      return done(abortOps(s, cluster, rollout), `aborted: ${s.newDeployment} removed and ${s.service} restored to how it was found`);

    case "resync": {
      const ops = resyncOps(s, cluster);
      return done(ops, ops.length === 0 ? "nothing to resync: live objects match what the task applied" : `re-applied the task's VirtualService/DestinationRule specs`);
    }

    case "acceptDrift": {
      const vs = cluster.virtualService;
      const dr = cluster.destinationRule;
      if (s.lastApplied.virtualServiceSpec && !vs)
        throw new PlanError("conflict", `cannot acceptDrift: VirtualService ${s.virtualServiceName} was deleted; resync to recreate it or abort`);
      if (s.lastApplied.destinationRuleSpec && !dr)
        throw new PlanError("conflict", `cannot acceptDrift: DestinationRule ${s.destinationRuleName} was deleted; resync to recreate it or abort`);
      s.lastApplied = { virtualServiceSpec: vs ? clone(vs.spec) : null, destinationRuleSpec: dr ? clone(dr.spec) : null };
      if (vs) {
        const d = findDefaultRoute(vs, s.service, s.namespace);
        const route = d >= 0 ? vs.spec.http?.[d] : undefined;
        const bySubset = routeWeights(route?.route ?? [], s.service, s.namespace);
        const weights: Record<string, number> = {};
        for (const [subset, w] of Object.entries(bySubset)) {
          if (subset.includes("/")) continue;
          const version = Object.entries(s.subsets).find(([, name]) => name === subset)?.[0] ?? subsetVersion(dr, subset);
          weights[version] = (weights[version] ?? 0) + w;
        }
        s.weights = weights;
        if (spec.strategy === "mirror") {
          const m = route?.mirror;
          s.mirrorPercent = m ? (route?.mirrorPercentage?.value ?? 100) : null;
        }
        s.ownedRoutes = s.ownedRoutes.filter((n) => vs.spec.http?.some((r) => r.name === n));
      }
      return done([], `accepted the live routing as the task's own: ${describeWeights(s, s.weights)}`);
    }
  }
}

/**
 * Rollback is an emergency brake: when the live VS/DR were edited so that the task's routing
 * cannot be rendered (a subset relabelled, a catch-all in front), it still runs and says what it
 * left alone instead of refusing.
 */
function rollbackMesh(render: (versions: string[]) => MeshResult, versions: string[]): { mesh: MeshResult | null; note: string } {
  const attempt = (vs: string[]): MeshResult | PlanError => {
    try {
      return render(vs);
    } catch (err) {
      if (err instanceof PlanError) return err;
      throw err;
    }
  };
  const full = attempt(versions);
  if (!(full instanceof PlanError)) return { mesh: full, note: "" };
  // Second try: the routes only, with the subsets the task already knows, DR untouched.
  const routesOnly = attempt([]);
  if (!(routesOnly instanceof PlanError)) return { mesh: { ...routesOnly, drOp: null }, note: `; DestinationRule left as it is (${full.message})` };
  return { mesh: null, note: `; VirtualService/DestinationRule left as they are (${routesOnly.message})` };
}

/** Foreign routes moved from `from` to `to` (and recorded); refused when `emptied` leaves one unlisted on `from`. */
function planMoves(action: ActionRequest, s: TaskStatus, cluster: ServiceClusterState, from: string, to: string, emptied: boolean, ownedWriteFollows: boolean): Moves {
  const requested = "moveRoutes" in action ? action.moveRoutes : undefined;
  if ((!emptied && !requested) || !cluster.istioAvailable) return { cluster, ops: [], moved: [] };
  const liveSubset = (cluster.destinationRule?.spec.subsets ?? []).find((x) => x.name === to || x.labels?.version === to)?.name;
  const target: Destination = { host: s.destinationHost };
  const subset = s.subsets[to] ?? liveSubset;
  if (subset !== undefined) target.subset = subset;
  const from_ = { version: from, subsets: subsetsOfVersion(from, s.subsets, cluster.destinationRule) };
  const m = moveOrRefuse(action.action, cluster, s, from_, target, requested, ownedWriteFollows, emptied);
  s.movedRoutes = [...(s.movedRoutes ?? []), ...m.moved];
  return m;
}

function movedNote(m: Pick<Moves, "moved">): string {
  return m.moved.length > 0 ? `; moved ${m.moved.map((r) => r.id).join(", ")} to ${m.moved[0]?.toSubset ?? ""}` : "";
}
function newlyMoved(before: TaskStatus, after: TaskStatus): string {
  return movedNote({ moved: (after.movedRoutes ?? []).slice((before.movedRoutes ?? []).length) });
}

/**
 * The task's VS write measured against the REAL live object: renderMesh saw the VS with moved
 * routes already in place, so its op would miss them (or carry the wrong `before`).
 */
function onLive(mesh: MeshResult, live: VirtualService | null): MeshResult {
  if (!live) return mesh;
  const vsOp: PlanOp | null = deepEqual(mesh.vsSpec, live.spec) ? null : { op: "replace", object: replacement(live, mesh.vsSpec), before: live };
  return { ...mesh, vsOp };
}

/** DR first (subsets exist before anything routes to them), then other VSes' moved routes, then the task's VS. */
function withMoves(mesh: MeshResult, moves: Moves): PlanOp[] {
  return [...(mesh.drOp ? [mesh.drOp] : []), ...moves.ops, ...(mesh.vsOp ? [mesh.vsOp] : [])];
}

/**
 * replica-canary: the growing side scales up and is Ready before the other side shrinks. A side
 * left with 0 pods must not be the target of any foreign route (rollback, the brake, skips that check).
 */
function replicaCanaryOps(s: TaskStatus, cluster: ServiceClusterState, newWeight: number, action: ActionRequest | null, rollout: Rollout): PlanOp[] {
  const pool = s.replicaPool ?? 1;
  const split = splitPool(pool, newWeight);
  const canary = liveDeployment(cluster, s.newDeployment);
  const baseDep = liveDeployment(cluster, s.baseDeployment);
  const canaryGrows = split.canary >= replicasOf(canary);
  const [grow, growTo, growVersion, shrink, shrinkTo, shrinkVersion] = canaryGrows
    ? [canary, split.canary, s.newVersion, baseDep, split.base, s.baseVersion]
    : [baseDep, split.base, s.baseVersion, canary, split.canary, s.newVersion];
  const up = scaleOp(grow, growTo);
  const down = scaleOp(shrink, shrinkTo);
  const moves = action && down && shrinkTo === 0 ? planMoves(action, s, cluster, shrinkVersion, growVersion, true, false) : null;
  const middle: PlanOp[] = up && down ? [waitReadyOp(s.namespace, grow.metadata.name, growVersion, growTo, rollout)] : [];
  return orderScaling([up], [...middle, ...(moves?.ops ?? [])], [down]);
}

/**
 * Abort on the live objects: base replicas back, the task's routes undone (foreign edits kept),
 * a drain for requests in flight to the new version, then its subsets, its HPA copy, its Deployment.
 */
function abortOps(s: TaskStatus, cluster: ServiceClusterState, rollout: Rollout): PlanOp[] {
  const ops: PlanOp[] = [];
  const baseDep = cluster.deployments.find((d) => d.metadata.name === s.baseDeployment);
  const restoreBase = baseDep ? scaleOp(baseDep, s.original.baseReplicas) : null;
  if (restoreBase) ops.push(restoreBase);
  if (cluster.istioAvailable) {
    const moved = restoreMovedRoutes(s, cluster);
    ops.push(...moved.ops);
    let routed = moved.ops.length > 0;
    if (s.routing === "istio") {
      const vsOp = restoreVirtualService(s, cluster.virtualService, moved.owned);
      const drOp = restoreDestinationRule(s, cluster.destinationRule);
      if (vsOp) ops.push(vsOp);
      routed = routed || vsOp !== null;
      if (routed) ops.push(...drainOps(s.newVersion, rollout));
      if (drOp) ops.push(drOp);
      s.lastApplied = { virtualServiceSpec: specAfter(vsOp, cluster.virtualService), destinationRuleSpec: specAfter(drOp, cluster.destinationRule) };
    } else if (routed) ops.push(...drainOps(s.newVersion, rollout));
  }
  ops.push(...hpaDelete(cluster, s.hpa?.copy));
  const newDep = cluster.deployments.find((d) => d.metadata.name === s.newDeployment);
  if (newDep && s.created.deployment) ops.push({ op: "delete", object: newDep });
  s.ownedRoutes = [];
  s.movedRoutes = [];
  s.weights = { [s.baseVersion]: 100 };
  s.mirrorPercent = null;
  return ops;
}

function specAfter<T>(op: PlanOp | null, live: { spec: T } | null): T | null {
  if (!op) return live ? clone(live.spec) : null;
  if (op.op === "create" || op.op === "replace") return clone(op.object.spec) as T;
  return null;
}

function resyncOps(s: TaskStatus, cluster: ServiceClusterState): PlanOp[] {
  const ops: PlanOp[] = [];
  const one = <T extends K8sObject>(live: T | null, wanted: unknown, kind: string, name: string | null, original: T | null): void => {
    if (wanted === null || wanted === undefined) return;
    if (live) {
      if (!deepEqual(live.spec, wanted)) ops.push({ op: "replace", object: replacement(live, wanted), before: live });
      return;
    }
    const identity = original
      ? recreation(original)
      : { apiVersion: ISTIO_API_VERSION, kind, metadata: { name: name ?? s.service, namespace: s.namespace, labels: managedLabels(s.task) } };
    ops.push({ op: "create", object: { ...identity, spec: clone(wanted) } });
  };
  one(cluster.destinationRule, s.lastApplied.destinationRuleSpec, "DestinationRule", s.destinationRuleName, s.original.destinationRule);
  one(cluster.virtualService, s.lastApplied.virtualServiceSpec, "VirtualService", s.virtualServiceName, s.original.virtualService);
  return ops;
}
