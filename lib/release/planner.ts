// The release planner: (task spec | task + action) + cluster state -> the exact Kubernetes
// writes, the next persisted status and the next state. PURE and deterministic: it never
// reads the cluster itself (lib/k8s hands it a ServiceClusterState) and never writes it
// (lib/k8s applies the ops in order).
import { checkTarget, detectBase, type BaseInfo } from "./base";
import { entriesSendTo, entryDestinations, entryRouteWrites, pinnedToBase, spreadsOverPods, takeEntryRoutes, withVirtualServiceWrites } from "./entry-routes";
import { fieldErrorOf } from "./errors";
import { moveOrRefuse, routeSends } from "./foreign-routes";
import { hpaCopy, hpaOf, refuseHpaFight } from "./hpa";
import { refuseInvalidIstioWrites } from "./istio-writes";
import { clone } from "./json";
import { destinationTo, orderedVersions, renderMesh, specOwnedRoutes, uniq } from "./mesh";
import { buildNewDeployment, checkSelectors, newDeploymentName, refuseNameClash } from "./new-deployment";
import type { PlanOp } from "./ops";
import { rolloutOf, waitReadyOp, type WaitReadyOp } from "./readiness";
import { batchPlan, replicasOf, scaleOp, splitPool } from "./replicas";
import { findDefaultRoute, groupVersions, templateLabels } from "./routing";
import type { TaskSpec } from "./spec";
import type { ServicePart, VersionPart } from "./spec-sections";
import type { TaskStatus } from "./status";
import { subsetOf, subsetsOfVersion } from "./subsets";
import type { Deployment, ServiceClusterState, TaskState, VirtualService, VirtualServiceSpec } from "./types";

export { PlanError } from "./errors";
export type { PlanErrorCode } from "./errors";
export type { TaskStatus, BatchProgress } from "./status";
export type { PlanOp, WriteOp, WaitOp } from "./ops";
export { planAction, type PlanTask } from "./actions";
export { ISTIO_API_VERSION, ownedRouteName } from "./mesh";
export { newDeploymentName } from "./new-deployment";
export { batchPlan, splitPool } from "./replicas";

export interface Plan {
  /** Apply in this order. */
  ops: PlanOp[];
  status: TaskStatus;
  state: TaskState;
  summary: string;
}

/**
 * What a new task will do, as data: the review step words it in the reader's language (`summary`
 * is the English). Weights in version order; `replicas` only when traffic follows pod counts.
 */
export interface CreateSummary {
  strategy: TaskSpec["strategy"];
  service: string;
  baseVersion: string;
  newVersion: string;
  image: string;
  newReplicas: number;
  weights: { version: string; weight: number }[] | null;
  replicas: { newDeployment: string; newReplicas: number; baseDeployment: string; baseTarget: number | null } | null;
  mirrorPercent: number | null;
  ownedRoutes: string[];
  entryRoutes: string[];
  batch: { total: number; plan: number[] } | null;
}

/** A create plan with its summary as data. */
export interface CreatePlan extends Plan {
  summaryView: CreateSummary;
}

/** Batch without a VirtualService in use (or without Istio) lets the Service spread traffic by replica counts. */
function routingOf(spec: Pick<TaskSpec, "strategy">, cluster: ServiceClusterState): TaskStatus["routing"] {
  const strategy = spec.strategy;
  if (!cluster.istioAvailable && strategy !== "replica-canary" && strategy !== "batch")
    throw fieldErrorOf("strategy", "err.plan.noIstio");
  return strategy === "replica-canary" || (strategy === "batch" && (!cluster.istioAvailable || !cluster.virtualService)) ? "replicas" : "istio";
}

