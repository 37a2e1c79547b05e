// Test helper: a fake API server for planner tests. It enforces exactly the preconditions the
// real applier (lib/k8s/guarded.ts) sends, no more: create -> 409 when the object exists;
// replace -> 409 unless metadata.resourceVersion matches; patchReplicas -> 422 unless the live
// replicas equal `previous` (the JSON patch's test op); delete -> 409 unless uid and
// resourceVersion match (DELETE preconditions). Every write bumps the resourceVersion.
// Pods: a Deployment's pods are Ready as soon as it is written (readyReplicas = replicas), except
// when its pod template carries kwok's delay annotation: then they stay unready until a
// waitReady op for it runs (the wait is where that time passes). drain ops change nothing.
// Like the reconciler, a write after a wait, or to an object the plan already wrote, is rebased on
// the live object first (rebase.ts): the planner cannot know the resourceVersion it will have.
// Test data only.
import type { Plan } from "../planner";
import { describeOp, isWrite, writeRef, type PlanOp, type WriteOp } from "../ops";
import { rebaseWrite } from "../rebase";
import { hostVirtualServices } from "../routing";
import type { HTTPRouteObject } from "../routing/gateway-api-types";
import type { Deployment, DestinationRule, HorizontalPodAutoscaler, K8sObject, Service, ServiceClusterState, VirtualService } from "../types";

export const KWOK_DELAY = "pod-ready.stage.kwok.x-k8s.io/delay";

let rvCounter = 5000;
const nextRv = () => String(++rvCounter);

class ApiError extends Error {}
const fail = (status: number, what: string) => new ApiError(`${status} ${what}`);

function stamp<T extends K8sObject>(obj: T, uid?: string): T {
  const o = structuredClone(obj);
  o.metadata.resourceVersion = nextRv();
  o.metadata.uid = uid ?? o.metadata.uid ?? `uid-${o.kind}-${o.metadata.name}-${rvCounter}`;
  return o;
}

/** What the kubelet would report right after the write (see the header). */
function withPods(d: Deployment, previous: Deployment | undefined): Deployment {
  const replicas = d.spec.replicas ?? 1;
  const slow = d.spec.template.metadata?.annotations?.[KWOK_DELAY] !== undefined;
  const ready = slow ? Math.min(previous?.status?.readyReplicas ?? 0, replicas) : replicas;
  return { ...d, status: { ...(d.status ?? {}), replicas, readyReplicas: ready } };
}

interface Store<T extends K8sObject> {
  list: T[];
}

function guard(live: K8sObject | undefined, op: PlanOp & { object: K8sObject }): void {
  const ref = `${op.object.kind} ${op.object.metadata.name}`;
  if (op.op === "create") {
    if (live) throw fail(409, `${ref} already exists`);
    return;
  }
  if (!live) throw fail(404, `${ref} not found`);
  if (op.op === "delete" && live.metadata.uid !== op.object.metadata.uid) throw fail(409, `${ref}: precondition uid failed`);
  if (live.metadata.resourceVersion !== op.object.metadata.resourceVersion) throw fail(409, `${ref}: resourceVersion changed`);
}

function write<T extends K8sObject>(store: Store<T>, op: PlanOp & { object: K8sObject }, finish: (o: T, prev: T | undefined) => T = (o) => o): void {
  const i = store.list.findIndex((x) => x.metadata.name === op.object.metadata.name);
  const live = i >= 0 ? store.list[i] : undefined;
  guard(live, op);
  if (op.op === "delete") store.list.splice(i, 1);
  else if (op.op === "create") store.list.push(finish(stamp(op.object as T), undefined));
  else store.list[i] = finish(stamp(op.object as T, live?.metadata.uid), live);
}

