import "server-only";
import { asConsole, consoleClients, type K8sClients } from "@/lib/k8s/client";
import { K8sError, toK8sError } from "@/lib/k8s/errors";
import { applyWrite, landed, undoWrite } from "@/lib/k8s/guarded";
import { LeaderElector } from "@/lib/k8s/leader";
import { readObject } from "@/lib/k8s/resources";
import { db } from "@/lib/db/client";
import { addEvent, findTask, parseJson, type TaskRow } from "@/lib/db/tasks-repo";
import {
  dueOperations,
  findOperation,
  isUnfinished,
  operationUpdateData,
  taskData,
  updateOperation,
  type OperationRow,
} from "@/lib/db/operations-repo";
import { env } from "@/lib/env";
import { describeOp, isWrite, type WaitOp, type WriteOp } from "@/lib/release/ops";
import { rebaseWrite } from "@/lib/release/rebase";
import type { TaskStatus } from "@/lib/release/status";
import type { Deployment, TaskState } from "@/lib/release/types";
import {
  backoffMs,
  cursor,
  leftovers,
  needsRebase,
  undoBase,
  storedObjects,
  undoQueue,
  withStep,
  writtenVersions,
  type Step,
  type WaitingView,
} from "./journal";
import { normaliseLastApplied, snapshot } from "./snapshots";
import { notifyFinished, notifyNeedsAttention } from "@/lib/notify/outbox";
import { startNotificationSender } from "@/lib/notify/sender";

// The task reconciler: executes journalled operations step by step. Only the holder of the
// leader Lease writes to the cluster; a request served by the leader runs its operation's
// synchronous steps inline (so setTraffic answers at once), everything else - waits for Ready
// pods, drain delays, operations left by a crashed process, compensation retries - runs here
// in the background. Every step is journalled before and after it is sent.

export const RECONCILER_ACTOR = "system:reconciler";
const ANALYSIS_TICK_MS = 1000;

export interface TaskSnapshot {
  state: TaskState;
  status: TaskStatus;
  finished?: boolean;
  nameFreed?: boolean;
}

class NotLeader extends Error {}

export class Reconciler {
  readonly elector: LeaderElector;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Operations this process has run at least once -> whether another process had begun them (resumed here). */
  private readonly resumedHere = new Map<string, boolean>();
  private writes = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastAutoAdvance = 0;
  private lastAnalysis = 0;
  private analysing: Promise<void> | null = null;
  private lastSteps = 0;

  constructor(private readonly c: K8sClients) {
    const e = env();
    this.elector = new LeaderElector(
      c,
      {
        namespace: e.GC_LEADER_NAMESPACE,
        name: e.GC_LEADER_LEASE,
        leaseDurationMs: e.GC_LEADER_LEASE_SECONDS * 1000,
        renewDeadlineMs: e.GC_LEADER_RENEW_SECONDS * 1000,
        retryPeriodMs: e.GC_LEADER_RETRY_SECONDS * 1000,
      },
      undefined,
      (leader) =>
        console.log(
          `[reconciler] ${this.elector.identity} ${leader ? "is now the leader" : "is no longer the leader"}`,
        ),
    );
  }

  isLeader(): boolean {
    return this.elector.isLeader();
  }

  start(): void {
    this.elector.start();
    const tick = async () => {
      try {
        if (this.isLeader()) await this.reconcileDue();
      } catch (err) {
        console.warn(`[reconciler] ${(err as Error).message}`);
      }
      this.timer = setTimeout(tick, env().GC_RECONCILE_INTERVAL_MS);
      this.timer.unref();
    };
    void tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.elector.stop();
  }

  private async reconcileDue(): Promise<void> {
    const due = await dueOperations(db());
    for (const op of due) if (!this.inFlight.has(op.id)) void this.advance(op.id);
    if (Date.now() - this.lastAutoAdvance > 3000) {
      this.lastAutoAdvance = Date.now();
      const { autoAdvanceOnce } = await import("./auto-advance");
      await autoAdvanceOnce();
    }
    // Timed steps are promoted within about a second of being due.
    if (Date.now() - this.lastSteps > 1000) {
      this.lastSteps = Date.now();
      const { advanceStepsOnce } = await import("./steps-runner");
      await advanceStepsOnce();
    }
    this.analyseDue();
  }

