import "server-only";
import { z } from "zod";
import { clients, type K8sClients } from "@/lib/k8s/client";
import { applyPlan, resourceVersions, type ApplyResult } from "@/lib/k8s/applier";
import { K8sError } from "@/lib/k8s/errors";
import { call, plain } from "@/lib/k8s/resources";
import { readServiceClusterState } from "@/lib/k8s/state";
import { readServiceStateOr404 } from "@/lib/inventory/services";
import { db } from "@/lib/db/client";
import {
  addEvent,
  deleteTask,
  findActiveTaskForService,
  findTask,
  findTaskByName,
  insertTask,
  listEvents,
  listTasks,
  parseJson,
  updateTaskIfRevision,
  type TaskRow,
} from "@/lib/db/tasks-repo";
import { ApiError } from "@/lib/api/errors";
import type {
  PodSummary,
  PreviewResponse,
  RoutingSnapshot,
  TaskDetail,
  TaskEventsResponse,
  TaskListResponse,
  TaskSummary,
  TaskVersion,
} from "@/lib/api/contracts";
import { planAction, planCreate, type Plan, type TaskStatus } from "@/lib/release/planner";
import { ActionRequestSchema, TaskSpecSchema, type ActionRequest, type TaskSpec } from "@/lib/release/spec";
import { allowedActions, isTerminal } from "@/lib/release/state-machine";
import { detectDrift } from "@/lib/release/drift";
import { groupVersions, readRouting } from "@/lib/release/routing";
import { planDiff, renderPlanYaml } from "@/lib/release/preview";
import { STRATEGIES, TASK_STATES, type Deployment, type DestinationRule, type ServiceClusterState, type Strategy, type TaskState, type VirtualService } from "@/lib/release/types";

// The release use-cases: validate -> read the cluster -> plan (pure) -> apply with
// compensation -> record in the DB. Any failure leaves the cluster and the task row as
// they were; a cluster write that fails after the plan was accepted is recorded as a
// failed event (the audit trail of who tried what), nothing else changes.

// ---------- helpers ----------

function snapshot(state: TaskState, status: TaskStatus): RoutingSnapshot {
  return { state, weights: status.weights, mirrorPercent: status.mirrorPercent, batchGroup: status.batch?.current ?? null };
}

function rowSpec(row: TaskRow): TaskSpec { return parseJson<TaskSpec>(row.spec)!; }
function rowStatus(row: TaskRow): TaskStatus { return parseJson<TaskStatus>(row.status)!; }

async function requireTask(id: string): Promise<TaskRow> {
  const row = await findTask(db(), id);
  if (!row) throw ApiError.notFound(`task "${id}" not found`);
  return row;
}

/**
 * The API server may normalise what we wrote (CRD defaulting, number formatting). Drift is
 * measured against what it actually stored: the body it answered our own write with, so a
 * later edit by someone else is never absorbed and nothing needs re-reading.
 */
function normaliseLastApplied(status: TaskStatus, applied: ApplyResult): TaskStatus {
  const next = structuredClone(status);
  const vs = status.virtualServiceName ? applied.objects[`VirtualService/${status.virtualServiceName}`] : undefined;
  if (vs && next.lastApplied.virtualServiceSpec) next.lastApplied.virtualServiceSpec = (vs as VirtualService).spec;
  const dr = status.destinationRuleName ? applied.objects[`DestinationRule/${status.destinationRuleName}`] : undefined;
  if (dr && next.lastApplied.destinationRuleSpec) next.lastApplied.destinationRuleSpec = (dr as DestinationRule).spec;
  return next;
}

/** The service's state after our writes, from the write responses (no second read). */
function clusterAfter(cluster: ServiceClusterState, applied: ApplyResult): ServiceClusterState {
  const next: ServiceClusterState = { ...cluster, deployments: [...cluster.deployments] };
  for (const [ref, obj] of Object.entries(applied.objects)) {
    const [kind, name] = ref.split("/") as [string, string];
    if (kind === "Deployment") {
      next.deployments = next.deployments.filter((d) => d.metadata.name !== name);
      if (obj) next.deployments.push(obj as Deployment);
    } else if (kind === "VirtualService" && (cluster.virtualService?.metadata.name ?? name) === name) {
      next.virtualService = (obj as VirtualService | null) ?? null;
    } else if (kind === "DestinationRule" && (cluster.destinationRule?.metadata.name ?? name) === name) {
      next.destinationRule = (obj as DestinationRule | null) ?? null;
    }
  }
  return next;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "P2002" || /unique constraint/i.test(e?.message ?? "");
}

// ---------- create / preview ----------

