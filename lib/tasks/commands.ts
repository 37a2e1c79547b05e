import "server-only";
import { isTaskId } from "@/lib/names";
import { clients } from "@/lib/k8s/client";
import { ApplyError } from "@/lib/k8s/applier";
import { K8sError, type K8sErrorKind } from "@/lib/k8s/errors";
import { listServicePods, type PodRow } from "@/lib/k8s/state";
import { readServiceStateOr404 } from "@/lib/inventory/services";
import { db } from "@/lib/db/client";
import {
  findActiveTaskForService,
  findTask,
  findTaskByName,
  nameKeyOf,
  activeKeyOf,
  isActiveState,
  type TaskRow,
} from "@/lib/db/tasks-repo";
import {
  activeOperationOf,
  cancelOperation,
  findOperation,
  isUnfinished,
  operationData,
  recordIntent,
  type OperationRow,
} from "@/lib/db/operations-repo";
import { addEvent, listEvents } from "@/lib/db/tasks-repo";
import { PlanError, fieldErrorOf } from "@/lib/release/errors";
import { isErrorKey, localized, type Localized } from "@/lib/i18n/localized";
import { Conflict, Invalid, NotFound } from "./errors";
import type { PreviewCheckResponse, PreviewResponse, TaskDetail } from "./views";
import { checkCreateThrough, planAction, planCreate, type CreatePlan, type Plan } from "@/lib/release/planner";
import { parseThrough, problemsThrough, type CheckSection } from "@/lib/release/spec-sections";
import { isWrite } from "@/lib/release/ops";
import { ActionRequestSchema, TaskSpecSchema, type ActionRequest, type TaskSpec } from "@/lib/release/spec";
import { isTerminal } from "@/lib/release/state-machine";
import { detectDrift } from "@/lib/release/drift";
import { planDiff, renderPlanYaml } from "@/lib/release/preview";
import type { ServiceClusterState, TaskState } from "@/lib/release/types";
import type { TaskStatus } from "@/lib/release/status";
import { leftovers, stepsOf, storedObjects, type Step } from "./journal";
import { failureOf, reconciler, type TaskSnapshot } from "./reconciler";
import { BRAKES, clusterAfter, rowSpec, rowStatus, taskDetail } from "./read-model";
import { parseJson } from "@/lib/db/tasks-repo";
import { authorizePlan } from "@/lib/auth/access";
import { requireReadable } from "./visibility";
import type { Identity } from "@/lib/auth/identity";

// The release commands: validate -> read the cluster (as the user) -> plan (pure) -> ask the
// apiserver whether the user may make every write of the plan (403 otherwise, before anything
// is recorded) -> record the intent in the journal (same transaction as the task's next state)
// -> let the leader's reconciler run the steps. The request returns once the synchronous steps have landed; waits continue in the
// background and show on the task as its operation.

const DRIFT_EXEMPT = new Set(["resync", "acceptDrift", "abort", "rollback"]);
const NON_LEADER_WAIT_MS = 15_000;

export async function requireTask(id: string): Promise<TaskRow> {
  // Any id that names no task is a 404, whatever its shape.
  const row = isTaskId(id) ? await findTask(db(), id) : null;
  if (!row) throw new NotFound(localized("err.task.notFound", { id: id.slice(0, 80) }));
  return row;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === "P2002" || /unique constraint/i.test(e?.message ?? "");
}

/** A task name is unique in its namespace, and a service has one active task at a time. */
async function refuseTaken(namespace: string, name: string, service?: string): Promise<void> {
  const [sameName, active] = await Promise.all([
    findTaskByName(db(), namespace, name),
    service === undefined ? null : findActiveTaskForService(db(), namespace, service),
  ]);
  if (sameName) throw fieldErrorOf("name", "err.taskNameExists", { name, namespace }, "conflict");
  if (active && service !== undefined)
    throw fieldErrorOf("service", "err.serviceHasActiveTask", { service, task: active.name }, "conflict");
}

async function prepareCreate(
  input: unknown,
): Promise<{ spec: TaskSpec; cluster: ServiceClusterState; plan: CreatePlan }> {
  const spec = TaskSpecSchema.parse(input);
  const cluster = await readServiceStateOr404(clients(), spec.namespace, spec.service);
  await refuseTaken(spec.namespace, spec.name, spec.service);
  return { spec, cluster, plan: planCreate(spec, cluster) };
}

