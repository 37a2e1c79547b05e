import { describe, expect, it } from "vitest";
import type { WriteOp } from "./ops";
import { planAction } from "./planner";
import { rebaseWrite } from "./rebase";
import { applyPlan } from "./testdata/apply";
import { canaryWeights, Run } from "./testdata/run";
import { reviewsDeployment, reviewsDestinationRule, vsBusy } from "./testdata/bookinfo";
import type { DestinationRule, HTTPRoute, K8sObject, VirtualService } from "./types";

const dest = (subset: string, weight?: number) => ({
  destination: { host: "reviews.bookinfo.svc.cluster.local", subset, port: { number: 9080 } },
  ...(weight === undefined ? {} : { weight }),
});
const canaryRoute: HTTPRoute = {
  name: "gc-rel-canary",
  match: [{ headers: { "end-user": { exact: "jason" } } }],
  route: [dest("v2")],
};

/** A planned VS replace on vsBusy: owned canary route + default 80/20. */
function plannedVs(): { op: Extract<WriteOp, { op: "replace" }>; before: VirtualService } {
  const before = vsBusy();
  const object = structuredClone(before);
  const http = object.spec.http ?? [];
  const def = http[2] as HTTPRoute;
  def.route = [dest("v1", 80), dest("v2", 20)];
  http.splice(2, 0, canaryRoute);
  return { op: { op: "replace", object, before }, before };
}

function withRv<T extends K8sObject>(obj: T, rv: string, edit: (o: T) => void = () => undefined): T {
  const o = structuredClone(obj);
  o.metadata.resourceVersion = rv;
  edit(o);
  return o;
}

function rebased(op: WriteOp, live: K8sObject | null): WriteOp {
  const r = rebaseWrite(op, live);
  if ("conflict" in r) throw new Error(r.conflict);
  return r.op;
}
const conflictOf = (op: WriteOp, live: K8sObject | null) => {
  const r = rebaseWrite(op, live);
  return "conflict" in r ? r.conflict : null;
};

describe("rebaseWrite: VirtualService", () => {
  it("an untouched live object only takes the live resourceVersion", () => {
    const { op, before } = plannedVs();
    const out = rebased(op, withRv(before, "9000"));
    expect(out.op).toBe("replace");
    if (out.op !== "replace") return;
    expect(out.object.spec).toEqual(op.object.spec);
    expect(out.object.metadata.resourceVersion).toBe("9000");
    expect(out.before.metadata.resourceVersion).toBe("9000");
  });

  it("keeps a foreign route edit made during the wait, in the live order, and applies the task's routes", () => {
    const { op, before } = plannedVs();
    const live = withRv(before, "9001", (vs) => {
      const http = vs.spec.http ?? [];
      const qa = http[0] as HTTPRoute;
      qa.route = [dest("v3")];
      // someone moved legacy-api first and appended a new route before the default
      http.splice(0, 2, http[1] as HTTPRoute, qa, {
        name: "ops",
        match: [{ uri: { prefix: "/ops" } }],
        route: [dest("v1")],
      });
    });
    const out = rebased(op, live);
    if (out.op !== "replace") throw new Error("not a replace");
    const http = (out.object as VirtualService).spec.http ?? [];
    expect(http.map((r) => r.name)).toEqual(["legacy-api", "qa", "ops", "gc-rel-canary", "default"]);
    expect(http[1]?.route).toEqual([dest("v3")]);
    expect(http[4]?.route).toEqual([dest("v1", 80), dest("v2", 20)]);
    expect(out.object.metadata.resourceVersion).toBe("9001");
    expect((out.object as VirtualService).spec.gateways).toEqual(before.spec.gateways);
  });

  it("drops owned routes the plan removes even if they are still live", () => {
    const before = vsBusy();
    before.spec.http?.splice(2, 0, canaryRoute);
    const object = structuredClone(before);
    object.spec.http?.splice(2, 1);
    const live = withRv(before, "9002", (vs) =>
      vs.spec.http?.push({ name: "late", route: [dest("v1")], match: [{ uri: { prefix: "/late" } }] }),
    );
    const out = rebased({ op: "replace", object, before }, live);
    expect(((out as { object: VirtualService }).object.spec.http ?? []).map((r) => r.name)).toEqual([
      "qa",
      "legacy-api",
      "default",
      "late",
    ]);
  });

  it.each([
    [
      "the default route was edited",
      (vs: VirtualService) => ((vs.spec.http?.[2] as HTTPRoute).timeout = "1s"),
      /changed the default route of reviews/,
    ],
    [
      "the default route was removed",
      (vs: VirtualService) => vs.spec.http?.splice(2, 1),
      /removed the default route of reviews/,
    ],
  ])("conflicts when %s", (_label, edit, message) => {
    const { op, before } = plannedVs();
    expect(conflictOf(op, withRv(before, "9003", edit))).toMatch(message);
  });

  it("conflicts when the object is gone or was recreated", () => {
    const { op, before } = plannedVs();
    expect(conflictOf(op, null)).toMatch(/was deleted since the plan was made/);
    expect(
      conflictOf(
        op,
        withRv(before, "1", (vs) => (vs.metadata.uid = "other")),
      ),
    ).toMatch(/recreated by someone else/);
  });
});