function checkBase(spec: Pick<TaskSpec, "strategy" | "newVersion">, base: BaseInfo, routing: TaskStatus["routing"]): void {
  const strategy = spec.strategy;
  if (base.version === spec.newVersion.version) throw fieldErrorOf("newVersion.version", "err.plan.sameAsBase", { version: base.version });
  if ((strategy === "batch" || strategy === "replica-canary") && base.deployments.length > 1) {
    const deployments = base.deployments.map((d) => d.metadata.name).join(", ");
    throw fieldErrorOf("baseVersion", "err.plan.baseInSeveral", { version: base.version, count: base.deployments.length, deployments, strategyKey: `err.word.strategy.${strategy}` });
  }
  if (routing === "istio" && templateLabels(base.primary).version === undefined)
    throw fieldErrorOf("baseVersion", "err.plan.baseUnlabelled", { deployment: base.primary.metadata.name });
}

function initialStatus(spec: TaskSpec, cluster: ServiceClusterState, base: BaseInfo, routing: TaskStatus["routing"], newName: string, baseHpa: string | null): TaskStatus {
  return {
    task: spec.name,
    strategy: spec.strategy,
    namespace: spec.namespace,
    service: spec.service,
    baseVersion: base.version,
    newVersion: spec.newVersion.version,
    baseDeployment: base.primary.metadata.name,
    baseDeployments: base.deployments.map((d) => d.metadata.name),
    newDeployment: newName,
    routing,
    virtualServiceName: null,
    destinationRuleName: null,
    destinationHost: spec.service,
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
      baseReplicas: replicasOf(base.primary),
    },
    lastApplied: { virtualServiceSpec: null, destinationRuleSpec: null },
    created: { virtualService: false, destinationRule: false, deployment: true },
    takenOver: false,
    hpa: { base: baseHpa, copy: baseHpa ? newName : null },
    movedRoutes: [],
    entryRoutes: [],
  };
}

interface InitialSplit {
  weights: Record<string, number>;
  newReplicas: number;
  /** Replicas the base is scaled to (null: untouched). */
  baseTarget: number | null;
  state: TaskState;
  replicaPool?: number;
  batch?: TaskStatus["batch"];
  mirrorPercent?: number;
}

/** The intended split per strategy: weights, the new Deployment's replicas, the base's target. */
function initialSplit(spec: TaskSpec, cluster: ServiceClusterState, baseVersion: string, baseReplicas: number): InitialSplit {
  const t = spec.traffic ?? {};
  const nv = spec.newVersion.version;
  const r = spec.newVersion.replicas;
  const plain = (weights: Record<string, number>): InitialSplit => ({ weights, newReplicas: r, baseTarget: null, state: "progressing" });
  const twoWay = (w: Record<string, number>): Record<string, number> => {
    if (!(baseVersion in w))
      throw fieldErrorOf("traffic.weights", "err.plan.weightsNeedBase", { base: baseVersion, version: nv, got: Object.keys(w).join(", ") });
    return { [baseVersion]: w[baseVersion] ?? 0, [nv]: w[nv] ?? 0 };
  };
  switch (spec.strategy) {
    case "replica-canary": {
      const weights = twoWay(t.weights ?? {});
      const pool = Math.max(baseReplicas, r, 1);
      const split = splitPool(pool, weights[nv] ?? 0);
      return { weights, newReplicas: split.canary, baseTarget: split.base, state: "progressing", replicaPool: pool };
    }
    case "batch": {
      if (!spec.batch) throw fieldErrorOf("batch", "err.spec.batchNeedsGroups");
      const plan = batchPlan(r, spec.batch.groups, spec.batch.betaGroup ?? false);
      const first = plan[0] ?? r;
      const last = plan.length === 1;
      const wn = last ? 100 : Math.round((100 * first) / r);
      const baseTarget = last ? 0 : Math.round(baseReplicas * (1 - first / r));
      const batch = { plan, current: 1, baseInitialReplicas: baseReplicas };
      return { weights: { [baseVersion]: 100 - wn, [nv]: wn }, newReplicas: last ? r : first, baseTarget, state: last ? "completed" : "awaiting-confirmation", batch };
    }
    case "canary":
      return plain(t.weights ? twoWay(t.weights) : { [baseVersion]: 100, [nv]: 0 });
    case "blue-green":
      return plain({ [baseVersion]: 100, [nv]: 0 });
    case "mirror":
      return { ...plain({ [baseVersion]: 100, [nv]: 0 }), mirrorPercent: t.mirrorPercent ?? 0 };
    case "ab-test":
      return plain(abTestWeights(spec, cluster, baseVersion));
  }
}