/**
 * The create wizard's check of one step: the spec's fields through `upTo` (later ones may be
 * empty) against the schema, then what the server alone knows (a task of that name, an active
 * task on the service, the base version, a new version that already runs). Writes nothing.
 */
export async function checkTaskSpec(
  input: unknown,
  upTo: CheckSection,
  actor: Identity,
): Promise<PreviewCheckResponse> {
  const problems = problemsThrough(input, upTo);
  const first = problems[0];
  if (first) {
    const text: Localized | undefined =
      first.key && isErrorKey(first.key) ? { key: first.key, params: first.params ?? {}, path: first.path } : undefined;
    const message = `${first.path}: ${first.message}`;
    throw new Invalid(text, problems, message);
  }
  const spec = parseThrough(input, upTo);
  if (!("service" in spec)) {
    // No cluster read names the namespace yet: the task names of a namespace are only for its readers.
    await requireReadable(actor, spec.namespace);
    await refuseTaken(spec.namespace, spec.name);
    return { check: upTo, ok: true };
  }
  const cluster = await readServiceStateOr404(clients(), spec.namespace, spec.service);
  await refuseTaken(spec.namespace, spec.name, spec.service);
  checkCreateThrough(spec, cluster);
  return { check: upTo, ok: true };
}

export async function previewTask(input: unknown): Promise<PreviewResponse> {
  const { plan } = await prepareCreate(input);
  return {
    yaml: renderPlanYaml(plan),
    objects: plan.ops.filter(isWrite).map((op) =>
      op.op === "patchReplicas"
        ? {
            op: "scale" as const,
            kind: op.kind,
            name: op.name,
            namespace: op.namespace,
            object: { spec: { replicas: op.replicas } },
          }
        : {
            op: op.op,
            kind: op.object.kind,
            name: op.object.metadata.name,
            namespace: op.object.metadata.namespace ?? "",
            object: op.object,
          },
    ),
    diff: planDiff(plan),
    baseVersion: plan.status.baseVersion,
    summary: plan.summary,
    summaryView: plan.summaryView,
  };
}

/** Who did it, as history records it: the authenticated name, its groups and the client's address. */
function actorFields(actor: Identity) {
  return { actor: actor.name, actorGroups: actor.groups, actorSource: actor.source };
}

