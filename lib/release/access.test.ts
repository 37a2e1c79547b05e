import { describe, expect, it } from "vitest";
import { accessNeeds, actionNeeds, forbiddenMessage, releaseWriteNeeds } from "./access";
import type { PlanOp } from "./ops";

const vs = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo", resourceVersion: "7" },
  spec: {},
};
const dep = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "reviews-v2", namespace: "bookinfo" },
  spec: {},
};

describe("the permissions a plan needs", () => {
  it("maps each write to RBAC's verb and resource: create, replace=update, scale=patch, delete", () => {
    const ops: PlanOp[] = [
      { op: "create", object: dep },
      {
        op: "waitReady",
        namespace: "bookinfo",
        deployment: "reviews-v2",
        version: "v2",
        replicas: 1,
        timeoutSeconds: 600,
      },
      { op: "replace", object: vs, before: vs },
      { op: "patchReplicas", kind: "Deployment", namespace: "bookinfo", name: "reviews-v1", replicas: 0, previous: 1 },
      { op: "delete", object: { ...vs, kind: "DestinationRule" } },
    ];
    expect(accessNeeds(ops)).toEqual([
      { verb: "create", group: "apps", resource: "deployments", namespace: "bookinfo" },
      { verb: "update", group: "networking.istio.io", resource: "virtualservices", namespace: "bookinfo" },
      { verb: "patch", group: "apps", resource: "deployments", namespace: "bookinfo" },
      { verb: "delete", group: "networking.istio.io", resource: "destinationrules", namespace: "bookinfo" },
    ]);
  });

  it("asks once per verb and resource however many objects a plan writes", () => {
    const ops: PlanOp[] = [
      { op: "replace", object: vs, before: vs },
      { op: "replace", object: { ...vs, metadata: { ...vs.metadata, name: "gateway" } }, before: vs },
    ];
    expect(accessNeeds(ops)).toHaveLength(1);
  });

  it("a plan of waits alone needs nothing", () => {
    expect(accessNeeds([{ op: "drain", version: "v1", seconds: 5 }])).toEqual([]);
  });

  it("an action that writes nothing (pause) still needs the right to update the VirtualService", () => {
    expect(actionNeeds([], "bookinfo")).toEqual([
      { verb: "update", group: "networking.istio.io", resource: "virtualservices", namespace: "bookinfo" },
    ]);
    expect(actionNeeds([{ op: "create", object: dep }], "bookinfo")).toEqual([
      { verb: "create", group: "apps", resource: "deployments", namespace: "bookinfo" },
    ]);
  });

  it("refuses a kind it has no RBAC name for instead of skipping the check", () => {
    expect(() => accessNeeds([{ op: "create", object: { ...dep, kind: "Gateway" } }])).toThrow(
      /no RBAC resource known for kind Gateway/,
    );
  });

  it("'may change releases' covers create/update/delete of Deployments, VirtualServices and DestinationRules, and scaling", () => {
    const needs = releaseWriteNeeds("bookinfo").map((n) => `${n.verb} ${n.resource}`);
    expect(needs).toEqual(
      expect.arrayContaining([
        "create deployments",
        "update virtualservices",
        "delete destinationrules",
        "patch deployments",
      ]),
    );
    expect(needs).toHaveLength(10);
  });

  it("words a refusal as the apiserver does", () => {
    expect(
      forbiddenMessage("system:serviceaccount:bookinfo:viewer", {
        verb: "update",
        group: "networking.istio.io",
        resource: "virtualservices",
        namespace: "bookinfo",
      }),
    ).toBe(
      'User "system:serviceaccount:bookinfo:viewer" cannot update resource "virtualservices" in API group "networking.istio.io" in the namespace "bookinfo"',
    );
  });
});
