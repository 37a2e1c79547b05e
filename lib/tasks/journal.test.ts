import { describe, expect, it } from "vitest";
import type { PlanOp } from "@/lib/release/ops";
import type { K8sObject } from "@/lib/release/types";
import { needsRebase, stepsOf, undoBase, withStep, type Step } from "./journal";

const vs = (name: string, rv: string): K8sObject => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, namespace: "ns", resourceVersion: rv },
  spec: { rv },
});
const replace = (name: string, rv: string): PlanOp => ({ op: "replace", object: vs(name, rv), before: vs(name, rv) });
const wait: PlanOp = {
  op: "waitReady",
  namespace: "ns",
  deployment: "pp-v2",
  version: "v2",
  replicas: 1,
  timeoutSeconds: 600,
};

describe("needsRebase", () => {
  it("a write after a wait, or to an object an earlier step wrote; not the first write of an object before any wait", () => {
    const steps = stepsOf([
      replace("bookinfo", "1"),
      replace("productpage", "2"),
      replace("bookinfo", "1"),
      wait,
      replace("reviews", "3"),
    ]);
    expect(steps.map((_, i) => needsRebase(steps, i))).toEqual([false, false, true, false, true]);
  });
});

describe("undoBase", () => {
  it("undoing an earlier write of an object starts from what the later write's undo left, not from its own stale result", () => {
    let steps: Step[] = stepsOf([replace("bookinfo", "1"), replace("productpage", "2"), replace("bookinfo", "1")]);
    steps = withStep(steps, 0, { state: "done", result: { object: vs("bookinfo", "10") } });
    steps = withStep(steps, 1, { state: "done", result: { object: vs("productpage", "11") } });
    steps = withStep(steps, 2, { state: "done", result: { object: vs("bookinfo", "12") } });
    expect(undoBase(steps, 2).object?.metadata.resourceVersion).toBe("12");
    expect(undoBase(steps, 0).object?.metadata.resourceVersion).toBe("10");
    steps = withStep(steps, 2, { state: "undone", undoneAs: { object: vs("bookinfo", "13") } });
    expect(undoBase(steps, 0).object?.metadata.resourceVersion).toBe("13");
    expect(undoBase(steps, 1).object?.metadata.resourceVersion).toBe("11");
  });
});
