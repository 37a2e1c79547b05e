// The steps of a plan: what the reconciler (lib/tasks/reconciler.ts) executes in order and
// journals one by one. PURE data: JSON-serialisable, so a step list survives a crash in the
// database and is finished or compensated by whichever console process holds the lease.
import type { K8sObject } from "./types";

/** Cluster writes. Every one carries a precondition the API server enforces (see lib/k8s/guarded.ts). */
export type WriteOp =
  | { op: "create"; object: K8sObject }
  /**
   * PUT with `object.metadata.resourceVersion` (= before's): a write in between is a 409, never lost.
   * `routes`: the write changes only these http routes (indexes in `before`) of someone else's
   * VirtualService (the task's entry routes); a rebase carries exactly them onto the live object.
   */
  | { op: "replace"; object: K8sObject; before: K8sObject; routes?: number[] }
  /** JSON patch that tests spec.replicas == previous before setting it: a concurrent scale (HPA, a person) is never overwritten. */
  | { op: "patchReplicas"; kind: "Deployment"; namespace: string; name: string; replicas: number; previous: number }
  /** DELETE with preconditions {uid, resourceVersion}; Deployments are re-read first and refused if their spec changed (generation). */
  | { op: "delete"; object: K8sObject };

/** Waits. They write nothing; the reconciler polls them in the background and shows them on the task. */
export type WaitOp =
  /** Make before break: no traffic goes to `version` until `replicas` of its pods are Ready. */
  | {
      op: "waitReady";
      namespace: string;
      deployment: string;
      version: string;
      replicas: number;
      timeoutSeconds: number;
    }
  /** Break after make: requests in flight to `version` finish before its subset and pods go (Argo's scaleDownDelaySeconds). */
  | { op: "drain"; version: string; seconds: number };

export type PlanOp = WriteOp | WaitOp;

export function isWrite(op: PlanOp): op is WriteOp {
  return op.op !== "waitReady" && op.op !== "drain";
}

/** "Kind/name" of the object a write touches. */
export function writeRef(op: WriteOp): { kind: string; namespace: string; name: string } {
  if (op.op === "patchReplicas") return { kind: op.kind, namespace: op.namespace, name: op.name };
  return { kind: op.object.kind, namespace: op.object.metadata.namespace ?? "", name: op.object.metadata.name };
}

/** A step as data, for the UI to word in the reader's language (describeOp is the English). */
export type StepView =
  | { op: "create" | "replace" | "delete"; kind: string; name: string }
  | { op: "scale"; kind: string; name: string; from: number; to: number }
  | { op: "waitReady"; deployment: string; replicas: number }
  | { op: "drain"; version: string; seconds: number };

export function stepView(op: PlanOp): StepView {
  switch (op.op) {
    case "waitReady":
      return { op: "waitReady", deployment: op.deployment, replicas: op.replicas };
    case "drain":
      return { op: "drain", version: op.version, seconds: op.seconds };
    case "patchReplicas":
      return { op: "scale", kind: op.kind, name: op.name, from: op.previous, to: op.replicas };
    default:
      return { op: op.op, kind: op.object.kind, name: op.object.metadata.name };
  }
}

/** One line per step, for logs, history and tests: "create Deployment/reviews-v2", "wait reviews-v2 Ready 1". */
export function describeOp(op: PlanOp): string {
  switch (op.op) {
    case "waitReady":
      return `wait ${op.deployment} Ready ${op.replicas}`;
    case "drain":
      return `drain ${op.version} ${op.seconds}s`;
    case "patchReplicas":
      return `scale Deployment/${op.name} ${op.previous}->${op.replicas}`;
    default:
      return `${op.op} ${op.object.kind}/${op.object.metadata.name}`;
  }
}
