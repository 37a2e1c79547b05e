// The release planner: (task spec | task + action) + cluster state -> the exact Kubernetes
// writes, the next persisted status and the next state. PURE and deterministic: it never
// reads the cluster itself (lib/k8s hands it a ServiceClusterState) and never writes it
// (lib/k8s applies the ops in order). What differs between strategies is asked of their
// modules (lib/release/strategies); routing goes through routing-writes.ts.
import { stepPlan } from "./steps";
import { checkTarget, detectBase, type BaseInfo } from "./base";
import { createMeshOps, type MeshSteps } from "./create-mesh";
import { createSummaryOf, createSummaryText, type CreateSummary } from "./create-summary";
import { fieldErrorOf } from "./errors";
import { moveOrRefuse } from "./foreign-routes";
import { hpaCopy, hpaOf, refuseHpaFight } from "./hpa";
import { refuseInvalidIstioWrites } from "./istio-writes";
import { clone } from "./json";
import { destinationTo } from "./mesh";
import { buildNewDeployment, checkSelectors, newDeploymentName, refuseNameClash } from "./new-deployment";
import type { PlanOp } from "./ops";
import { rolloutOf, waitReadyOp, type WaitReadyOp } from "./readiness";
import { replicasOf, scaleOp } from "./replicas";
import { templateLabels } from "./routing";
import type { TaskSpec } from "./spec";
import type { ServicePart, VersionPart } from "./spec-sections";
import { strategyOf, type InitialSplit, type Refuse } from "./strategies";
import type { TaskStatus } from "./status";
import { subsetsOfVersion } from "./subsets";
import { chooseRouting, gatewayBaseVersion } from "./routing/choose";
import { gatewayCreateSteps } from "./routing/gateway-task";
import type { Deployment, ServiceClusterState, TaskState } from "./types";

export { PlanError } from "./errors";
export type { PlanErrorCode } from "./errors";
export type { TaskStatus, BatchProgress } from "./status";
export type { PlanOp, WriteOp, WaitOp } from "./ops";
export { planAction, type PlanTask } from "./actions";
export { ISTIO_API_VERSION, ownedRouteName } from "./mesh";
export { newDeploymentName } from "./new-deployment";
export { batchPlan, splitPool } from "./replicas";
export type { CreateSummary } from "./create-summary";

export interface Plan {
  /** Apply in this order. */
  ops: PlanOp[];
  status: TaskStatus;
  state: TaskState;
  summary: string;
}

/** A create plan with its summary as data. */
export interface CreatePlan extends Plan {
  summaryView: CreateSummary;
}

/** The router the task steers (routing/choose.ts): the spec's routing.backend, else the one the service uses. */
function routingOf(
  spec: Pick<TaskSpec, "strategy"> & Partial<Pick<TaskSpec, "routing" | "traffic">>,
  cluster: ServiceClusterState,
): TaskStatus["routing"] {
  return chooseRouting(spec, cluster);
}

/** The base version: the spec's, else (on the gateway-api backend) the one its HTTPRoute weighs most, else what detectBase finds. */
function baseOf(
  spec: Pick<TaskSpec, "service" | "baseVersion">,
  cluster: ServiceClusterState,
  routing: TaskStatus["routing"],
): BaseInfo {
  if (routing !== "gateway-api" || spec.baseVersion !== undefined)
    return detectBase(spec, cluster, routing === "istio");
  const version = gatewayBaseVersion(cluster);
  return detectBase(version === undefined ? spec : { ...spec, baseVersion: version }, cluster, false);
}

function checkBase(
  spec: Pick<TaskSpec, "strategy" | "newVersion">,
  base: BaseInfo,
  routing: TaskStatus["routing"],
): void {
  const strategy = spec.strategy;
  if (base.version === spec.newVersion.version)
    throw fieldErrorOf("newVersion.version", "err.plan.sameAsBase", { version: base.version });
  // A strategy that scales the base scales one Deployment: several would leave the others serving.
  if (strategyOf(strategy).capabilities.scalesBase && base.deployments.length > 1) {
    const deployments = base.deployments.map((d) => d.metadata.name).join(", ");
    throw fieldErrorOf("baseVersion", "err.plan.baseInSeveral", {
      version: base.version,
      count: base.deployments.length,
      deployments,
      strategyKey: `err.word.strategy.${strategy}`,
    });
  }
  // Both routers address a version by its pods' version label (DR subsets, per-version Services).
  if (routing !== "replicas" && templateLabels(base.primary).version === undefined)
    throw fieldErrorOf("baseVersion", "err.plan.baseUnlabelled", { deployment: base.primary.metadata.name });
}

