import "server-only";
import type { K8sObject } from "@/lib/release/types";
import type { K8sClients } from "./client";
import { K8sError, toK8sError } from "./errors";
import { createObject, deleteObject, patchReplicas, readObject, replaceObject, type ManagedKind } from "./resources";

// Applies a planner's ops in order. Every op records how to undo itself; if op N fails,
// ops N-1..0 are undone in reverse, so a multi-object change never stays half-applied.
// The ops are exactly the planner's: this module decides nothing about routing.

export type ApplyOp =
  | { op: "create"; object: K8sObject }
  | { op: "replace"; object: K8sObject; before: K8sObject }
  | { op: "patchReplicas"; kind: "Deployment"; namespace: string; name: string; replicas: number; previous: number }
  | { op: "delete"; object: K8sObject };

export interface ApplyResult {
  /** "Kind/name" -> the object as the API server stored it (null: deleted). Saves re-reading it. */
  objects: Record<string, K8sObject | null>;
  /** Reverts every op, newest first: for a caller whose own follow-up (the DB write) failed. */
  undo: () => Promise<void>;
}

export class ApplyError extends Error {
  constructor(
    readonly cause: K8sError,
    readonly failedOp: { op: string; kind: string; name: string },
    readonly compensated: boolean,
    readonly compensationErrors: string[],
  ) {
    super(
      compensated
        ? `${cause.message} (all earlier changes were rolled back)`
        : `${cause.message}; rolling back earlier changes ALSO failed: ${compensationErrors.join("; ")}`,
    );
    this.name = "ApplyError";
  }
}

type Undo = () => Promise<void>;

/** Fields the API server owns; a recreated object must not carry them. */
export function stripServerFields(obj: K8sObject): K8sObject {
  const copy = JSON.parse(JSON.stringify(obj)) as K8sObject;
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, managedFields: _mf, generation: _g, selfLink: _sl, deletionTimestamp: _dt, deletionGracePeriodSeconds: _dg, ...metadata } = copy.metadata as Record<string, unknown> & K8sObject["metadata"];
  copy.metadata = metadata as K8sObject["metadata"];
  delete copy.status;
  return copy;
}

function opRef(op: ApplyOp): { op: string; kind: string; name: string; namespace: string } {
  if (op.op === "patchReplicas") return { op: op.op, kind: op.kind, name: op.name, namespace: op.namespace };
  return { op: op.op, kind: op.object.kind, name: op.object.metadata.name, namespace: op.object.metadata.namespace ?? "" };
}

export async function applyPlan(c: K8sClients, ops: ApplyOp[]): Promise<ApplyResult> {
  const undo: Undo[] = [];
  const objects: Record<string, K8sObject | null> = {};
  for (const op of ops) {
    const ref = opRef(op);
    try {
      switch (op.op) {
        case "create": {
          const created = await createObject(c, op.object);
          objects[`${ref.kind}/${ref.name}`] = { ...created, apiVersion: op.object.apiVersion, kind: op.object.kind };
          undo.push(() => deleteObject(c, created));
          break;
        }
        case "replace": {
          const after = await replaceObject(c, op.object);
          objects[`${ref.kind}/${ref.name}`] = { ...after, apiVersion: op.object.apiVersion, kind: op.object.kind };
          // Undo puts the previous content back, but only over OUR write (rv of after).
          undo.push(async () => {
            await replaceObject(c, { ...op.before, metadata: { ...op.before.metadata, resourceVersion: after.metadata.resourceVersion } });
          });
          break;
        }
        case "patchReplicas": {
          const after = await patchReplicas(c, op.namespace, op.name, op.replicas);
          objects[`Deployment/${op.name}`] = { ...after, apiVersion: "apps/v1", kind: "Deployment" };
          undo.push(async () => { await patchReplicas(c, op.namespace, op.name, op.previous); });
          break;
        }
        case "delete": {
          await deleteObject(c, op.object, { resourceVersion: op.object.kind === "Deployment" ? undefined : op.object.metadata.resourceVersion });
          objects[`${ref.kind}/${ref.name}`] = null;
          undo.push(async () => {
            // A Deployment deletion is asynchronous (finalizers); wait until it is gone before recreating.
            for (let i = 0; i < 50 && (await readObject(c, op.object.kind as ManagedKind, ref.namespace, ref.name)); i++) await sleep(100);
            await createObject(c, stripServerFields(op.object));
          });
          break;
        }
      }
    } catch (err) {
      const compensationErrors = await runUndo(undo);
      throw new ApplyError(toK8sError(err), { op: ref.op, kind: ref.kind, name: ref.name }, compensationErrors.length === 0, compensationErrors);
    }
  }
  return {
    objects,
    undo: async () => {
      const errors = await runUndo(undo);
      if (errors.length > 0) throw new K8sError("unknown", `rolling back the cluster changes failed: ${errors.join("; ")}`);
    },
  };
}

async function runUndo(undo: Undo[]): Promise<string[]> {
  const errors: string[] = [];
  for (const u of [...undo].reverse()) {
    try { await u(); } catch (e) { errors.push(toK8sError(e).message); }
  }
  return errors;
}

/** "Kind/name" -> the resourceVersion our write produced, or "deleted": the audit trail of an action. */
export function resourceVersions(objects: ApplyResult["objects"]): Record<string, string> {
  return Object.fromEntries(Object.entries(objects).map(([ref, obj]) => [ref, obj ? (obj.metadata.resourceVersion ?? "") : "deleted"]));
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
