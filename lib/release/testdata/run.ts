// The planner tests' harness: a task run against the fake API server (apply.ts), so a test can
// chain create -> actions -> abort and check the cluster it leaves. Test code only.
import { expect } from "vitest";
import { planAction, planCreate, PlanError, type Plan } from "../planner";
import { readRouting } from "../routing";
import { ActionRequestSchema, TaskSpecSchema, type TaskSpec } from "../spec";
import type { ServiceClusterState, TaskState } from "../types";
import { applyPlan, opList } from "./apply";
import { bookinfo, NS } from "./bookinfo";

export const IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

export function makeSpec(strategy: TaskSpec["strategy"], extra: Record<string, unknown> = {}): TaskSpec {
  return TaskSpecSchema.parse({ name: "rel", namespace: NS, service: "reviews", strategy, newVersion: { version: "v2", image: IMAGE }, ...extra });
}
export const canaryWeights = (v1: number, v2: number) => makeSpec("canary", { traffic: { weights: { v1, v2 } } });

export function created<T>(plan: Plan, kind: string): T {
  const op = plan.ops.find((o) => (o.op === "create" || o.op === "replace") && o.object.kind === kind);
  if (!op || (op.op !== "create" && op.op !== "replace")) throw new Error(`no ${kind} written: ${opList(plan).join(", ")}`);
  return op.object as T;
}

export function expectPlanError(fn: () => unknown, code: PlanError["code"], message: RegExp): PlanError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, "expected a PlanError").toBeInstanceOf(PlanError);
  const pe = err as PlanError;
  expect(pe.code).toBe(code);
  expect(pe.message).toMatch(message);
  return pe;
}

/** A task run against a simulated API server. */
export class Run {
  cluster: ServiceClusterState;
  spec: TaskSpec;
  plan: Plan;
  constructor(spec: TaskSpec, cluster: ServiceClusterState = bookinfo()) {
    this.spec = spec;
    this.plan = planCreate(spec, cluster);
    this.cluster = applyPlan(cluster, this.plan);
  }
  get state(): TaskState {
    return this.plan.state;
  }
  act(action: unknown): Plan {
    const req = ActionRequestSchema.parse(action);
    const plan = planAction({ spec: this.spec, status: this.plan.status, state: this.plan.state }, req, this.cluster);
    this.cluster = applyPlan(this.cluster, plan);
    this.plan = plan;
    return plan;
  }
  /** The live routing as the API reads it: in version labels, through the DR's subsets. */
  routing() {
    return readRouting(this.cluster.virtualService, "reviews", NS, this.cluster.destinationRule);
  }
  replicas(name: string): number | undefined {
    return this.cluster.deployments.find((d) => d.metadata.name === name)?.spec.replicas;
  }
}