function initialStatus(
  spec: TaskSpec,
  cluster: ServiceClusterState,
  base: BaseInfo,
  routing: TaskStatus["routing"],
  newName: string,
  baseHpa: string | null,
): TaskStatus {
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

const refuse: Refuse = (path, key, params, code) => {
  throw fieldErrorOf(path, key, params, code);
};

/** The status with the strategy's initial split in it. */
function withSplit(status: TaskStatus, split: InitialSplit): TaskStatus {
  return {
    ...status,
    weights: split.weights,
    ...(split.replicaPool !== undefined ? { replicaPool: split.replicaPool } : {}),
    ...(split.batch !== undefined ? { batch: split.batch } : {}),
    ...(split.mirrorPercent !== undefined ? { mirrorPercent: split.mirrorPercent } : {}),
  };
}

/** A task with steps knows how many (the state machine offers promote/retry only then). */
function withStepTotal(spec: TaskSpec, status: TaskStatus): TaskStatus {
  const total = stepPlan(spec, status.batch?.plan.length ?? null).length;
  return total > 0 ? { ...status, stepTotal: total } : status;
}

/**
 * The checks of planCreate that need no traffic settings, for a spec filled through the service
 * step (target, base version) or the version step (plus the new version's name): the wizard asks
 * them step by step, and they throw exactly what planCreate would throw for those fields.
 */
export function checkCreateThrough(spec: ServicePart | VersionPart, cluster: ServiceClusterState): void {
  checkTarget(spec, cluster);
  const routing = routingOf(spec, cluster);
  if ("newVersion" in spec) refuseNameClash(spec, cluster, newDeploymentName(spec));
  const base = baseOf(spec, cluster, routing);
  if ("newVersion" in spec) checkBase(spec, base, routing);
  refuseHpaFight(spec.strategy, base.primary.metadata.name, hpaOf(cluster, base.primary.metadata.name));
}

/** The writes and waits that start a task; every VS/DR write passes Istio's rules first (istio-writes.ts). */
export function planCreate(spec: TaskSpec, cluster: ServiceClusterState): CreatePlan {
  const plan = createPlan(spec, cluster);
  refuseInvalidIstioWrites(plan.ops, cluster, plan.status);
  return plan;
}

/** The new Deployment: a split-by-pods strategy's pods carry the Service's selector so it spreads over both. */
function newDeploymentOf(
  spec: TaskSpec,
  cluster: ServiceClusterState,
  base: BaseInfo,
  name: string,
  replicas: number,
): Deployment {
  const extraLabels = strategyOf(spec.strategy).capabilities.splitsPods
    ? { ...(cluster.service.spec.selector ?? {}) }
    : {};
  const newDep = buildNewDeployment(spec, base.primary, name, replicas, extraLabels);
  checkSelectors(newDep, cluster, base.primary.metadata.name);
  return newDep;
}

/** The base scaled to the split's target; emptying it (one batch group, replica-canary at 100%) must not leave a foreign route on it. */
function shrinkBase(
  status: TaskStatus,
  cluster: ServiceClusterState,
  base: BaseInfo,
  split: InitialSplit,
  ready: WaitReadyOp,
): PlanOp[] {
  const shrink = split.baseTarget === null ? null : scaleOp(base.primary, split.baseTarget);
  if (!shrink) return [];
  if (split.baseTarget === 0) {
    const from = {
      version: base.version,
      subsets: subsetsOfVersion(base.version, status.subsets, cluster.destinationRule),
    };
    moveOrRefuse("create", cluster, status, from, destinationTo(status, status.newVersion), undefined, true);
  }
  return status.routing === "replicas" && split.newReplicas > 0 ? [ready, shrink] : [shrink];
}

/** The router's writes that start the task, around the new Deployment (none without a router). */
function routerSteps(
  spec: TaskSpec,
  cluster: ServiceClusterState,
  started: TaskStatus,
  newDep: Deployment,
  ready: WaitReadyOp,
): MeshSteps {
  if (started.routing === "istio") return createMeshOps(spec, cluster, started, newDep, ready);
  if (started.routing !== "gateway-api") return { early: [], late: [], status: started };
  const intent = strategyOf(spec.strategy).intent(spec, started, "create");
  return gatewayCreateSteps(intent, started, cluster, { podSources: [...cluster.deployments, newDep] }, ready);
}

function createPlan(spec: TaskSpec, cluster: ServiceClusterState): CreatePlan {
  checkTarget(spec, cluster);
  const routing = routingOf(spec, cluster);
  const newName = newDeploymentName(spec);
  refuseNameClash(spec, cluster, newName);
  const base = baseOf(spec, cluster, routing);
  checkBase(spec, base, routing);
  const baseHpa = hpaOf(cluster, base.primary.metadata.name);
  refuseHpaFight(spec.strategy, base.primary.metadata.name, baseHpa);

  const initial = initialStatus(spec, cluster, base, routing, newName, baseHpa?.metadata.name ?? null);
  const facts = { version: base.version, replicas: initial.original.baseReplicas, deployments: cluster.deployments };
  const split = strategyOf(spec.strategy).initialSplit(spec, facts, refuse);
  const newDep = newDeploymentOf(spec, cluster, base, newName, split.newReplicas);
  const ready = waitReadyOp(initial.namespace, newName, spec.newVersion.version, split.newReplicas, rolloutOf(spec));
  const started = withStepTotal(spec, withSplit(initial, split));
  const mesh = routerSteps(spec, cluster, started, newDep, ready);
  const status = mesh.status;
  const ops: PlanOp[] = [
    ...mesh.early,
    { op: "create", object: newDep },
    ...(baseHpa ? [{ op: "create" as const, object: hpaCopy(baseHpa, newName, spec.name) }] : []),
    ...mesh.late,
    ...shrinkBase(status, cluster, base, split, ready),
  ];
  const summaryView = createSummaryOf(spec, status, split.newReplicas, split.baseTarget);
  return { ops, status, state: split.state, summary: createSummaryText(summaryView), summaryView };
}