  /**
   * The metric analysis, once a second on the leader, beside (not in) the operations: its
   * Prometheus queries never hold up a due operation, and one pass runs at a time.
   */
  private analyseDue(): void {
    if (this.analysing || Date.now() - this.lastAnalysis < ANALYSIS_TICK_MS) return;
    this.lastAnalysis = Date.now();
    this.analysing = asConsole(async () => {
      const { analyseDue } = await import("./analysis-runner");
      await analyseDue();
    })
      .catch((err: unknown) => console.warn(`[analysis] ${(err as Error).message}`))
      .finally(() => {
        this.analysing = null;
      });
  }

  /** Runs an operation as far as it can go now (to its first unmet wait, or the end); one run per operation at a time. */
  advance(opId: string): Promise<void> {
    const running = this.inFlight.get(opId);
    if (running) return running;
    // A request may start the run (the leader runs the synchronous steps inline), but the run
    // acts as the console, never as that request's user: it outlives the request.
    const run = asConsole(() => this.run(opId))
      .catch((err) => {
        if (!(err instanceof NotLeader)) console.warn(`[reconciler] operation ${opId}: ${(err as Error).message}`);
      })
      .finally(() => this.inFlight.delete(opId));
    this.inFlight.set(opId, run);
    return run;
  }

  /** Waits for the operation's current run in this process (an emergency brake waits for the step in flight). */
  async settle(opId: string): Promise<void> {
    await this.inFlight.get(opId);
  }

  private async run(opId: string): Promise<void> {
    const op = await findOperation(db(), opId);
    if (!op || !isUnfinished(op.state)) return;
    const task = await findTask(db(), op.taskId);
    if (!task) return;
    let steps = parseJson<Step[]>(op.steps) ?? [];
    if (op.state === "compensating" || op.state === "needs-attention") return this.compensate(op, task, steps);
    // An operation another process already began (it ran steps, then stopped) is resumed here;
    // remembered across this process's later runs of it (each wait ends a run).
    if (!this.resumedHere.has(opId)) this.resumedHere.set(opId, op.state !== "pending");
    const resumed = this.resumedHere.get(opId) === true;
    for (;;) {
      const i = cursor(steps);
      if (i < 0) return this.finish(op, task, steps, resumed);
      const step = steps[i]!;
      if (!isWrite(step.op)) {
        const outcome = await this.checkWait(op, steps, i);
        if (outcome.kind === "waiting") return;
        if (outcome.kind === "failed") return this.fail(op, task, steps, i, outcome.reason, "invalid");
        steps = outcome.steps;
        continue;
      }
      const outcome = await this.write(op, task, steps, i, step.op);
      if (outcome.kind === "cancelled") return;
      if (outcome.kind === "failed") return this.fail(op, task, outcome.steps, i, outcome.reason, outcome.errorKind);
      steps = outcome.steps;
    }
  }

  private fence(): void {
    if (!this.isLeader()) throw new NotLeader("lost the leader lease");
  }

  private async persist(
    opId: string,
    steps: Step[],
    extra: Parameters<typeof updateOperation>[2] = {},
  ): Promise<boolean> {
    return updateOperation(db(), opId, { steps, state: "running", ...extra });
  }

  private faultInjection(): void {
    const n = env().GC_FAULT_KILL_AFTER_WRITES;
    this.writes += 1;
    // Crash tests: die like kill -9 right after a write landed and BEFORE the journal says so.
    if (n !== undefined && this.writes >= n) process.kill(process.pid, "SIGKILL");
  }

