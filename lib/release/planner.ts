// The release planner: (task spec | task + action) + cluster state -> the exact Kubernetes
// writes, the next persisted status and the next state. PURE and deterministic: it never
// reads the cluster itself (lib/k8s hands it a ServiceClusterState) and never writes it
// (lib/k8s applies the ops in order).
import { checkTarget, detectBase } from "./base";
import { fieldError } from "./errors";
import { moveOrRefuse, routeSends, subsetsOfVersion } from "./foreign-routes";
import { hpaCopy, hpaOf, refuseHpaFight } from "./hpa";
import { clone } from "./json";
import { describeWeights, destinationTo, renderMesh, specOwnedRoutes, uniq } from "./mesh";
import { buildNewDeployment, checkSelectors, newDeploymentName } from "./new-deployment";
import type { PlanOp } from "./ops";
import { rolloutOf, waitReadyOp } from "./readiness";
import { batchPlan, replicasOf, scaleOp, splitPool } from "./replicas";
import { deploymentVersion, findDefaultRoute, groupVersions, templateLabels } from "./routing";
import type { TaskSpec } from "./spec";
import type { TaskStatus } from "./status";
import type { ServiceClusterState, TaskState, VirtualService, VirtualServiceSpec } from "./types";

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