describe("rebaseWrite: DestinationRule", () => {
  const before = reviewsDestinationRule();
  const names = (op: WriteOp) => ((op as { object: DestinationRule }).object.spec.subsets ?? []).map((s) => s.name);

  it("adds the planned subset on top of a subset someone else added", () => {
    const b = structuredClone(before);
    b.spec.subsets = [{ name: "v1", labels: { version: "v1" } }];
    const object = structuredClone(b);
    object.spec.subsets?.push({ name: "v2", labels: { version: "v2" } });
    const live = withRv(b, "7000", (dr) => dr.spec.subsets?.push({ name: "canary-x", labels: { track: "x" } }));
    const out = rebased({ op: "replace", object, before: b }, live);
    expect(names(out)).toEqual(["v1", "canary-x", "v2"]);
    expect(out.op === "replace" && out.object.metadata.resourceVersion).toBe("7000");
  });

  it("removes the planned subset and keeps a live edit of another one", () => {
    const object = structuredClone(before);
    object.spec.subsets = object.spec.subsets?.filter((s) => s.name !== "v1");
    const live = withRv(before, "7001", (dr) => {
      const v3 = dr.spec.subsets?.[2];
      if (v3) v3.trafficPolicy = { loadBalancer: { simple: "LEAST_REQUEST" } };
    });
    const out = rebased({ op: "replace", object, before }, live);
    expect(names(out)).toEqual(["v2", "v3"]);
    expect((out as { object: DestinationRule }).object.spec.subsets?.[1]?.trafficPolicy).toEqual({
      loadBalancer: { simple: "LEAST_REQUEST" },
    });
  });

  it("conflicts when someone added a different subset under the planned name", () => {
    const b = structuredClone(before);
    b.spec.subsets = [{ name: "v1", labels: { version: "v1" } }];
    const object = structuredClone(b);
    object.spec.subsets?.push({ name: "v2", labels: { version: "v2" } });
    const live = withRv(b, "7002", (dr) => dr.spec.subsets?.push({ name: "v2", labels: { version: "v1" } }));
    expect(conflictOf({ op: "replace", object, before: b }, live)).toMatch(/added a different subset v2/);
  });
});