function abTestWeights(spec: TaskSpec, cluster: ServiceClusterState, baseVersion: string): Record<string, number> {
  const nv = spec.newVersion.version;
  const variants = spec.traffic?.variants ?? [];
  const known = new Set(groupVersions(cluster.deployments, spec.service).map((g) => g.version));
  variants.forEach((v, i) => {
    if (v.version !== nv && !known.has(v.version))
      throw fieldErrorOf(`traffic.variants[${i}].version`, "err.plan.noSuchVersion", { version: v.version, service: spec.service }, "not_found");
  });
  const weighted = variants.filter((v) => v.weight !== undefined);
  const w: Record<string, number> = { [baseVersion]: 0, [nv]: 0 };
  if (weighted.length === 0) w[baseVersion] = 100;
  for (const v of weighted) w[v.version] = (w[v.version] ?? 0) + (v.weight ?? 0);
  return w;
}

interface MeshSteps {
  /** Before the new Deployment exists: its subsets, and gateway routes settled so none reaches its pods early. */
  early: PlanOp[];
  /** After it: the subsets (unless early), the wait for its pods, the VS, the gateway routes' weights. */
  late: PlanOp[];
}

/** DR subsets, then (only when something sends the new version traffic) the wait for its pods, then the VS and the entry routes. */
function createMeshOps(spec: TaskSpec, cluster: ServiceClusterState, status: TaskStatus, newDep: Deployment, ready: WaitReadyOp): MeshSteps {
  const vs = cluster.virtualService;
  const d = vs ? findDefaultRoute(vs, spec.service, cluster.namespace) : -1;
  const first = vs && d >= 0 ? vs.spec.http?.[d]?.route?.[0]?.destination : undefined;
  if (first) {
    status.destinationHost = first.host;
    if (first.port) status.destinationPort = clone(first.port);
  }
  status.created = { virtualService: !cluster.virtualService, destinationRule: !cluster.destinationRule, deployment: true };
  const nv = spec.newVersion.version;
  const versions = uniq([status.baseVersion, nv, ...Object.keys(status.weights), ...(spec.traffic?.variants ?? []).map((v) => v.version)]);
  const mirror = spec.strategy === "mirror" ? { version: nv, percent: status.mirrorPercent ?? 0 } : undefined;
  const intent = { defaultRoute: { weights: status.weights }, mirror, owned: (st: TaskStatus) => specOwnedRoutes(spec, st), versions };
  const mesh = renderMesh(status, cluster, intent, [...cluster.deployments, newDep], true);
  const drOps = mesh.drOp ? [mesh.drOp] : [];
  const vsOps = mesh.vsOp ? [mesh.vsOp] : [];
  // Make before break: the route to the new version lands only once its pods are Ready.
  const vsWait = mesh.vsOp !== null && sendsToNew(mesh.vsSpec, status);
  status.entryRoutes = takeEntryRoutes(spec, cluster, status);
  const split = entryRouteWrites(status, cluster, (e) => entryDestinations(e, status, { weights: status.weights }));
  if (!entriesSendTo(split.entryRoutes, [subsetOf(status.subsets, nv)])) {
    // The gateway sends the new version nothing yet: its routes take their final form before its pods exist.
    status.entryRoutes = split.entryRoutes;
    const late = [...(vsWait ? [refuseNoPods(ready)] : []), ...vsOps];
    return split.ops.length > 0 ? { early: [...drOps, ...split.ops], late } : { early: [], late: [...drOps, ...late] };
  }
  // A gateway route without a subset would spread over the new pods as soon as they are Ready: it
  // is pinned to the base first, and gets the weights with the VS once the new pods are Ready.
  const pins = entryRouteWrites(status, cluster, (e) => (spreadsOverPods(e.applied) ? pinnedToBase(e, status) : e.applied));
  const weighted = entryRouteWrites({ ...status, entryRoutes: pins.entryRoutes }, withVirtualServiceWrites(cluster, pins.ops), (e) => entryDestinations(e, status, { weights: status.weights }));
  status.entryRoutes = weighted.entryRoutes;
  const late = [refuseNoPods(ready), ...vsOps, ...weighted.ops];
  return pins.ops.length > 0 ? { early: [...drOps, ...pins.ops], late } : { early: [], late: [...drOps, ...late] };
}

