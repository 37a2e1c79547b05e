import "server-only";
import { isTaskId } from "@/lib/names";
import type { Identity } from "@/lib/auth/identity";
import { requireReadable, visibleNamespaces } from "./visibility";
import { clients } from "@/lib/k8s/client";
import { K8sError } from "@/lib/k8s/errors";
import { listServicePods, readServiceClusterState, type PodRow } from "@/lib/k8s/state";
import { db } from "@/lib/db/client";
import { findTask, listEvents, listTasks, parseJson, type TaskRow } from "@/lib/db/tasks-repo";
import { activeOperationOf, isUnfinished, type OperationRow } from "@/lib/db/operations-repo";
import { NotFound, UseCaseError } from "./errors";
import { k8sErrorText } from "@/lib/k8s/error-text";
import { localized } from "@/lib/i18n/localized";
import type {
  StepsView,
  KeyedText,
  OperationView,
  RoutingSnapshot,
  TaskDetail,
  TaskEventsResponse,
  TaskListResponse,
  TaskSummary,
  TaskVersion,
} from "./views";
import type { TaskListQuery } from "./requests";
import type { TaskSpec } from "@/lib/release/spec";
import type { TaskStatus } from "@/lib/release/status";
import { allowedActions, isTerminal } from "@/lib/release/state-machine";
import { detectDrift } from "@/lib/release/drift";
import { readFollowedEntryRoutes } from "@/lib/release/entry-routes";
import { foreignRoutesOf } from "@/lib/release/foreign-routes";
import { nextGroupSplit } from "@/lib/release/batch";
import { stepPlan } from "@/lib/release/steps";
import { describeOp, stepView } from "@/lib/release/ops";
import { groupVersions } from "@/lib/release/routing";
import { gatewayDrift } from "@/lib/release/routing/gateway-task";
import { readServiceRouting } from "@/lib/release/routing/reading";
import type {
  ActionName,
  Deployment,
  DestinationRule,
  K8sObject,
  ServiceClusterState,
  Strategy,
  TaskState,
  VirtualService,
} from "@/lib/release/types";
import { leftovers, leftoverSteps, type Step, type WaitingView } from "./journal";
import { failureOf } from "./reconciler";
import { redactTargets } from "@/lib/notify/schema";
import { taskNotifications } from "@/lib/notify/views";

// Read models of tasks: what the task page, the jobs list and history show. Reads only.

export function rowSpec(row: TaskRow): TaskSpec {
  return parseJson<TaskSpec>(row.spec)!;
}
export function rowStatus(row: TaskRow): TaskStatus {
  return parseJson<TaskStatus>(row.status)!;
}

async function findTaskOr404(id: string): Promise<TaskRow> {
  const row = isTaskId(id) ? await findTask(db(), id) : null;
  if (!row) throw new NotFound(localized("err.task.notFound", { id: id.slice(0, 80) }));
  return row;
}

/** The service's state after our writes, from the write responses (no second read). */
export function clusterAfter(
  cluster: ServiceClusterState,
  stored: Record<string, K8sObject | null>,
): ServiceClusterState {
  const next: ServiceClusterState = { ...cluster, deployments: [...cluster.deployments] };
  for (const [ref, obj] of Object.entries(stored)) {
    const [kind, name] = ref.split("/") as [string, string];
    if (kind === "Deployment") {
      next.deployments = next.deployments.filter((d) => d.metadata.name !== name);
      if (obj) next.deployments.push(obj as Deployment);
    } else if (kind === "VirtualService") {
      // The task's own VS, or a gateway VS whose entry routes it follows.
      if ((cluster.virtualService?.metadata.name ?? name) === name)
        next.virtualService = (obj as VirtualService | null) ?? null;
      next.virtualServices = [
        ...(next.virtualServices ?? []).filter((v) => v.metadata.name !== name),
        ...(obj ? [obj as VirtualService] : []),
      ];
    } else if (kind === "DestinationRule" && (cluster.destinationRule?.metadata.name ?? name) === name) {
      next.destinationRule = (obj as DestinationRule | null) ?? null;
    }
  }
  return next;
}

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

/** Emergency brakes: never blocked by drift or by an operation in flight (they supersede it). */
export const BRAKES: ReadonlySet<string> = new Set(["abort", "rollback"]);

/** While an operation is in flight only the brakes can be asked for; anything else would be a 409. */
function actionsNow(allowed: ActionName[], op: OperationRow | null): ActionName[] {
  return op && isUnfinished(op.state) ? allowed.filter((a) => BRAKES.has(a)) : allowed;
}

export function operationView(op: OperationRow): OperationView {
  const steps = parseJson<Step[]>(op.steps) ?? [];
  return {
    id: op.id,
    action: op.action,
    actor: op.actor,
    state: op.state,
    summary: op.summary,
    steps: steps.map((s) => ({
      description: describeOp(s.op),
      step: stepView(s.op),
      state: s.state,
      error: s.error ?? null,
    })),
    waiting: op.state === "waiting" ? parseJson<WaitingView>(op.waiting) : null,
    error: op.error ? failureOf(op).message : null,
    leftovers: op.state === "needs-attention" ? leftovers(steps) : [],
    leftoverSteps: op.state === "needs-attention" ? leftoverSteps(steps) : [],
    attempts: op.attempts,
    nextAttemptAt: op.nextAttemptAt?.toISOString() ?? null,
    createdAt: op.createdAt.toISOString(),
  };
}

export async function getTask(id: string, reader: Identity): Promise<TaskDetail> {
  const row = await findTaskOr404(id);
  await requireReadable(reader, row.namespace);
  return taskDetail(row);
}