async function prepareCreate(input: unknown): Promise<{ spec: TaskSpec; cluster: ServiceClusterState; plan: Plan; c: K8sClients }> {
  const spec = TaskSpecSchema.parse(input);
  const c = clients();
  const cluster = await readServiceStateOr404(c, spec.namespace, spec.service);
  const [active, sameName] = await Promise.all([findActiveTaskForService(db(), spec.namespace, spec.service), findTaskByName(db(), spec.namespace, spec.name)]);
  if (sameName) throw ApiError.conflict(`a task named "${spec.name}" already exists in namespace "${spec.namespace}"`, [{ path: "name", message: "already exists" }]);
  if (active) throw ApiError.conflict(`service "${spec.service}" already has an active release task "${active.name}" (${active.state}); finish or abort it first`, [{ path: "service", message: `active task ${active.id}` }]);
  const plan = planCreate(spec, cluster);
  return { spec, cluster, plan, c };
}

export async function previewTask(input: unknown): Promise<PreviewResponse> {
  const { plan } = await prepareCreate(input);
  return {
    yaml: renderPlanYaml(plan),
    objects: plan.ops.map((op) =>
      op.op === "patchReplicas"
        ? { op: "scale" as const, kind: op.kind, name: op.name, namespace: op.namespace, object: { spec: { replicas: op.replicas } } }
        : { op: op.op, kind: op.object.kind, name: op.object.metadata.name, namespace: op.object.metadata.namespace ?? "", object: op.object },
    ),
    diff: planDiff(plan),
    baseVersion: plan.status.baseVersion,
    summary: plan.summary,
  };
}

