// Version labels that are not DNS-1123 labels (`v1.0`, `v2.1`, `V2_rc`): the objects the planner
// writes use derived names (subset v1-0, Deployment reviews-v2-1), while the task's status, its
// weights, its summaries and the routing the API reads back speak the labels.
import { describe, expect, it } from "vitest";
import { planCreate } from "./planner";
import { readRouting } from "./routing";
import { opList } from "./testdata/apply";
import { bookinfo, NS, reviewsDeployment } from "./testdata/bookinfo";
import { created, expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import type { Deployment, DestinationRule, ServiceClusterState, VirtualService } from "./types";

const spec = (weights: Record<string, number>, version = "v2.1") =>
  makeSpec("canary", { newVersion: { version, image: IMAGE }, traffic: { weights } });
/** reviews at version v1.0 (Deployment reviews-v1.0, as a person named it), no VS or DR yet. */
const v10 = (over: Partial<ServiceClusterState> = {}) =>
  bookinfo({ deployments: [reviewsDeployment("v1.0")], destinationRule: null, virtualService: null, ...over });
const to = (subset: string, weight?: number) => ({
  destination: { host: "reviews", subset },
  ...(weight === undefined ? {} : { weight }),
});
const SUBSETS = [
  { name: "v1-0", labels: { version: "v1.0" } },
  { name: "v2-1", labels: { version: "v2.1" } },
];

describe("a base version v1.0 through create, setTraffic, takeover, retireOld", () => {
  const run = new Run(spec({ "v1.0": 90, "v2.1": 10 }), v10());

  it("create: subsets v1-0 and v2-1 select version=v1.0 and v2.1; the VS routes to them; the task says v1.0", () => {
    expect(opList(run.plan)).toEqual([
      "create Deployment/reviews-v2-1",
      "create DestinationRule/reviews",
      "wait reviews-v2-1 Ready 1",
      "create VirtualService/reviews",
    ]);
    expect(created<DestinationRule>(run.plan, "DestinationRule").spec).toEqual({ host: "reviews", subsets: SUBSETS });
    expect(created<VirtualService>(run.plan, "VirtualService").spec).toEqual({
      hosts: ["reviews"],
      http: [{ route: [to("v1-0", 90), to("v2-1", 10)] }],
    });
    const d = created<Deployment>(run.plan, "Deployment");
    expect(d.spec.template.metadata?.labels).toEqual({ app: "reviews", version: "v2.1" });
    expect(d.spec.selector).toEqual({ matchLabels: { app: "reviews", version: "v2.1" } });
    expect(run.plan.status).toMatchObject({
      baseVersion: "v1.0",
      newVersion: "v2.1",
      baseDeployment: "reviews-v1.0",
      newDeployment: "reviews-v2-1",
      weights: { "v1.0": 90, "v2.1": 10 },
    });
    expect(run.plan.status.subsets).toEqual({ "v1.0": "v1-0", "v2.1": "v2-1" });
    expect(run.plan.summary).toMatch(/v1\.0 -> v2\.1 .*traffic v1\.0 90% \/ v2\.1 10%/);
    expect(run.routing().defaultRoute?.weights).toEqual({ "v1.0": 90, "v2.1": 10 });
  });

  it("setTraffic speaks versions (subset names are accepted for them); the VS keeps the subsets", () => {
    const set = run.act({ action: "setTraffic", weights: { "v1.0": 50, "v2.1": 50 } });
    expect(opList(set)).toEqual(["replace VirtualService/reviews"]);
    expect(run.cluster.virtualService?.spec.http).toEqual([{ route: [to("v1-0", 50), to("v2-1", 50)] }]);
    expect(set.status.weights).toEqual({ "v1.0": 50, "v2.1": 50 });
    expect(set.summary).toBe("traffic v1.0 50% / v2.1 50%");
    run.act({ action: "setTraffic", weights: { "v1-0": 70, "v2-1": 30 } });
    expect(run.plan.status.weights).toEqual({ "v1.0": 70, "v2.1": 30 });
    expect(run.routing().defaultRoute?.weights).toEqual({ "v1.0": 70, "v2.1": 30 });
  });

  it("takeover: all traffic to subset v2-1, the task says v2.1", () => {
    run.act({ action: "takeover" });
    expect(run.cluster.virtualService?.spec.http).toEqual([{ route: [to("v1-0", 0), to("v2-1", 100)] }]);
    expect(run.plan.status.weights).toEqual({ "v1.0": 0, "v2.1": 100 });
    expect(run.routing().defaultRoute?.weights).toEqual({ "v1.0": 0, "v2.1": 100 });
  });

  it("retireOld: the route leaves v1-0, then subset v1-0 and reviews-v1.0 go", () => {
    const retire = run.act({ action: "retireOld" });
    expect(opList(retire)).toEqual([
      "replace VirtualService/reviews",
      "drain v1.0 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v1.0",
    ]);
    expect(run.cluster.virtualService?.spec.http).toEqual([{ route: [to("v2-1")] }]);
    expect(run.cluster.destinationRule?.spec.subsets).toEqual([SUBSETS[1]]);
    expect(retire.status.subsets).toEqual({ "v2.1": "v2-1" });
    expect(retire.status.weights).toEqual({ "v2.1": 100 });
    expect(retire.summary).toMatch(/^retired v1\.0: v2\.1 is the only version; deleted reviews-v1\.0/);
    expect(run.routing().defaultRoute?.weights).toEqual({ "v2.1": 100 });
  });
});

describe("a base version v1.0, aborted", () => {
  it("removes subsets v1-0 and v2-1 with the VS and DR it created, and reviews-v2-1", () => {
    const run = new Run(spec({ "v1.0": 80, "v2.1": 20 }), v10());
    run.act({ action: "setTraffic", weights: { "v1.0": 40, "v2.1": 60 } });
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "delete VirtualService/reviews",
      "drain v2.1 30s",
      "delete DestinationRule/reviews",
      "delete Deployment/reviews-v2-1",
    ]);
    expect(abort.status.weights).toEqual({ "v1.0": 100 });
    expect(run.cluster).toMatchObject({ virtualService: null, destinationRule: null });
    expect(run.cluster.deployments.map((d) => d.metadata.name)).toEqual(["reviews-v1.0"]);
  });

  it("on an adopted VS and DR, puts back exactly what was found", () => {
    const start = v10({
      destinationRule: {
        ...(bookinfo().destinationRule as DestinationRule),
        spec: { host: "reviews", subsets: [SUBSETS[0] as never] },
      },
      virtualService: {
        ...(bookinfo().virtualService as VirtualService),
        spec: { hosts: ["reviews"], http: [{ route: [to("v1-0")] }] },
      },
    });
    const run = new Run(spec({ "v1.0": 80, "v2.1": 20 }), start);
    expect(run.cluster.destinationRule?.spec.subsets).toEqual(SUBSETS);
    run.act({ action: "takeover" });
    run.act({ action: "abort" });
    expect(run.cluster.virtualService?.spec).toEqual(start.virtualService?.spec);
    expect(run.cluster.destinationRule?.spec).toEqual(start.destinationRule?.spec);
  });
});