/** The writes and waits that start a task; every VS/DR write passes Istio's rules first (istio-writes.ts). */
/**
 * The checks of planCreate that need no traffic settings, for a spec filled through the service
 * step (target, base version) or the version step (plus the new version's name): the wizard asks
 * them step by step, and they throw exactly what planCreate would throw for those fields.
 */
export function checkCreateThrough(spec: ServicePart | VersionPart, cluster: ServiceClusterState): void {
  checkTarget(spec, cluster);
  const routing = routingOf(spec, cluster);
  if ("newVersion" in spec) refuseNameClash(spec, cluster, newDeploymentName(spec));
  const base = detectBase(spec, cluster, routing === "istio");
  if ("newVersion" in spec) checkBase(spec, base, routing);
  refuseHpaFight(spec.strategy, base.primary.metadata.name, hpaOf(cluster, base.primary.metadata.name));
}

export function planCreate(spec: TaskSpec, cluster: ServiceClusterState): CreatePlan {
  const plan = createPlan(spec, cluster);
  refuseInvalidIstioWrites(plan.ops, cluster, plan.status);
  return plan;
}

function createPlan(spec: TaskSpec, cluster: ServiceClusterState): CreatePlan {
  checkTarget(spec, cluster);
  const nv = spec.newVersion.version;
  const routing = routingOf(spec, cluster);
  const newName = newDeploymentName(spec);
  refuseNameClash(spec, cluster, newName);
  const base = detectBase(spec, cluster, routing === "istio");
  checkBase(spec, base, routing);
  const baseHpa = hpaOf(cluster, base.primary.metadata.name);
  refuseHpaFight(spec.strategy, base.primary.metadata.name, baseHpa);

  const status = initialStatus(spec, cluster, base, routing, newName, baseHpa?.metadata.name ?? null);
  const split = initialSplit(spec, cluster, base.version, status.original.baseReplicas);
  status.weights = split.weights;
  if (split.replicaPool !== undefined) status.replicaPool = split.replicaPool;
  if (split.batch !== undefined) status.batch = split.batch;
  if (split.mirrorPercent !== undefined) status.mirrorPercent = split.mirrorPercent;

  const extraLabels = spec.strategy === "replica-canary" ? { ...(cluster.service.spec.selector ?? {}) } : {};
  const newDep = buildNewDeployment(spec, base.primary, newName, split.newReplicas, extraLabels);
  checkSelectors(newDep, cluster, base.primary.metadata.name);

  const ready = waitReadyOp(status.namespace, newName, nv, split.newReplicas, rolloutOf(spec));
  const mesh = routing === "istio" ? createMeshOps(spec, cluster, status, newDep, ready) : { early: [], late: [] };
  const ops: PlanOp[] = [...mesh.early, { op: "create", object: newDep }];
  if (baseHpa) ops.push({ op: "create", object: hpaCopy(baseHpa, newName, spec.name) });
  ops.push(...mesh.late);
  const shrink = split.baseTarget === null ? null : scaleOp(base.primary, split.baseTarget);
  if (shrink) {
    // Emptying the base (one batch group, replica-canary at 100%) must not leave a foreign route on it.
    if (split.baseTarget === 0)
      moveOrRefuse("create", cluster, status, { version: base.version, subsets: subsetsOfVersion(base.version, status.subsets, cluster.destinationRule) }, destinationTo(status, nv), undefined, true);
    if (routing === "replicas" && split.newReplicas > 0) ops.push(ready);
    ops.push(shrink);
  }
  const summaryView = createSummaryOf(spec, status, split.newReplicas, split.baseTarget);
  return { ops, status, state: split.state, summary: createSummaryText(summaryView), summaryView };
}