export async function createTask(input: unknown, actor: string): Promise<TaskDetail> {
  const { spec, plan, c } = await prepareCreate(input);
  let row: TaskRow;
  try {
    // The row goes in first: its unique keys serialise two concurrent creates for one service.
    row = await insertTask(db(), {
      name: spec.name,
      namespace: spec.namespace,
      service: spec.service,
      strategy: spec.strategy,
      state: plan.state,
      baseVersion: plan.status.baseVersion,
      newVersion: plan.status.newVersion,
      spec,
      status: plan.status,
      createdBy: actor,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw ApiError.conflict(`service "${spec.service}" or task name "${spec.name}" is already taken by another task`);
    throw err;
  }
  let applied: ApplyResult;
  try {
    applied = await applyPlan(c, plan.ops);
  } catch (err) {
    await deleteTask(db(), row.id);
    throw err;
  }
  try {
    const status = normaliseLastApplied(plan.status, applied);
    const updated = await updateTaskIfRevision(db(), row, { state: plan.state, status, finished: isTerminal(plan.state) });
    await addEvent(db(), { taskId: row.id, actor, action: "create", after: snapshot(plan.state, status), resourceVersions: resourceVersions(applied.objects), result: "ok" });
    return await taskDetail(updated ?? row);
  } catch (err) {
    await applied.undo().catch(() => undefined);
    await deleteTask(db(), row.id).catch(() => undefined);
    throw err;
  }
}

// ---------- actions ----------

const DRIFT_EXEMPT = new Set(["resync", "acceptDrift"]);

export async function runAction(id: string, input: unknown, actor: string): Promise<TaskDetail> {
  const action = ActionRequestSchema.parse(input);
  return act(await requireTask(id), action, actor);
}

export async function abortTask(id: string, actor: string): Promise<TaskDetail> {
  return act(await requireTask(id), { action: "abort" }, actor);
}

async function act(row: TaskRow, action: ActionRequest, actor: string): Promise<TaskDetail> {
  const c = clients();
  const spec = rowSpec(row);
  const status = rowStatus(row);
  const state = row.state as TaskState;
  const [cluster, pods] = await Promise.all([readServiceStateOr404(c, row.namespace, row.service), listPods(c, row.namespace, row.service)]);
  if (!DRIFT_EXEMPT.has(action.action)) {
    const drift = detectDrift(status, cluster);
    if (drift) {
      throw ApiError.conflict(
        `the VirtualService/DestinationRule were changed outside this task; re-sync (overwrite with the task's routing) or accept (adopt the live routing) before "${action.action}"`,
        { drift },
        "drift",
      );
    }
  }
  let plan: Plan;
  try {
    plan = planAction({ spec, status, state }, action, cluster);
  } catch (err) {
    if ((err as { name?: string; code?: string }).name === "PlanError" && (err as { code?: string }).code === "conflict") {
      throw ApiError.conflict((err as Error).message, (err as { details?: unknown }).details ?? null, "illegal_transition");
    }
    throw err;
  }
  let applied: ApplyResult;
  try {
    applied = await applyPlan(c, plan.ops);
  } catch (err) {
    await addEvent(db(), { taskId: row.id, actor, action: action.action, before: snapshot(state, status), result: "error", error: (err as Error).message });
    throw err;
  }
  const nextStatus = normaliseLastApplied(plan.status, applied);
  const updated = await updateTaskIfRevision(db(), row, {
    state: plan.state,
    status: nextStatus,
    finished: isTerminal(plan.state),
    nameFreed: plan.state === "aborted",
  });
  if (!updated) {
    // Someone acted on this task between our read and our write: put the cluster back.
    await applied.undo();
    throw ApiError.conflict(`task "${row.name}" was changed by another request; reload and retry`);
  }
  await addEvent(db(), {
    taskId: row.id,
    actor,
    action: action.action,
    before: snapshot(state, status),
    after: snapshot(plan.state, nextStatus),
    resourceVersions: resourceVersions(applied.objects),
    result: "ok",
  });
  // Answer from what we read and wrote: the write responses are the cluster's new state.
  return taskDetail(updated, { cluster: clusterAfter(cluster, applied), pods });
}

// ---------- reads ----------

export function taskSummary(row: TaskRow): TaskSummary {
  const status = rowStatus(row);
  return {
    id: row.id,
    name: row.name,
    namespace: row.namespace,
    service: row.service,
    strategy: row.strategy as Strategy,
    state: row.state as TaskState,
    baseVersion: row.baseVersion,
    newVersion: row.newVersion,
    weights: status.weights,
    mirrorPercent: status.mirrorPercent,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

async function listPods(c: K8sClients, namespace: string, service: string): Promise<{ labels: Record<string, string>; pod: PodSummary }[]> {
  const res = plain<{ items: { metadata: { name: string; labels?: Record<string, string> }; spec?: { nodeName?: string }; status?: { phase?: string; startTime?: string; conditions?: { type: string; status: string }[] } }[] }>(
    await call(`list Pods in ${namespace}`, () => c.core.listNamespacedPod({ namespace, labelSelector: `app=${service}` })),
  );
  return res.items.map((p) => ({
    labels: p.metadata.labels ?? {},
    pod: {
      name: p.metadata.name,
      phase: p.status?.phase ?? "Unknown",
      ready: (p.status?.conditions ?? []).some((cond) => cond.type === "Ready" && cond.status === "True"),
      node: p.spec?.nodeName ?? null,
      startedAt: p.status?.startTime ?? null,
    },
  }));
}

export async function getTask(id: string): Promise<TaskDetail> {
  return taskDetail(await requireTask(id));
}

type PodRow = Awaited<ReturnType<typeof listPods>>[number];

async function taskDetail(row: TaskRow, known?: { cluster: ServiceClusterState; pods: PodRow[] }): Promise<TaskDetail> {
  const spec = rowSpec(row);
  const status = rowStatus(row);
  const state = row.state as TaskState;
  const detail: TaskDetail = {
    ...taskSummary(row),
    spec,
    revision: row.revision,
    allowedActions: allowedActions(spec.strategy, state, status),
    batch: status.batch
      ? {
          plan: status.batch.plan,
          current: status.batch.current,
          total: status.batch.plan.length,
          groupsDone: status.batch.current,
          awaitingConfirmation: state === "awaiting-confirmation",
        }
      : null,
    previewHeader: status.previewHeader,
    versions: [],
    routing: { virtualService: status.virtualServiceName, defaultRoute: null, matchRoutes: [] },
    drift: null,
  };
  try {
    const c = clients();
    const [cluster, pods] = known
      ? [known.cluster, known.pods]
      : await Promise.all([readServiceClusterState(c, row.namespace, row.service), listPods(c, row.namespace, row.service)]);
    detail.routing = readRouting(cluster.virtualService, row.service, row.namespace);
    detail.drift = isTerminal(state) ? null : detectDrift(status, cluster);
    const created = new Map(cluster.deployments.map((d) => [d.metadata.name, (d.metadata as { creationTimestamp?: string }).creationTimestamp ?? null]));
    detail.versions = groupVersions(cluster.deployments, row.service).map((g): TaskVersion => ({
      ...g,
      role: g.version === status.baseVersion ? "base" : g.version === status.newVersion ? "new" : "other",
      weight: status.weights[g.version] ?? null,
      createdAt: g.deployments.map((d) => created.get(d) ?? null).find((t) => t !== null) ?? null,
      pods: pods.filter((p) => p.labels.version === g.version || (g.version === "unversioned" && !p.labels.version)).map((p) => p.pod),
    }));
  } catch (err) {
    // The task's history is in the DB: show it even when the cluster cannot be read.
    if (!(err instanceof K8sError) && !(err instanceof ApiError)) throw err;
    detail.clusterError = err.message;
  }
  return detail;
}

export const TaskListQuery = z.object({
  namespace: z.string().max(63).optional(),
  state: z.enum(TASK_STATES).optional(),
  service: z.string().max(63).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  q: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export async function listTaskSummaries(query: z.infer<typeof TaskListQuery>): Promise<TaskListResponse> {
  const { rows, total } = await listTasks(db(), query);
  return { tasks: rows.map(taskSummary), total, page: query.page, pageSize: query.pageSize };
}

export async function taskEvents(id: string): Promise<TaskEventsResponse> {
  await requireTask(id);
  const rows = await listEvents(db(), id);
  return {
    events: rows.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      action: e.action,
      before: parseJson<RoutingSnapshot>(e.before),
      after: parseJson<RoutingSnapshot>(e.after),
      resourceVersions: parseJson<Record<string, string>>(e.resourceVersions),
      result: e.result === "ok" ? "ok" : "error",
      error: e.error,
    })),
  };
}