  private async write(
    op: OperationRow,
    task: TaskRow,
    steps: Step[],
    i: number,
    planned: WriteOp,
  ): Promise<
    | { kind: "done"; steps: Step[] }
    | { kind: "cancelled" }
    | { kind: "failed"; steps: Step[]; reason: string; errorKind: string }
  > {
    const failed = (reason: string, errorKind: string) => ({ kind: "failed" as const, steps, reason, errorKind });
    let writeOp = planned;
    try {
      if (steps[i]!.state === "running") {
        // A previous holder sent this write and died before recording the answer: ask the cluster.
        const seen = await landed(this.c, planned, task.name);
        if ("unknown" in seen) return failed(seen.unknown, "conflict");
        if (seen.landed) return { kind: "done", steps: await this.markDone(op.id, steps, i, seen.result) };
      }
      if (needsRebase(steps, i)) {
        const rebased = rebaseWrite(planned, await this.readLive(planned));
        if ("conflict" in rebased) return failed(rebased.conflict, "conflict");
        writeOp = rebased.op;
      }
      this.fence();
      const running = withStep(steps, i, { state: "running", startedAt: new Date().toISOString(), op: writeOp });
      if (!(await this.persist(op.id, running))) return { kind: "cancelled" };
      steps = running;
      const result = await this.sendWrite(writeOp, task.name);
      if (!result) {
        steps = withStep(steps, i, { uncertain: true });
        return failed(
          `${describeOp(writeOp)}: the API server did not answer in time and the object shows no sign of the write`,
          "timeout",
        );
      }
      this.faultInjection();
      return { kind: "done", steps: await this.markDone(op.id, steps, i, result) };
    } catch (err) {
      if (err instanceof NotLeader) throw err;
      const e = toK8sError(err);
      return failed(e.message, e.kind);
    }
  }

  /** Sends one write; after a timeout reads it back. Null when it timed out and did not land. */
  private async sendWrite(
    op: WriteOp,
    taskName: string,
  ): Promise<{ object: import("@/lib/release/types").K8sObject | null } | null> {
    try {
      return await applyWrite(this.c, op);
    } catch (err) {
      if (!(err instanceof K8sError) || err.kind !== "timeout") throw err;
      const seen = await landed(this.c, op, taskName);
      if ("unknown" in seen) throw new K8sError("conflict", seen.unknown, 409);
      return seen.landed ? seen.result : null;
    }
  }

  private async readLive(op: WriteOp) {
    const kind = op.op === "patchReplicas" ? op.kind : op.object.kind;
    const ns = op.op === "patchReplicas" ? op.namespace : (op.object.metadata.namespace ?? "");
    const name = op.op === "patchReplicas" ? op.name : op.object.metadata.name;
    return readObject(this.c, kind as never, ns, name);
  }

  private async markDone(
    opId: string,
    steps: Step[],
    i: number,
    result: { object: import("@/lib/release/types").K8sObject | null },
  ): Promise<Step[]> {
    const next = withStep(steps, i, { state: "done", result, doneAt: new Date().toISOString() });
    // The last step's outcome is journalled by finish(), in the same transaction as the task's
    // new state: one write fewer on the synchronous path. A crash in between leaves the step
    // "running", and the next leader reads the object back (landed) as for any other step.
    if (i < steps.length - 1) await this.persist(opId, next);
    return next;
  }

  private async checkWait(
    op: OperationRow,
    steps: Step[],
    i: number,
  ): Promise<{ kind: "done"; steps: Step[] } | { kind: "waiting" } | { kind: "failed"; reason: string }> {
    const step = steps[i]!;
    const w = step.op as WaitOp;
    const startedAt = step.startedAt ? Date.parse(step.startedAt) : Date.now();
    let current = step.startedAt ? steps : withStep(steps, i, { startedAt: new Date(startedAt).toISOString() });
    const verdict = await this.waitVerdict(w, startedAt);
    if (verdict.kind === "failed") return verdict;
    if (verdict.kind === "done") {
      current = withStep(current, i, { state: "done", doneAt: new Date().toISOString() });
      await this.persist(op.id, current, { waiting: null });
      return { kind: "done", steps: current };
    }
    const next = w.op === "drain" ? Math.min(Date.parse(verdict.view.until), Date.now() + 1000) : Date.now() + 500;
    await updateOperation(db(), op.id, {
      steps: current,
      state: "waiting",
      waiting: verdict.view,
      nextAttemptAt: new Date(next),
    });
    return { kind: "waiting" };
  }