describe("rebaseWrite: create, delete, scale", () => {
  const d = reviewsDeployment("v1", { replicas: 2 });
  it.each<[string, WriteOp, K8sObject | null, RegExp | null]>([
    ["create of an absent object proceeds", { op: "create", object: d }, null, null],
    ["create of an object that now exists", { op: "create", object: d }, d, /already exists/],
    ["delete of a gone object", { op: "delete", object: d }, null, /already gone/],
    [
      "delete of a recreated object",
      { op: "delete", object: d },
      withRv(d, "2", (x) => (x.metadata.uid = "new")),
      /recreated/,
    ],
    [
      "delete of an object whose image changed",
      { op: "delete", object: d },
      withRv(d, "2", (x) => ((x.spec.template.spec.containers[0] as { image?: string }).image = "x:9")),
      /changed its spec/,
    ],
    [
      "delete of an object only scaled meanwhile proceeds",
      { op: "delete", object: d },
      withRv(d, "2", (x) => (x.spec.replicas = 5)),
      null,
    ],
    [
      "scale whose previous still holds",
      {
        op: "patchReplicas",
        kind: "Deployment",
        namespace: "bookinfo",
        name: d.metadata.name,
        previous: 2,
        replicas: 0,
      },
      d,
      null,
    ],
    [
      "scale after someone else scaled",
      {
        op: "patchReplicas",
        kind: "Deployment",
        namespace: "bookinfo",
        name: d.metadata.name,
        previous: 1,
        replicas: 0,
      },
      d,
      /scaled it to 2 meanwhile/,
    ],
    [
      "scale of a gone Deployment",
      {
        op: "patchReplicas",
        kind: "Deployment",
        namespace: "bookinfo",
        name: d.metadata.name,
        previous: 2,
        replicas: 0,
      },
      null,
      /no longer exists/,
    ],
  ])("%s", (_label, op, live, conflict) => {
    if (conflict) expect(conflictOf(op, live)).toMatch(conflict);
    else expect(conflictOf(op, live)).toBeNull();
  });

  it("a delete takes the live resourceVersion for its precondition", () => {
    const out = rebased(
      { op: "delete", object: d },
      withRv(d, "4242", (x) => (x.spec.replicas = 3)),
    );
    expect(out.op === "delete" && out.object.metadata.resourceVersion).toBe("4242");
  });
});

describe("rebaseWrite on a planned retireOld (the writes after the drain)", () => {
  it("the DR subset removal and the delete land on objects others changed during the drain", () => {
    const run = new Run(canaryWeights(0, 100));
    run.act({ action: "takeover" });
    const plan = planAction(
      { spec: run.spec, status: run.plan.status, state: run.plan.state },
      { action: "retireOld" },
      run.cluster,
    );
    const drain = plan.ops.findIndex((o) => o.op === "drain");
    let cluster = applyPlan(run.cluster, { ops: plan.ops.slice(0, drain + 1) });
    // During the drain another team adds a subset to the DR.
    const dr = structuredClone(cluster.destinationRule) as DestinationRule;
    dr.spec.subsets?.push({ name: "canary-x", labels: { track: "x" } });
    dr.metadata.resourceVersion = "8888";
    cluster = { ...cluster, destinationRule: dr };
    const later = plan.ops.slice(drain + 1).map((op) => {
      if (op.op === "waitReady" || op.op === "drain") return op;
      const live =
        op.op === "patchReplicas"
          ? null
          : op.object.kind === "DestinationRule"
            ? cluster.destinationRule
            : (cluster.deployments.find((d) => d.metadata.name === op.object.metadata.name) ?? null);
      return rebased(op, live);
    });
    cluster = applyPlan(cluster, { ops: later });
    expect(cluster.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v2", "v3", "canary-x"]);
    expect(cluster.deployments.map((d) => d.metadata.name)).toEqual(["reviews-v2"]);
    // Without the rebase the planned replace would be refused by the (fake) API server.
    expect(() => applyPlan({ ...cluster, destinationRule: dr }, { ops: plan.ops.slice(drain + 1, drain + 2) })).toThrow(
      /409 DestinationRule reviews: resourceVersion changed/,
    );
  });
});

describe("rebaseWrite: a planned VS without a default route", () => {
  it("removes the default route the task had written and keeps a foreign route added meanwhile", () => {
    const before = vsBusy();
    before.spec.http = (before.spec.http ?? []).slice(0, 2);
    before.spec.http.push({ route: [dest("v1", 100), dest("v2", 0)] });
    const object = structuredClone(before);
    object.spec.http?.pop();
    const live = withRv(before, "9100", (vs) =>
      vs.spec.http?.unshift({ name: "late", match: [{ uri: { prefix: "/late" } }], route: [dest("v1")] }),
    );
    const out = rebased({ op: "replace", object, before }, live);
    expect(((out as { object: VirtualService }).object.spec.http ?? []).map((r) => r.name)).toEqual([
      "late",
      "qa",
      "legacy-api",
    ]);
  });
});
