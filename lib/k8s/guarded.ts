import "server-only";
import type { WriteOp } from "@/lib/release/ops";
import { writeRef } from "@/lib/release/ops";
import { LABEL_TASK, type K8sObject } from "@/lib/release/types";
import { deepEqual } from "@/lib/release/json";
import type { K8sClients } from "./client";
import { K8sError, toK8sError } from "./errors";
import { createObject, deleteObject, patchReplicas, readObject, replaceObject, type ManagedKind } from "./resources";

// Guarded writes: every write carries a precondition the API server enforces, a timed-out write
// is read back to learn whether it landed, and an undo never overwrites a change somebody else
// made after ours (it refuses with a conflict instead, and the reconciler reports the leftover).

/** What the API server stored for our write; null for a delete. Kept in the journal for undo. */
export interface WriteResult {
  object: K8sObject | null;
}

/** Fields the API server owns; a recreated object must not carry them. */
export function stripServerFields(obj: K8sObject): K8sObject {
  const copy = JSON.parse(JSON.stringify(obj)) as K8sObject;
  const drop = [
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "managedFields",
    "generation",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
  ];
  const metadata = Object.fromEntries(Object.entries(copy.metadata).filter(([k]) => !drop.includes(k)));
  copy.metadata = metadata as K8sObject["metadata"];
  delete copy.status;
  return copy;
}

function read(c: K8sClients, op: WriteOp): Promise<K8sObject | null> {
  const ref = writeRef(op);
  return readObject(c, ref.kind as ManagedKind, ref.namespace, ref.name);
}

/** A Deployment's spec changed since `planned` was read iff its generation moved (status updates never bump it). */
function specChangedSince(planned: K8sObject, live: K8sObject): boolean {
  const g0 = planned.metadata.generation;
  const g1 = live.metadata.generation;
  if (typeof g0 === "number" && typeof g1 === "number") return g0 !== g1;
  return !deepEqual(planned.spec, live.spec);
}

async function guardedDelete(c: K8sClients, planned: K8sObject): Promise<void> {
  const live = await readObject(
    c,
    planned.kind as ManagedKind,
    planned.metadata.namespace ?? "",
    planned.metadata.name,
  );
  if (!live) return; // already gone: the intent holds
  if (planned.metadata.uid && live.metadata.uid !== planned.metadata.uid)
    throw new K8sError(
      "conflict",
      `delete ${planned.kind} ${planned.metadata.name}: it was deleted and recreated by someone else since it was read`,
      409,
    );
  if (specChangedSince(planned, live))
    throw new K8sError(
      "conflict",
      `delete ${planned.kind} ${planned.metadata.name}: someone changed it (generation ${String(planned.metadata.generation)} -> ${String(live.metadata.generation)}) since it was read; not deleting`,
      409,
    );
  // The fresh resourceVersion: a change between this read and the delete is still refused.
  await deleteObject(c, live, { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion });
}

/** Applies one write; throws K8sError (kind "timeout" when the answer never came). */
export async function applyWrite(c: K8sClients, op: WriteOp): Promise<WriteResult> {
  switch (op.op) {
    case "create":
      return { object: await createObject(c, op.object) };
    case "replace":
      return { object: await replaceObject(c, op.object) };
    case "patchReplicas":
      return { object: await patchReplicas(c, op.namespace, op.name, op.previous, op.replicas) };
    case "delete":
      await guardedDelete(c, op.object);
      return { object: null };
  }
}

/**
 * After a timeout or a crash mid-write: did the write land? Read the object back and compare it
 * with what the write would have produced. "unknown" means someone else wrote in between.
 */
export async function landed(
  c: K8sClients,
  op: WriteOp,
  task: string,
): Promise<{ landed: true; result: WriteResult } | { landed: false } | { unknown: string }> {
  const live = await read(c, op);
  switch (op.op) {
    case "create":
      if (!live) return { landed: false };
      if (live.metadata.labels?.[LABEL_TASK] === task || deepEqual(live.spec, op.object.spec))
        return { landed: true, result: { object: live } };
      return { unknown: `${op.object.kind} ${op.object.metadata.name} exists but was not created by task ${task}` };
    case "replace":
      if (!live) return { unknown: `${op.object.kind} ${op.object.metadata.name} was deleted` };
      if (live.metadata.resourceVersion === op.before.metadata.resourceVersion) return { landed: false };
      if (deepEqual(live.spec, op.object.spec)) return { landed: true, result: { object: live } };
      return { unknown: `${op.object.kind} ${op.object.metadata.name} was changed by someone else` };
    case "patchReplicas": {
      const replicas = (live?.spec as { replicas?: number } | undefined)?.replicas;
      if (!live) return { unknown: `Deployment ${op.name} was deleted` };
      if (replicas === op.replicas) return { landed: true, result: { object: live } };
      if (replicas === op.previous) return { landed: false };
      return { unknown: `Deployment ${op.name} was scaled to ${String(replicas)} by someone else` };
    }
    case "delete":
      if (
        !live ||
        live.metadata.deletionTimestamp ||
        (op.object.metadata.uid && live.metadata.uid !== op.object.metadata.uid)
      )
        return { landed: true, result: { object: null } };
      return { landed: false };
  }
}

async function waitGone(c: K8sClients, obj: K8sObject): Promise<void> {
  // Deletion is asynchronous (finalizers, graceful pods); recreate only once it is gone.
  for (let i = 0; i < 100; i++) {
    if (!(await readObject(c, obj.kind as ManagedKind, obj.metadata.namespace ?? "", obj.metadata.name))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new K8sError(
    "conflict",
    `${obj.kind} ${obj.metadata.name} is still being deleted; cannot recreate it yet`,
    409,
  );
}

/**
 * Reverts one landed write, only over OUR result: anyone else's later change makes it refuse (K8sError
 * conflict). Answers what the object is after the undo (an earlier write of the same object is undone over it).
 */
export async function undoWrite(c: K8sClients, op: WriteOp, result: WriteResult): Promise<WriteResult> {
  try {
    switch (op.op) {
      case "create":
        if (result.object) await guardedDelete(c, result.object);
        return { object: null };
      case "replace": {
        const ours = result.object?.metadata.resourceVersion;
        return {
          object: await replaceObject(c, { ...op.before, metadata: { ...op.before.metadata, resourceVersion: ours } }),
        };
      }
      case "patchReplicas":
        return { object: await patchReplicas(c, op.namespace, op.name, op.replicas, op.previous) };
      case "delete":
        await waitGone(c, op.object);
        return { object: await createObject(c, stripServerFields(op.object)) };
    }
  } catch (err) {
    const e = toK8sError(err);
    if (e.kind === "conflict")
      throw new K8sError(
        "conflict",
        `undo of ${op.op} ${writeRef(op).kind}/${writeRef(op).name} refused: ${e.message}`,
        409,
      );
    throw e;
  }
}