describe("existing subsets are reused by their labels, never by the raw label", () => {
  it("a subset named stable that selects version=v1.0 is v1.0's, and the base is read from it", () => {
    const start = v10({
      destinationRule: {
        ...(bookinfo().destinationRule as DestinationRule),
        spec: { host: "reviews", subsets: [{ name: "stable", labels: { version: "v1.0" } }] },
      },
      virtualService: {
        ...(bookinfo().virtualService as VirtualService),
        spec: { hosts: ["reviews"], http: [{ route: [to("stable")] }] },
      },
    });
    const plan = planCreate(spec({ "v1.0": 90, "v2.1": 10 }), start);
    expect(plan.status.baseVersion).toBe("v1.0");
    expect(plan.status.subsets).toEqual({ "v1.0": "stable", "v2.1": "v2-1" });
    expect(created<VirtualService>(plan, "VirtualService").spec.http).toEqual([
      { route: [to("stable", 90), to("v2-1", 10)] },
    ]);
    expect(
      readRouting(
        created<VirtualService>(plan, "VirtualService"),
        "reviews",
        NS,
        created<DestinationRule>(plan, "DestinationRule"),
      ).defaultRoute?.weights,
    ).toEqual({ "v1.0": 90, "v2.1": 10 });
  });

  it("two subsets selecting v1.0 are one version's traffic when the base is detected", () => {
    const start = v10({
      deployments: [reviewsDeployment("v1.0"), reviewsDeployment("v3")],
      destinationRule: {
        ...(bookinfo().destinationRule as DestinationRule),
        spec: {
          host: "reviews",
          subsets: [
            { name: "stable", labels: { version: "v1.0" } },
            SUBSETS[0] as never,
            { name: "v3", labels: { version: "v3" } },
          ],
        },
      },
      virtualService: {
        ...(bookinfo().virtualService as VirtualService),
        spec: { hosts: ["reviews"], http: [{ route: [to("stable", 30), to("v1-0", 30), to("v3", 40)] }] },
      },
    });
    const plan = planCreate(makeSpec("blue-green", { newVersion: { version: "v2.1", image: IMAGE } }), start);
    expect(plan.status.baseVersion).toBe("v1.0");
  });

  it("a subset literally named v1.0 (stored where no webhook checks) is left alone; v1-0 is added and used", () => {
    const raw = { name: "v1.0", labels: { version: "v1.0" } };
    const start = v10({
      destinationRule: {
        ...(bookinfo().destinationRule as DestinationRule),
        spec: { host: "reviews", subsets: [raw] },
      },
    });
    const plan = planCreate(spec({ "v1.0": 90, "v2.1": 10 }), start);
    expect(created<DestinationRule>(plan, "DestinationRule").spec.subsets).toEqual([raw, ...SUBSETS]);
    expect(created<VirtualService>(plan, "VirtualService").spec.http).toEqual([
      { route: [to("v1-0", 90), to("v2-1", 10)] },
    ]);
  });
});