function applyOne(state: ServiceClusterState, op: PlanOp): ServiceClusterState {
  const s = structuredClone(state);
  const deployments: Store<Deployment> = { list: s.deployments };
  if (op.op === "drain") return s;
  if (op.op === "waitReady") {
    const d = s.deployments.find((x) => x.metadata.name === op.deployment);
    if (!d) throw fail(404, `Deployment ${op.deployment} not found while waiting for it`);
    d.status = { ...(d.status ?? {}), readyReplicas: d.spec.replicas ?? 1 };
    return s;
  }
  if (op.op === "patchReplicas") {
    const d = s.deployments.find((x) => x.metadata.name === op.name);
    if (!d) throw fail(404, `Deployment ${op.name} not found`);
    if ((d.spec.replicas ?? 1) !== op.previous) throw fail(422, `Deployment ${op.name}: test of /spec/replicas == ${op.previous} failed`);
    const i = s.deployments.indexOf(d);
    s.deployments[i] = withPods({ ...d, spec: { ...d.spec, replicas: op.replicas }, metadata: { ...d.metadata, resourceVersion: nextRv() } }, d);
    return s;
  }
  switch (op.object.kind) {
    case "Deployment":
      write(deployments, op, withPods);
      return s;
    case "HorizontalPodAutoscaler": {
      const hpas: Store<HorizontalPodAutoscaler> = { list: s.hpas ?? [] };
      write(hpas, op);
      return { ...s, hpas: hpas.list };
    }
    case "VirtualService":
      return writeVirtualService(s, op);
    case "HTTPRoute": {
      const routes: Store<HTTPRouteObject> = { list: s.httpRoutes ?? [] };
      write(routes, op);
      return { ...s, httpRoutes: routes.list };
    }
    case "Service": {
      const services: Store<Service> = { list: s.versionServices ?? [] };
      write(services, op);
      return { ...s, versionServices: services.list };
    }
    case "DestinationRule": {
      const drs: Store<DestinationRule> = { list: s.destinationRule ? [s.destinationRule] : [] };
      write(drs, op);
      return { ...s, destinationRule: drs.list[0] ?? null };
    }
    default:
      throw new Error(`unexpected kind ${op.object.kind}`);
  }
}

/** The owned VS (`virtualService`) and every VS for the host (`virtualServices`) are one store. */
function writeVirtualService(s: ServiceClusterState, op: PlanOp & { object: K8sObject }): ServiceClusterState {
  const owned = s.virtualService;
  const others = (s.virtualServices ?? []).filter((v) => v.metadata.name !== owned?.metadata.name);
  const all: Store<VirtualService> = { list: owned ? [owned, ...others] : others };
  write(all, op);
  const ownedName = owned?.metadata.name ?? (op.op === "create" ? op.object.metadata.name : undefined);
  const nextOwned = all.list.find((v) => v.metadata.name === ownedName) ?? null;
  const out: ServiceClusterState = { ...s, virtualService: nextOwned };
  if (s.virtualServices !== undefined) out.virtualServices = all.list;
  return out;
}

function liveObject(s: ServiceClusterState, op: WriteOp): K8sObject | null {
  const ref = writeRef(op);
  const named = <T extends K8sObject>(list: readonly T[]) => list.find((o) => o.metadata.name === ref.name) ?? null;
  switch (ref.kind) {
    case "Deployment": return named(s.deployments);
    case "HorizontalPodAutoscaler": return named(s.hpas ?? []);
    case "VirtualService": return named(hostVirtualServices(s));
    case "DestinationRule": return named(s.destinationRule ? [s.destinationRule] : []);
    case "HTTPRoute": return named(s.httpRoutes ?? []);
    case "Service": return named(s.versionServices ?? []);
    default: return null;
  }
}

/** The op as the reconciler sends it (lib/tasks/journal.ts needsRebase). */
function asSent(s: ServiceClusterState, ops: readonly PlanOp[], i: number): PlanOp {
  const op = ops[i] as PlanOp;
  if (!isWrite(op)) return op;
  const earlier = ops.slice(0, i);
  const key = (w: WriteOp) => `${writeRef(w).kind}/${writeRef(w).name}`;
  if (!earlier.some((o) => !isWrite(o) || key(o) === key(op))) return op;
  const rebased = rebaseWrite(op, liveObject(s, op));
  if ("conflict" in rebased) throw fail(409, rebased.conflict);
  return rebased.op;
}

export function applyPlan(state: ServiceClusterState, plan: Pick<Plan, "ops">): ServiceClusterState {
  return plan.ops.reduce((s, _op, i) => applyOne(s, asSent(s, plan.ops, i)), state);
}

/** "create Deployment/reviews-v2", "scale Deployment/reviews-v1 1->0", "wait reviews-v2 Ready 1", "drain v1 30s" */
export function opList(plan: Pick<Plan, "ops">): string[] {
  return plan.ops.map(describeOp);
}
