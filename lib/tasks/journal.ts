// The journal's step list: pure helpers over the JSON kept in TaskOperation.steps, so the
// reconciler's bookkeeping (what landed, what is left, what to undo) is table-tested without a
// cluster or a database.
import { describeOp, isWrite, stepView, type PlanOp, type StepView, type WriteOp } from "@/lib/release/ops";
import type { K8sObject } from "@/lib/release/types";

/** pending -> running (write sent, outcome unknown until confirmed) -> done; undone after compensation. */
export type StepState = "pending" | "running" | "done" | "failed" | "undone" | "skipped";

export interface Step {
  op: PlanOp;
  state: StepState;
  /** For a landed write: what the API server stored (null for a delete). */
  result?: { object: K8sObject | null };
  /** For an undone write: what the object was after the undo (an earlier write of it is undone over this). */
  undoneAs?: { object: K8sObject | null };
  error?: string;
  /** A write that timed out and was not found when read back: it may still land late, so compensation checks again. */
  uncertain?: boolean;
  startedAt?: string;
  doneAt?: string;
}

export function stepsOf(ops: readonly PlanOp[]): Step[] {
  return ops.map((op) => ({ op, state: "pending" }));
}

export function withStep(steps: readonly Step[], i: number, patch: Partial<Step>): Step[] {
  return steps.map((s, j) => (j === i ? { ...s, ...patch } : s));
}

/** Index of the first step that has not landed, or -1 when every step is done. */
export function cursor(steps: readonly Step[]): number {
  return steps.findIndex((s) => s.state !== "done" && s.state !== "skipped");
}

/** A write after a wait was planned earlier than it runs: it must be rebased on the live object. */
export function followsWait(steps: readonly Step[], i: number): boolean {
  return steps.slice(0, i).some((s) => !isWrite(s.op));
}

/**
 * A write to an object an earlier step of the same operation wrote (an entry route pinned to the
 * base, then given its weights) was planned on that step's result, whose resourceVersion only the
 * API server knows: it too is rebased on the live object.
 */
export function rewritesEarlierStep(steps: readonly Step[], i: number): boolean {
  const step = steps[i];
  if (!step || !isWrite(step.op)) return false;
  const key = stepRef(step.op);
  return steps.slice(0, i).some((s) => isWrite(s.op) && stepRef(s.op) === key);
}

/** Must step `i` be rebased on the live object before it is sent? */
export function needsRebase(steps: readonly Step[], i: number): boolean {
  return followsWait(steps, i) || rewritesEarlierStep(steps, i);
}

/** "Kind/name" of the object a write touches. */
export function stepRef(op: WriteOp): string {
  const ref = refOf(op);
  return `${ref.kind}/${ref.name}`;
}

/** Landed writes before `i`, newest first: what compensation must undo. */
export function undoQueue(steps: readonly Step[]): number[] {
  const out: number[] = [];
  steps.forEach((s, i) => {
    if (isWrite(s.op) && s.state === "done") out.unshift(i);
  });
  return out;
}

/**
 * What undoing step `j` reverts from: its own result, unless a later step of the operation wrote
 * the same object and was undone already; then the object as that undo left it.
 */
export function undoBase(steps: readonly Step[], j: number): { object: K8sObject | null } {
  const step = steps[j];
  if (!step || !isWrite(step.op)) return { object: null };
  const key = stepRef(step.op);
  const later = steps
    .slice(j + 1)
    .filter((s) => isWrite(s.op) && stepRef(s.op) === key && s.state === "undone" && s.undoneAs);
  return later[0]?.undoneAs ?? step.result ?? { object: null };
}

/** What is still in the cluster from an operation that could not be compensated, in words. */
export function leftovers(steps: readonly Step[]): string[] {
  return undoQueue(steps).map((i) => describeOp(steps[i]!.op));
}

/** leftovers as data, for the UI. */
export function leftoverSteps(steps: readonly Step[]): StepView[] {
  return undoQueue(steps).map((i) => stepView(steps[i]!.op));
}

/** "Kind/name" -> resourceVersion written (or "deleted"): the audit trail of an operation. */
export function writtenVersions(steps: readonly Step[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of steps) {
    if (!isWrite(s.op) || s.state !== "done" || !s.result) continue;
    const ref = refOf(s.op);
    out[`${ref.kind}/${ref.name}`] = s.result.object ? (s.result.object.metadata.resourceVersion ?? "") : "deleted";
  }
  return out;
}

function refOf(op: WriteOp): { kind: string; name: string } {
  return op.op === "patchReplicas"
    ? { kind: op.kind, name: op.name }
    : { kind: op.object.kind, name: op.object.metadata.name };
}

/** The last stored object per "Kind/name" among landed writes: what the cluster now holds for us. */
export function storedObjects(steps: readonly Step[]): Record<string, K8sObject | null> {
  const out: Record<string, K8sObject | null> = {};
  for (const s of steps) {
    if (!isWrite(s.op) || s.state !== "done" || !s.result) continue;
    const ref = refOf(s.op);
    out[`${ref.kind}/${ref.name}`] = s.result.object;
  }
  return out;
}

/** Exponential backoff for retried compensation: 1 s, 2 s, 4 s ... capped at 60 s. */
export function backoffMs(attempt: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

export interface WaitingView {
  kind: "ready" | "drain";
  version: string;
  deployment?: string;
  ready?: number;
  desired?: number;
  /** ISO time the wait ends (drain) or gives up (ready timeout). */
  until: string;
}