function versionsOf(row: TaskRow, status: TaskStatus, cluster: ServiceClusterState, pods: PodRow[]): TaskVersion[] {
  const created = new Map(
    cluster.deployments.map((d) => [
      d.metadata.name,
      (d.metadata as { creationTimestamp?: string }).creationTimestamp ?? null,
    ]),
  );
  return groupVersions(cluster.deployments, row.service).map(
    (g): TaskVersion => ({
      ...g,
      role: g.version === status.baseVersion ? "base" : g.version === status.newVersion ? "new" : "other",
      weight: status.weights[g.version] ?? null,
      createdAt: g.deployments.map((d) => created.get(d) ?? null).find((t) => t !== null) ?? null,
      pods: pods
        .filter((p) => p.labels.version === g.version || (g.version === "unversioned" && !p.labels.version))
        .map((p) => p.pod),
    }),
  );
}

/** What the caller already read: the cluster and pods, and (when known) the task's active operation. */
export interface KnownTaskState {
  cluster: ServiceClusterState;
  pods: PodRow[];
  operation?: OperationRow | null;
}

/** The router a task steers, as the API names it: a task without a router follows replica counts ("none"). */
export function routingBackendOf(status: Pick<TaskStatus, "routing">): TaskDetail["routingBackend"] {
  return status.routing === "replicas" ? "none" : status.routing;
}

/** Drift of what the task owns, on the router it steers. */
function driftOf(status: TaskStatus, cluster: ServiceClusterState): TaskDetail["drift"] {
  if (status.routing !== "gateway-api") return detectDrift(status, cluster);
  const entries = gatewayDrift(status, cluster);
  return entries ? { httpRoute: entries } : null;
}

/** The step plan and where the task is in it; null without steps. */
function stepsView(spec: TaskSpec, status: TaskStatus): StepsView | null {
  const plan = stepPlan(spec, status.batch?.plan.length ?? null);
  return plan.length === 0 ? null : { plan, state: status.stepState ?? null };
}

export async function taskDetail(row: TaskRow, known?: KnownTaskState): Promise<TaskDetail> {
  const spec = rowSpec(row);
  const status = rowStatus(row);
  const state = row.state as TaskState;
  const op = known?.operation !== undefined ? known.operation : await activeOperationOf(db(), row.id);
  const detail: TaskDetail = {
    ...taskSummary(row),
    spec: redactTargets(spec),
    revision: row.revision,
    routingBackend: routingBackendOf(status),
    allowedActions: actionsNow(allowedActions(spec.strategy, state, status), op),
    batch: status.batch
      ? {
          plan: status.batch.plan,
          current: status.batch.current,
          total: status.batch.plan.length,
          groupsDone: status.batch.current,
          awaitingConfirmation: state === "awaiting-confirmation",
          next: isTerminal(state) ? null : nextGroupSplit(status),
        }
      : null,
    steps: stepsView(spec, status),
    previewHeader: status.previewHeader,
    versions: [],
    routing: { virtualService: status.virtualServiceName, defaultRoute: null, matchRoutes: [] },
    entryRoutes: [],
    foreignRoutes: [],
    drift: null,
    operation: op ? operationView(op) : null,
    notifications: await taskNotifications(row.id),
  };
  try {
    const c = clients();
    const [cluster, pods] = known
      ? [known.cluster, known.pods]
      : await Promise.all([
          readServiceClusterState(c, row.namespace, row.service),
          listServicePods(c, row.namespace, row.service),
        ]);
    detail.routing = readServiceRouting(cluster, detail.routingBackend);
    detail.entryRoutes = readFollowedEntryRoutes(status, cluster, cluster.destinationRule);
    // What the action dialogs offer to move along: only while the old version is still there to leave.
    detail.foreignRoutes = isTerminal(state) ? [] : foreignRoutesOf(cluster, status, status.baseVersion);
    // Mid-operation the objects are between two states by design: only a settled task can drift.
    detail.drift = isTerminal(state) || (op && isUnfinished(op.state)) ? null : driftOf(status, cluster);
    detail.versions = versionsOf(row, status, cluster, pods);
  } catch (err) {
    // The task's history is in the DB: show it even when the cluster cannot be read.
    if (!(err instanceof K8sError) && !(err instanceof UseCaseError)) throw err;
    detail.clusterError = err.message;
    const text = err instanceof K8sError ? k8sErrorText(err) : err.text;
    if (text) detail.clusterErrorText = { key: text.key, params: text.params };
  }
  return detail;
}

export async function listTaskSummaries(query: TaskListQuery, reader: Identity): Promise<TaskListResponse> {
  const { rows, total } = await listTasks(db(), { ...query, namespaces: await visibleNamespaces(reader) });
  return { tasks: rows.map(taskSummary), total, page: query.page, pageSize: query.pageSize };
}

export async function taskEvents(id: string, reader: Identity): Promise<TaskEventsResponse> {
  const row = await findTaskOr404(id);
  await requireReadable(reader, row.namespace);
  const rows = await listEvents(db(), id);
  return {
    events: rows.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actor: e.actor,
      actorGroups: parseJson<string[]>(e.actorGroups),
      actorSource: e.actorSource,
      action: e.action,
      before: parseJson<RoutingSnapshot>(e.before),
      after: parseJson<RoutingSnapshot>(e.after),
      resourceVersions: parseJson<Record<string, string>>(e.resourceVersions),
      result: e.result === "ok" ? "ok" : "error",
      error: e.error,
      errorText: parseJson<KeyedText>(e.errorText),
      note: e.note,
    })),
  };
}
