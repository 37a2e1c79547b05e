// Test helper: applies a plan's ops to a ServiceClusterState the way the API server would
// (create must not exist, replace/delete need the live resourceVersion, rv bumps on write), so
// planner tests can chain create -> actions -> abort and check the end state. Test data only.
import type { Plan, PlanOp } from "../planner";
import type { Deployment, DestinationRule, K8sObject, ServiceClusterState, VirtualService } from "../types";

let rvCounter = 5000;
const nextRv = () => String(++rvCounter);

function stamp<T extends K8sObject>(obj: T): T {
  const o = structuredClone(obj);
  o.metadata.resourceVersion = nextRv();
  return o;
}

function applyOne(state: ServiceClusterState, op: PlanOp): ServiceClusterState {
  const s = structuredClone(state);
  if (op.op === "patchReplicas") {
    const d = s.deployments.find((x) => x.metadata.name === op.name);
    if (!d) throw new Error(`404 Deployment ${op.name}`);
    if ((d.spec.replicas ?? 1) !== op.previous) throw new Error(`stale previous replicas for ${op.name}`);
    d.spec.replicas = op.replicas;
    d.metadata.resourceVersion = nextRv();
    return s;
  }
  const obj = op.object;
  const sameRv = (live: K8sObject | null) => {
    if (!live) throw new Error(`404 ${obj.kind} ${obj.metadata.name}`);
    if (live.metadata.resourceVersion !== obj.metadata.resourceVersion) throw new Error(`409 ${obj.kind} ${obj.metadata.name}: resourceVersion changed`);
  };
  switch (obj.kind) {
    case "Deployment": {
      const i = s.deployments.findIndex((x) => x.metadata.name === obj.metadata.name);
      if (op.op === "create") {
        if (i >= 0) throw new Error(`409 Deployment ${obj.metadata.name} exists`);
        s.deployments.push(stamp(obj as Deployment));
      } else if (op.op === "delete") {
        sameRv(s.deployments[i] ?? null);
        s.deployments.splice(i, 1);
      } else {
        sameRv(s.deployments[i] ?? null);
        s.deployments[i] = stamp(obj as Deployment);
      }
      return s;
    }
    case "VirtualService":
    case "DestinationRule": {
      const key = obj.kind === "VirtualService" ? "virtualService" : "destinationRule";
      const live = s[key];
      if (op.op === "create") {
        if (live) throw new Error(`409 ${obj.kind} exists`);
      } else sameRv(live);
      if (op.op === "delete") s[key] = null;
      else if (key === "virtualService") s.virtualService = stamp(obj as VirtualService);
      else s.destinationRule = stamp(obj as DestinationRule);
      return s;
    }
    default:
      throw new Error(`unexpected kind ${obj.kind}`);
  }
}

export function applyPlan(state: ServiceClusterState, plan: Pick<Plan, "ops">): ServiceClusterState {
  return plan.ops.reduce(applyOne, state);
}

/** "create Deployment/reviews-v2", "scale Deployment/reviews-v1 1->0", ... */
export function opList(plan: Pick<Plan, "ops">): string[] {
  return plan.ops.map((op) =>
    op.op === "patchReplicas" ? `scale Deployment/${op.name} ${op.previous}->${op.replicas}` : `${op.op} ${op.object.kind}/${op.object.metadata.name}`,
  );
}