/** Does the task's part of the VS (default route, owned routes) send any request to the new version? */
function sendsToNew(vsSpec: VirtualServiceSpec, status: TaskStatus): boolean {
  const vs: VirtualService = { apiVersion: "", kind: "VirtualService", metadata: { name: "", namespace: status.namespace }, spec: vsSpec };
  const d = findDefaultRoute(vs, status.service, status.namespace);
  const subsets = [subsetOf(status.subsets, status.newVersion)];
  return (vsSpec.http ?? []).some((r, i) => (i === d || status.ownedRoutes.includes(r.name ?? "")) && routeSends(r, subsets, status));
}

/** Routing traffic to a version asked to run 0 replicas would be an outage for that share. */
function refuseNoPods(ready: WaitReadyOp): PlanOp {
  if (ready.replicas === 0)
    throw fieldErrorOf("newVersion.replicas", "err.plan.zeroReplicas", { version: ready.version });
  return ready;
}

function createSummaryOf(spec: TaskSpec, status: TaskStatus, newReplicas: number, baseTarget: number | null): CreateSummary {
  const istio = status.routing === "istio";
  return {
    strategy: spec.strategy,
    service: spec.service,
    baseVersion: status.baseVersion,
    newVersion: status.newVersion,
    image: spec.newVersion.image,
    newReplicas,
    weights: istio ? orderedVersions(status, status.weights).map((version) => ({ version, weight: status.weights[version] ?? 0 })) : null,
    replicas: istio ? null : { newDeployment: status.newDeployment, newReplicas, baseDeployment: status.baseDeployment, baseTarget },
    mirrorPercent: status.mirrorPercent,
    ownedRoutes: [...status.ownedRoutes],
    entryRoutes: (status.entryRoutes ?? []).map((e) => e.id),
    batch: status.batch ? { total: status.batch.plan.length, plan: [...status.batch.plan] } : null,
  };
}

/** The summary in English, as the API's `summary` and the operation journal keep it. */
function createSummaryText(s: CreateSummary): string {
  const head = `${s.strategy} ${s.service}: ${s.baseVersion} -> ${s.newVersion} (${s.image}, ${s.newReplicas} replica${s.newReplicas === 1 ? "" : "s"})`;
  const parts = [head];
  if (s.weights) parts.push(`traffic ${s.weights.map((w) => `${w.version} ${w.weight}%`).join(" / ")}`);
  if (s.replicas) parts.push(`traffic follows replicas (${s.replicas.newDeployment} ${s.replicas.newReplicas}, ${s.replicas.baseDeployment} ${s.replicas.baseTarget ?? "unchanged"})`);
  if (s.mirrorPercent !== null) parts.push(`mirroring ${s.mirrorPercent}% to ${s.newVersion}`);
  if (s.ownedRoutes.length > 0) parts.push(`routes ${s.ownedRoutes.join(", ")}`);
  const entries = s.entryRoutes;
  if (entries.length > 0) parts.push(`ingress gateway route${entries.length === 1 ? "" : "s"} ${entries.join(", ")} follow${entries.length === 1 ? "s" : ""} these weights`);
  if (s.batch) parts.push(`group 1 of ${s.batch.total} (${s.batch.plan.join("/")})`);
  return parts.join("; ");
}
