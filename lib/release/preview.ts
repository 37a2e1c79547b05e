// Human-facing renderings of a plan: the YAML that will be applied, and per-object diffs. PURE.
import { stringify } from "yaml";
import { clone } from "./json";
import { isWrite, type WaitOp, type WriteOp } from "./ops";
import type { Plan } from "./planner";
import type { K8sObject } from "./types";

const yaml = (v: unknown) => stringify(v, { lineWidth: 0 });

export type PreviewOp = "create" | "replace" | "delete" | "scale";

function verb(op: WriteOp): PreviewOp {
  return op.op === "patchReplicas" ? "scale" : op.op;
}

/** Server-populated noise that says nothing about what changes. */
function readable(obj: K8sObject): K8sObject {
  const o = clone(obj);
  const meta = o.metadata as Record<string, unknown>;
  for (const k of ["managedFields", "uid", "creationTimestamp", "generation", "selfLink"]) delete meta[k];
  delete (o as Record<string, unknown>).status;
  return o;
}

function identity(op: WriteOp): { kind: string; namespace: string; name: string } {
  if (op.op === "patchReplicas") return { kind: op.kind, namespace: op.namespace, name: op.name };
  return { kind: op.object.kind, namespace: op.object.metadata.namespace ?? "", name: op.object.metadata.name };
}

function docFor(op: WriteOp): { comment: string; body: unknown } {
  const id = identity(op);
  const ref = `${id.kind} ${id.namespace ? `${id.namespace}/` : ""}${id.name}`;
  switch (op.op) {
    case "create":
      return { comment: `create ${ref}`, body: readable(op.object) };
    case "replace":
      return {
        comment: `replace ${ref} (resourceVersion ${op.object.metadata.resourceVersion ?? "?"})`,
        body: readable(op.object),
      };
    case "delete":
      // Only identity: the whole live object would bury the one fact that matters.
      return {
        comment: `delete ${ref}`,
        body: {
          apiVersion: op.object.apiVersion,
          kind: op.object.kind,
          metadata: { name: id.name, namespace: id.namespace },
        },
      };
    case "patchReplicas":
      return {
        comment: `scale ${ref}: ${op.previous} -> ${op.replicas} replicas`,
        body: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: op.name, namespace: op.namespace },
          spec: { replicas: op.replicas },
        },
      };
  }
}

/** A wait writes nothing: one comment line saying what the next writes wait for. */
export function describeWait(op: WaitOp): string {
  if (op.op === "drain") return `drain ${op.version} for ${op.seconds}s`;
  const pods = `${op.replicas} Ready pod${op.replicas === 1 ? "" : "s"}`;
  return `wait until Deployment ${op.deployment} has ${pods} (timeout ${op.timeoutSeconds}s)`;
}

/**
 * Multi-document YAML of the plan's objects in apply order, each preceded by `# <verb> ...`;
 * waits appear as comment lines at the head of the document that follows them.
 */
export function renderPlanYaml(plan: Pick<Plan, "ops">): string {
  const docs: string[] = [];
  let pending: string[] = [];
  for (const op of plan.ops) {
    if (!isWrite(op)) {
      pending.push(`# ${describeWait(op)}\n`);
      continue;
    }
    const { comment, body } = docFor(op);
    docs.push(`${pending.join("")}# ${comment}\n${yaml(body)}`);
    pending = [];
  }
  // Trailing waits (nothing written after them) still show.
  if (pending.length > 0) docs.push(pending.join(""));
  return docs.join("---\n");
}

export interface PlanDiffEntry {
  kind: string;
  name: string;
  op: PreviewOp;
  before?: string;
  after?: string;
}

export function planDiff(plan: Pick<Plan, "ops">): PlanDiffEntry[] {
  return plan.ops.filter(isWrite).map((op) => {
    const id = identity(op);
    const base = { kind: id.kind, name: id.name, op: verb(op) };
    switch (op.op) {
      case "create":
        return { ...base, after: yaml(readable(op.object)) };
      case "replace": {
        // Compare like with like: the lock value differs by design and is not a change.
        const before = readable(op.before);
        const after = readable(op.object);
        delete before.metadata.resourceVersion;
        delete after.metadata.resourceVersion;
        return { ...base, before: yaml(before), after: yaml(after) };
      }
      case "delete":
        return { ...base, before: yaml(readable(op.object)) };
      case "patchReplicas":
        return { ...base, before: yaml({ replicas: op.previous }), after: yaml({ replicas: op.replicas }) };
      default: {
        const unknown: never = op;
        throw new Error(`planDiff: unknown write ${JSON.stringify(unknown)}`);
      }
    }
  });
}