  private async waitVerdict(
    w: WaitOp,
    startedAt: number,
  ): Promise<{ kind: "done" } | { kind: "failed"; reason: string } | { kind: "waiting"; view: WaitingView }> {
    if (w.op === "drain") {
      const until = startedAt + w.seconds * 1000;
      return Date.now() >= until
        ? { kind: "done" }
        : { kind: "waiting", view: { kind: "drain", version: w.version, until: new Date(until).toISOString() } };
    }
    const dep = (await readObject(this.c, "Deployment", w.namespace, w.deployment)) as Deployment | null;
    if (!dep) return { kind: "failed", reason: `Deployment ${w.deployment} no longer exists` };
    const ready = dep.status?.readyReplicas ?? 0;
    if (ready >= w.replicas) return { kind: "done" };
    const until = startedAt + w.timeoutSeconds * 1000;
    if (Date.now() > until)
      return {
        kind: "failed",
        reason: `${w.version} was not Ready (${ready}/${w.replicas}) after ${w.timeoutSeconds} s (progress deadline): no traffic was sent to it`,
      };
    return {
      kind: "waiting",
      view: {
        kind: "ready",
        version: w.version,
        deployment: w.deployment,
        ready,
        desired: w.replicas,
        until: new Date(until).toISOString(),
      },
    };
  }

  private async fail(
    op: OperationRow,
    task: TaskRow,
    steps: Step[],
    i: number,
    reason: string,
    errorKind: string,
  ): Promise<void> {
    const failed = withStep(steps, i, { state: "failed", error: reason });
    const ok = await updateOperation(db(), op.id, {
      steps: failed,
      state: "compensating",
      error: JSON.stringify({ kind: errorKind, message: reason, step: describeOp(steps[i]!.op) }),
    });
    if (!ok) return;
    return this.compensate(
      { ...op, state: "compensating", error: JSON.stringify({ kind: errorKind, message: reason }) },
      task,
      failed,
    );
  }

  /** Undoes every landed write, newest first; an undo that is refused leaves the operation in needs-attention, retried with backoff. */
  private async compensate(op: OperationRow, task: TaskRow, steps: Step[]): Promise<void> {
    let current = await this.settleUncertain(op, task, steps);
    for (const j of undoQueue(current)) {
      const step = current[j]!;
      try {
        this.fence();
        const undoneAs = await undoWrite(this.c, step.op as WriteOp, undoBase(current, j));
        current = withStep(current, j, { state: "undone", undoneAs });
        if (!(await updateOperation(db(), op.id, { steps: current, state: "compensating" }))) return;
      } catch (err) {
        if (err instanceof NotLeader) throw err;
        return this.needsAttention(op, task, current, toK8sError(err).message);
      }
    }
    return this.compensated(op, task, current);
  }

  /**
   * A write that timed out may still land after we read it back (the request was on its way).
   * Wait out one more request timeout, look again, and count it as landed if it did, so its undo
   * runs with the others: no stray object is left behind by a timeout.
   */
  private async settleUncertain(op: OperationRow, task: TaskRow, steps: Step[]): Promise<Step[]> {
    let current = steps;
    for (const [i, step] of current.entries()) {
      if (!step.uncertain || !isWrite(step.op)) continue;
      await new Promise((r) => setTimeout(r, env().GC_K8S_TIMEOUT_MS));
      const seen = await landed(this.c, step.op, task.name);
      const patch: Partial<Step> =
        "landed" in seen && seen.landed
          ? { state: "done", result: seen.result, uncertain: false }
          : { uncertain: false };
      current = withStep(current, i, patch);
      await updateOperation(db(), op.id, { steps: current, state: "compensating" });
    }
    return current;
  }

  private async needsAttention(op: OperationRow, task: TaskRow, steps: Step[], why: string): Promise<void> {
    const attempts = op.attempts + 1;
    const left = leftovers(steps);
    const note = `needs attention (attempt ${attempts}): ${why}; still in the cluster: ${left.join(", ")}; retrying in ${Math.round(backoffMs(attempts) / 1000)} s`;
    await updateOperation(db(), op.id, {
      steps,
      state: "needs-attention",
      attempts,
      nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
    });
    await db().$transaction(async (tx) => {
      const event = await addEvent(tx as never, {
        taskId: task.id,
        actor: RECONCILER_ACTOR,
        action: op.action,
        result: "error",
        error: failureOf(op).message,
        note,
      });
      await notifyNeedsAttention(
        tx as never,
        task,
        attempts,
        op.action,
        `${why}; still in the cluster: ${left.join(", ")}`,
        event,
      );
    });
  }

