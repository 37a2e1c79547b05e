import { describe, expect, it } from "vitest";
import type { PlanOp } from "../ops";
import { applyPlan, KWOK_DELAY } from "./apply";
import { bookinfo, reviewsDeployment } from "./bookinfo";

const v1 = () => reviewsDeployment("v1", { replicas: 2 });
const apply = (op: PlanOp, cluster = bookinfo({ deployments: [v1()] })) => () => applyPlan(cluster, { ops: [op] });

describe("the planner tests' fake API server enforces what the real applier sends", () => {
  it.each<[string, PlanOp, RegExp | null]>([
    ["create of an existing object", { op: "create", object: v1() }, /^409 Deployment reviews-v1 already exists/],
    ["replace with a stale resourceVersion", { op: "replace", object: { ...v1(), metadata: { ...v1().metadata, resourceVersion: "1" } }, before: v1() }, /^409 .*resourceVersion changed/],
    ["replace with the live resourceVersion", { op: "replace", object: v1(), before: v1() }, null],
    ["scale whose test of the previous replicas fails", { op: "patchReplicas", kind: "Deployment", namespace: "bookinfo", name: "reviews-v1", previous: 1, replicas: 0 }, /^422 .*test of \/spec\/replicas == 1 failed/],
    ["scale from the live replicas", { op: "patchReplicas", kind: "Deployment", namespace: "bookinfo", name: "reviews-v1", previous: 2, replicas: 0 }, null],
    ["delete with another uid", { op: "delete", object: { ...v1(), metadata: { ...v1().metadata, uid: "other" } } }, /^409 .*precondition uid failed/],
    ["delete with a stale resourceVersion", { op: "delete", object: { ...v1(), metadata: { ...v1().metadata, resourceVersion: "7" } } }, /^409 .*resourceVersion changed/],
    ["delete with the live uid and resourceVersion", { op: "delete", object: v1() }, null],
    ["a drain", { op: "drain", version: "v1", seconds: 30 }, null],
  ])("%s", (_label, op, error) => {
    if (error) expect(apply(op)).toThrow(error);
    else expect(apply(op)).not.toThrow();
  });

  it("pods are Ready at once unless the template carries kwok's delay; a wait makes them Ready", () => {
    const slow = reviewsDeployment("v2");
    slow.spec.template.metadata = { ...slow.spec.template.metadata, annotations: { [KWOK_DELAY]: "20s" } };
    delete slow.status;
    const created = applyPlan(bookinfo(), { ops: [{ op: "create", object: slow }] });
    expect(created.deployments.find((d) => d.metadata.name === "reviews-v2")?.status?.readyReplicas).toBe(0);
    const waited = applyPlan(created, { ops: [{ op: "waitReady", namespace: "bookinfo", deployment: "reviews-v2", version: "v2", replicas: 1, timeoutSeconds: 600 }] });
    expect(waited.deployments.find((d) => d.metadata.name === "reviews-v2")?.status?.readyReplicas).toBe(1);
  });
});