export async function createTask(input: unknown, actor: Identity): Promise<TaskDetail> {
  const { spec, plan, cluster } = await prepareCreate(input);
  await authorizePlan(actor, spec.namespace, plan.ops);
  const after: TaskSnapshot = { state: plan.state, status: plan.status, finished: isTerminal(plan.state) };
  let recorded: { task: TaskRow; op: OperationRow };
  try {
    // Task row and journal entry in one transaction: the task's unique keys serialise two
    // concurrent creates, and no cluster write happens before both are durable.
    recorded = await db().$transaction(async (tx) => {
      const task = await tx.releaseTask.create({ data: newTaskData(spec, plan, actor.name) });
      const op = await tx.taskOperation.create({
        data: operationData(task.id, {
          action: "create",
          ...actorFields(actor),
          request: spec,
          steps: stepsOf(plan.ops),
          taskBefore: null,
          taskAfter: after,
          summary: plan.summary,
        }),
      });
      return { task, op };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new Conflict(localized("err.task.taken", { service: spec.service, name: spec.name }));
    throw err;
  }
  return respond(recorded.task.id, await execute(recorded.op.id), cluster);
}

function newTaskData(spec: TaskSpec, plan: Plan, actor: string) {
  return {
    name: spec.name,
    namespace: spec.namespace,
    service: spec.service,
    strategy: spec.strategy,
    state: plan.state,
    baseVersion: plan.status.baseVersion,
    newVersion: plan.status.newVersion,
    spec: JSON.stringify(spec),
    status: JSON.stringify(plan.status),
    createdBy: actor,
    nameKey: nameKeyOf(spec.namespace, spec.name),
    activeKey: isActiveState(plan.state) ? activeKeyOf(spec.namespace, spec.service) : null,
    ...(isTerminal(plan.state) ? { finishedAt: new Date() } : {}),
  };
}

export async function runAction(id: string, input: unknown, actor: Identity): Promise<TaskDetail> {
  const row = await requireTask(id);
  return act(row, ActionRequestSchema.parse(input), actor);
}

export async function abortTask(id: string, actor: Identity): Promise<TaskDetail> {
  return act(await requireTask(id), { action: "abort" }, actor);
}

/** Abort/rollback stop the operation in flight (at its next step boundary) and act on the live objects. */
async function supersede(row: TaskRow, action: ActionRequest, actor: Identity): Promise<TaskRow> {
  const active = await activeOperationOf(db(), row.id);
  if (!active) return row;
  if (!BRAKES.has(action.action)) {
    const text = localized("err.task.operationInProgress", {
      task: row.name,
      action: active.action,
      actionKey: `err.word.action.${active.action}`,
      state: active.state,
      stateKey: `err.word.operation.${active.state}`,
    });
    throw new Conflict(text, { operation: active.id, state: active.state });
  }
  const steps = parseJson<Step[]>(active.steps) ?? [];
  // Only someone who may make the operation's writes may stop it half way.
  await authorizePlan(
    actor,
    row.namespace,
    steps.map((s) => s.op),
  );
  await cancelOperation(db(), active.id, `superseded by ${action.action} (${actor.name})`);
  await reconciler().settle(active.id);
  await addEvent(db(), {
    taskId: row.id,
    ...actorFields(actor),
    action: active.action,
    result: "error",
    error: `cancelled by ${action.action}`,
    note: `stopped at step ${steps.filter((s) => s.state === "done").length} of ${steps.length}; ${action.action} acts on the live objects`,
  });
  return requireTask(row.id);
}

/**
 * Every action on a task ends in its history: a landed one as the reconciler finishes it, a
 * refused one (the engine's plan error, drift, an operation in flight, a concurrent change) here,
 * with the reason and nothing else changed. Failures in the cluster are recorded by the
 * reconciler as it compensates; a caller the apiserver forbids to change the namespace is not
 * written into its history.
 */
async function act(initial: TaskRow, action: ActionRequest, actor: Identity): Promise<TaskDetail> {
  try {
    return await actOn(initial, action, actor);
  } catch (err) {
    await recordRefusal(initial.id, action, actor, err);
    throw err;
  }
}

/** The reason of a refusal worth a line in history, or null for errors recorded elsewhere or not at all. */
function refusalOf(err: unknown): { error: string; errorText?: Localized } | null {
  const refused = err instanceof PlanError || err instanceof Conflict;
  if (!refused) return null;
  return { error: err.message, ...(err.text ? { errorText: err.text } : {}) };
}

async function recordRefusal(taskId: string, action: ActionRequest, actor: Identity, err: unknown): Promise<void> {
  const refusal = refusalOf(err);
  if (!refusal) return;
  try {
    // The batch auto-advancer retries every few seconds: one line per distinct refusal, not one per try.
    if (actor.via === "none" && actor.name.startsWith("system:")) {
      const last = (await listEvents(db(), taskId)).at(-1);
      if (
        last &&
        last.result === "error" &&
        last.actor === actor.name &&
        last.action === action.action &&
        last.error === refusal.error
      )
        return;
    }
    await addEvent(db(), {
      taskId,
      ...actorFields(actor),
      action: action.action,
      result: "error",
      ...refusal,
      note: "refused: nothing was changed",
    });
  } catch (recordErr) {
    // The caller still gets the refusal itself; a history that cannot be written is the server log's to say.
    console.error(`[tasks] refusal of ${action.action} on ${taskId} not recorded: ${(recordErr as Error).message}`);
  }
}

async function actOn(initial: TaskRow, action: ActionRequest, actor: Identity): Promise<TaskDetail> {
  const row = await supersede(initial, action, actor);
  const spec = rowSpec(row);
  const status = rowStatus(row);
  const state = row.state as TaskState;
  // Pods for the answer, read beside the cluster state: an action changes no pod synchronously
  // (controllers create and delete them later), so this read is as fresh as one after the write.
  const podsRead = podsOrNull(row.namespace, row.service);
  const cluster = await readServiceStateOr404(clients(), row.namespace, row.service);
  if (!DRIFT_EXEMPT.has(action.action)) {
    const drift = detectDrift(status, cluster);
    if (drift) {
      throw new Conflict(
        localized("err.task.drift", { action: action.action, actionKey: `err.word.action.${action.action}` }),
        { drift },
        "drift",
      );
    }
  }
  const plan = planOrConflict(() => planAction({ spec, status, state }, action, cluster));
  await authorizePlan(actor, row.namespace, plan.ops);
  const next: TaskSnapshot = {
    state: plan.state,
    status: plan.status,
    finished: isTerminal(plan.state),
    nameFreed: plan.state === "aborted",
  };
  const before: TaskSnapshot = { state, status };
  const recorded = await recordIntent(db(), row, next, {
    action: action.action,
    ...actorFields(actor),
    request: action,
    steps: stepsOf(plan.ops),
    taskBefore: before,
    taskAfter: next,
    summary: plan.summary,
  });
  if (!recorded) throw new Conflict(localized("err.task.changedMeanwhile", { task: row.name }));
  return respond(row.id, await execute(recorded.op.id), cluster, podsRead);
}

function planOrConflict(plan: () => Plan): Plan {
  try {
    return plan();
  } catch (err) {
    // A conflict the planner found is a refused transition: same message, same catalog text.
    if (err instanceof PlanError && err.code === "conflict")
      throw new Conflict(err.text, err.details ?? null, "illegal_transition", err.message);
    throw err;
  }
}

/** Runs the operation's synchronous steps here when this process leads; otherwise hands it to the leader through the journal. */
async function execute(opId: string): Promise<OperationRow> {
  const r = reconciler();
  if (r.isLeader()) {
    await r.advance(opId);
  } else {
    const deadline = Date.now() + NON_LEADER_WAIT_MS;
    while (Date.now() < deadline) {
      const op = await findOperation(db(), opId);
      if (!op || (op.state !== "pending" && op.state !== "running")) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  const op = await findOperation(db(), opId);
  if (!op) throw new Error(`operation ${opId} vanished`);
  return op;
}

/**
 * The service's pods for the answer, or null when they cannot be read: the change has landed
 * by then, so the answer falls back to the task as recorded (taskDetail reports the cluster error).
 */
function podsOrNull(namespace: string, service: string): Promise<PodRow[] | null> {
  return listServicePods(clients(), namespace, service).then(
    (pods) => pods,
    (err: unknown) => {
      console.warn(`[tasks] pods of ${namespace}/${service} not read for the answer: ${(err as Error).message}`);
      return null;
    },
  );
}

/** The answer: the task as it now is, or the failure (compensated, or what it left behind). */
async function respond(
  taskId: string,
  op: OperationRow,
  cluster: ServiceClusterState,
  podsRead?: Promise<PodRow[] | null>,
): Promise<TaskDetail> {
  const steps = parseJson<Step[]>(op.steps) ?? [];
  if (op.state === "compensated" || op.state === "needs-attention") {
    const failure = failureOf(op);
    const failed = steps.find((s) => s.state === "failed");
    const cause = new K8sError(failure.kind as K8sErrorKind, failure.message);
    const ref = failed && isWrite(failed.op) ? failed.op : null;
    const failedOp = ref
      ? {
          op: ref.op,
          kind: ref.op === "patchReplicas" ? ref.kind : ref.object.kind,
          name: ref.op === "patchReplicas" ? ref.name : ref.object.metadata.name,
        }
      : { op: failed?.op.op ?? "unknown", kind: "", name: "" };
    throw new ApplyError(
      cause,
      failedOp,
      op.state === "compensated",
      op.state === "compensated" ? [] : [`still in the cluster: ${leftovers(steps).join(", ")}`],
    );
  }
  const task = await findTask(db(), taskId);
  if (!task) throw new NotFound(localized("err.task.notFound", { id: taskId }));
  if (isUnfinished(op.state)) return taskDetail(task);
  const pods = await (podsRead ?? podsOrNull(task.namespace, task.service));
  if (!pods) return taskDetail(task);
  // Answer from what we read and wrote: the write responses are the cluster's new state.
  return taskDetail(task, { cluster: clusterAfter(cluster, storedObjects(steps)), pods, operation: null });
}

export type { TaskStatus };