  private async compensated(op: OperationRow, task: TaskRow, steps: Step[]): Promise<void> {
    const before = parseJson<TaskSnapshot>(op.taskBefore);
    const failure = failureOf(op);
    const restored: TaskSnapshot = before ?? {
      ...parseJson<TaskSnapshot>(op.taskAfter)!,
      state: "aborted",
      finished: true,
      nameFreed: true,
    };
    const undone = steps.filter((s) => s.state === "undone").length;
    this.forget(op.id);
    await db().$transaction(async (tx) => {
      const res = await tx.taskOperation.updateMany({
        where: { id: op.id, state: { not: "cancelled" } },
        data: operationUpdateData({ steps, state: "compensated" }),
      });
      if (res.count === 0) return;
      const fresh = await tx.releaseTask.findUniqueOrThrow({ where: { id: task.id } });
      await tx.releaseTask.update({ where: { id: task.id }, data: taskData(fresh, restored) });
      await addEvent(tx as never, {
        taskId: task.id,
        actor: op.actor,
        actorGroups: parseJson<string[]>(op.actorGroups),
        actorSource: op.actorSource,
        action: op.action,
        before: before ? snapshot(before.state, before.status) : undefined,
        result: "error",
        error: failure.message,
        note: `compensated: ${undone} write${undone === 1 ? "" : "s"} undone${before ? "" : "; the task was not created"}`,
      });
    });
  }

  /** A finished operation never runs again: forget it. */
  private forget(opId: string): void {
    this.resumedHere.delete(opId);
  }

  private async finish(op: OperationRow, task: TaskRow, steps: Step[], resumed: boolean): Promise<void> {
    this.forget(op.id);
    const before = parseJson<TaskSnapshot>(op.taskBefore);
    const after = parseJson<TaskSnapshot>(op.taskAfter)!;
    const status = normaliseLastApplied(after.status, storedObjects(steps));
    await db().$transaction(async (tx) => {
      const res = await tx.taskOperation.updateMany({
        where: { id: op.id, state: { not: "cancelled" } },
        data: operationUpdateData({ steps, state: "done", waiting: null }),
      });
      if (res.count === 0) return;
      const fresh = await tx.releaseTask.findUniqueOrThrow({ where: { id: task.id } });
      await tx.releaseTask.update({ where: { id: task.id }, data: taskData(fresh, { ...after, status }) });
      const event = await addEvent(tx as never, {
        taskId: task.id,
        actor: op.actor,
        actorGroups: parseJson<string[]>(op.actorGroups),
        actorSource: op.actorSource,
        action: op.action,
        before: before ? snapshot(before.state, before.status) : undefined,
        after: snapshot(after.state, status),
        resourceVersions: writtenVersions(steps),
        result: "ok",
        note: resumed
          ? `resumed by ${this.elector.identity} after the console that started it stopped; completed`
          : undefined,
      });
      await notifyFinished(tx as never, fresh, op.action, before, { ...after, status }, event);
    });
  }
}

export function failureOf(op: Pick<OperationRow, "error">): { kind: string; message: string; step?: string } {
  const parsed = op.error
    ? (() => {
        try {
          return JSON.parse(op.error) as { kind: string; message: string; step?: string };
        } catch {
          return null;
        }
      })()
    : null;
  return parsed ?? { kind: "unknown", message: op.error ?? "unknown failure" };
}

const g = globalThis as unknown as { __grayConsoleReconciler?: Reconciler };

/** The process's reconciler (built lazily: a console without a cluster still serves its history). */
export function reconciler(): Reconciler {
  g.__grayConsoleReconciler ??= new Reconciler(consoleClients());
  return g.__grayConsoleReconciler;
}

export function startReconciler(): void {
  try {
    reconciler().start();
  } catch (err) {
    console.warn(`[reconciler] not started: ${(err as Error).message}`);
    return;
  }
  // The notification outbox is sent by the same leader (one sender across console processes).
  startNotificationSender(() => reconciler().isLeader());
  // A graceful stop hands the Lease over at once instead of making the next leader wait it out.
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      const bail = setTimeout(() => process.exit(0), 2000);
      void stopReconciler().finally(() => {
        clearTimeout(bail);
        process.exit(0);
      });
    });
  }
}

export async function stopReconciler(): Promise<void> {
  await g.__grayConsoleReconciler?.stop();
}