describe("the new version's Deployment name is derived from its label", () => {
  it.each([
    ["v2.1", "reviews-v2-1", "v2-1"],
    ["V2_rc", "reviews-v2-rc", "v2-rc"],
    ["1.4.0-rc1", "reviews-1-4-0-rc1", "1-4-0-rc1"],
  ])("%s -> Deployment %s, subset %s", (version, deployment, subset) => {
    const plan = planCreate(spec({ "v1.0": 90, [version]: 10 }, version), v10());
    expect(created<Deployment>(plan, "Deployment").metadata).toMatchObject({ name: deployment, labels: { version } });
    expect(plan.status.subsets[version]).toBe(subset);
    expect(plan.status.weights).toEqual({ "v1.0": 90, [version]: 10 });
  });

  it("refuses a name another version's Deployment holds (v2.1 and v2-1 both derive reviews-v2-1)", () => {
    const cluster = v10({ deployments: [reviewsDeployment("v1.0"), reviewsDeployment("v2-1")] });
    expectPlanError(
      () => planCreate(spec({ "v1.0": 90, "v2.1": 10 }), cluster),
      "conflict",
      /^newVersion\.version: version v2\.1 would be deployed as reviews-v2-1, but Deployment reviews-v2-1 already exists and runs version v2-1; choose another version label$/,
    );
  });

  it("still says a version that already runs, runs", () => {
    const cluster = v10({
      deployments: [reviewsDeployment("v1.0"), reviewsDeployment("v2.1", { name: "reviews-next" })],
    });
    expectPlanError(
      () => planCreate(spec({ "v1.0": 90, "v2.1": 10 }), cluster),
      "conflict",
      /^newVersion\.version: version v2\.1 already exists as Deployment reviews-next$/,
    );
  });
});
