// Entry routes (issue 9): the ingress gateway applies only the VirtualServices bound to its
// Gateway, so a release of Bookinfo's productpage gives the gateway-bound `bookinfo` route the
// same weights as its own default route, as an owned, recorded change that abort undoes exactly.
import { describe, expect, it } from "vitest";
import { detectDrift } from "./drift";
import { readEntryRoutes, readFollowedEntryRoutes } from "./entry-routes";
import { refuseInvalidIstioWrites } from "./istio-writes";
import type { WriteOp } from "./ops";
import { planCreate } from "./planner";
import { rebaseWrite } from "./rebase";
import { concernsService, matchConditions } from "./routing";
import { applyPlan, opList } from "./testdata/apply";
import {
  BOOKINFO_ENTRY_ROUTE,
  bookinfoGatewayVs,
  productpage,
  productpageDeployment,
  productpageSpec,
} from "./testdata/productpage";
import { expectPlanError, Run } from "./testdata/run";
import { NS } from "./testdata/bookinfo";
import type { HTTPRoute, HTTPRouteDestination, ServiceClusterState, VirtualService } from "./types";

const at = (subset: string, weight?: number): HTTPRouteDestination => ({
  destination: { host: "productpage", subset, port: { number: 9080 } },
  ...(weight === undefined ? {} : { weight }),
});
const canary = (v1: number, v2: number, extra: Record<string, unknown> = {}) =>
  productpageSpec("canary", { traffic: { weights: { v1, v2 } }, ...extra });

function gateway(cluster: ServiceClusterState): VirtualService {
  const vs = cluster.virtualServices?.find((v) => v.metadata.name === "bookinfo");
  if (!vs) throw new Error("no bookinfo VirtualService");
  return vs;
}
const entryRoute = (cluster: ServiceClusterState) => gateway(cluster).spec.http?.[0]?.route;
const meshDefault = (cluster: ServiceClusterState) => cluster.virtualService?.spec.http?.[0]?.route;
const twoReplicas = () => {
  const d = productpageDeployment("v1");
  return { ...d, spec: { ...d.spec, replicas: 2 }, status: { replicas: 2, readyReplicas: 2 } };
};

/** The cluster as the first `n` steps of the last plan leave it. */
function afterOps(start: ServiceClusterState, ops: Run["plan"]["ops"], n: number): ServiceClusterState {
  return applyPlan(start, { ops: ops.slice(0, n) });
}

describe("which VirtualServices concern a service", () => {
  it("the bookinfo gateway VS (hosts *) concerns productpage through its route, not reviews", () => {
    const vs = bookinfoGatewayVs();
    expect(concernsService(vs, "productpage", NS)).toBe(true);
    expect(concernsService(vs, "reviews", NS)).toBe(false);
  });

  it("every host form of the destination counts (short, name.ns, FQDN), another namespace's does not", () => {
    for (const host of ["productpage", `productpage.${NS}`, `productpage.${NS}.svc.cluster.local`])
      expect(concernsService(bookinfoGatewayVs([{ route: [{ destination: { host } }] }]), "productpage", NS)).toBe(
        true,
      );
    expect(
      concernsService(
        bookinfoGatewayVs([{ route: [{ destination: { host: "productpage.other.svc.cluster.local" } }] }]),
        "productpage",
        NS,
      ),
    ).toBe(false);
  });
});

describe("create: the gateway's route follows the release, make before break", () => {
  const start = productpage();
  const plan = planCreate(canary(70, 30), start);

  it("pins the route to v1 before v2 exists, and gives it v2's share only after v2 is Ready, with the mesh VS", () => {
    expect(opList(plan)).toEqual([
      "replace DestinationRule/productpage",
      "replace VirtualService/bookinfo",
      "create Deployment/productpage-v2",
      "wait productpage-v2 Ready 1",
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
    ]);
    // Without a subset the route would spread over v2's pods as soon as they are Ready.
    expect(entryRoute(afterOps(start, plan.ops, 2))).toEqual([at("v1")]);
  });

  it("ends with the same 70/30 as the mesh VS: the task's subsets, the route's own host and port, nothing else changed", () => {
    const end = applyPlan(start, plan);
    expect(meshDefault(end)).toEqual([
      { destination: { host: "productpage", subset: "v1" }, weight: 70 },
      { destination: { host: "productpage", subset: "v2" }, weight: 30 },
    ]);
    expect(entryRoute(end)).toEqual([at("v1", 70), at("v2", 30)]);
    const { http, ...rest } = gateway(end).spec;
    expect(rest).toEqual({ hosts: ["*"], gateways: ["bookinfo-gateway"] });
    expect(http?.[0]?.match).toEqual(BOOKINFO_ENTRY_ROUTE.match);
    expect(end.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v1", "v2"]);
  });

  it("records the route it took: where, on which gateway, its destinations as found and as written", () => {
    expect(plan.status.entryRoutes).toEqual([
      {
        virtualService: "bookinfo",
        index: 0,
        name: null,
        id: "bookinfo/http[0]",
        gateways: ["bookinfo-gateway"],
        match: BOOKINFO_ENTRY_ROUTE.match,
        original: BOOKINFO_ENTRY_ROUTE.route,
        applied: [at("v1", 70), at("v2", 30)],
      },
    ]);
    expect(plan.summary).toMatch(/ingress gateway route bookinfo\/http\[0\] follows these weights/);
  });

  it("every write is rv-guarded and the second write of the gateway VS is planned on the first", () => {
    const writes = plan.ops.filter(
      (o): o is Extract<WriteOp, { op: "replace" }> => o.op === "replace" && o.object.metadata.name === "bookinfo",
    );
    expect(writes.map((w) => [w.before.metadata.resourceVersion, w.routes])).toEqual([
      ["4101", [0]],
      ["4101", [0]],
    ]);
    expect(writes[1]?.before.spec).toEqual(writes[0]?.object.spec);
  });

  it("a route already on the base's subset needs no pin: its weights land after v2 is Ready", () => {
    const onV1 = productpage(bookinfoGatewayVs([{ ...BOOKINFO_ENTRY_ROUTE, route: [at("v1")] }]));
    const p = planCreate(canary(70, 30), onV1);
    expect(opList(p)).toEqual([
      "create Deployment/productpage-v2",
      "replace DestinationRule/productpage",
      "wait productpage-v2 Ready 1",
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
    ]);
    expect(entryRoute(applyPlan(onV1, p))).toEqual([at("v1", 70), at("v2", 30)]);
  });

  it("blue-green sends v2 nothing yet: the route takes its final 100/0 before v2 exists, and nothing waits", () => {
    const p = planCreate(productpageSpec("blue-green"), start);
    expect(opList(p)).toEqual([
      "replace DestinationRule/productpage",
      "replace VirtualService/bookinfo",
      "create Deployment/productpage-v2",
      "replace VirtualService/productpage",
    ]);
    expect(entryRoute(applyPlan(start, p))).toEqual([at("v1", 100), at("v2", 0)]);
  });

  it("leaves gateway routes to other services and other gateway VirtualServices' fields alone", () => {
    const toReviews: HTTPRoute = {
      match: [{ uri: { prefix: "/reviews" } }],
      timeout: "3s",
      route: [{ destination: { host: "reviews", port: { number: 9080 } } }],
    };
    const withOther = productpage(bookinfoGatewayVs([toReviews, BOOKINFO_ENTRY_ROUTE]));
    const end = applyPlan(withOther, planCreate(canary(70, 30), withOther));
    expect(gateway(end).spec.http?.[0]).toEqual(toReviews);
    expect(gateway(end).spec.http?.[1]?.route).toEqual([at("v1", 70), at("v2", 30)]);
  });

  it("a gateway VS that is also bound to the mesh is followed too; the task's own VS is never an entry route", () => {
    const both = bookinfoGatewayVs();
    both.spec.gateways = ["mesh", "bookinfo-gateway"];
    expect(planCreate(canary(70, 30), productpage(both)).status.entryRoutes?.map((e) => e.id)).toEqual([
      "bookinfo/http[0]",
    ]);
    const meshOnly = bookinfoGatewayVs();
    meshOnly.spec.gateways = ["mesh"];
    expect(planCreate(canary(70, 30), productpage(meshOnly)).status.entryRoutes).toEqual([]);
  });
});

describe("create refuses a gateway route it cannot follow safely, unless told to ignore them", () => {
  const refusedWith = (route: HTTPRouteDestination[], extra: Partial<HTTPRoute> = {}) =>
    productpage(bookinfoGatewayVs([{ ...BOOKINFO_ENTRY_ROUTE, ...extra, route }]));

  it.each([
    [
      "someone's own split between subsets",
      [at("v1", 50), at("v3", 50)],
      {},
      /it splits its traffic itself \(productpage subset v1 50%, productpage subset v3 50%\)/,
    ],
    [
      "a mix of hosts",
      [
        { destination: { host: "productpage" }, weight: 90 },
        { destination: { host: "legacy-frontend" }, weight: 10 },
      ],
      {},
      /it splits its traffic itself \(productpage 90%, legacy-frontend 10%\)/,
    ],
    [
      "everything on another version's subset",
      [at("v3")],
      {},
      /it sends everything to subset v3, which is not the base version v1/,
    ],
    [
      "a mirror to the service",
      [at("v1")],
      { mirror: { host: "productpage", subset: "v1" } },
      /it mirrors requests to productpage/,
    ],
  ] as const)("%s", (_why, route, extra, reason) => {
    const err = expectPlanError(
      () => planCreate(canary(70, 30), refusedWith([...route], extra)),
      "conflict",
      /^cannot follow the ingress gateway route bookinfo\/http\[0\] \(VirtualService bookinfo on bookinfo-gateway\): /,
    );
    expect(err.message).toMatch(reason);
    expect(err.message).toMatch(/set routing\.entryRoutes to "ignore"/);
    expect(err.details).toMatchObject({
      path: "routing.entryRoutes",
      routes: [{ virtualService: "bookinfo", index: 0, name: null, id: "bookinfo/http[0]" }],
    });
  });

  it('routing.entryRoutes "ignore": the gateway VS is neither written nor recorded', () => {
    const split = refusedWith([at("v1", 50), at("v3", 50)]);
    const p = planCreate(canary(70, 30, { routing: { entryRoutes: "ignore" } }), split);
    expect(opList(p)).toEqual([
      "create Deployment/productpage-v2",
      "replace DestinationRule/productpage",
      "wait productpage-v2 Ready 1",
      "replace VirtualService/productpage",
    ]);
    expect(p.status.entryRoutes).toEqual([]);
  });

  it("replica-canary routes by replicas: gateway routes are not followed", () => {
    const cluster = refusedWith([at("v1", 50), at("v3", 50)]);
    cluster.deployments = [twoReplicas()];
    const p = planCreate(productpageSpec("replica-canary", { traffic: { weights: { v1: 50, v2: 50 } } }), cluster);
    expect(p.status.entryRoutes).toEqual([]);
    expect(opList(p)).not.toContain("replace VirtualService/bookinfo");
  });
});

describe("actions give the gateway's route the default route's weights", () => {
  const start = () => new Run(canary(70, 30), productpage());

  it("setTraffic, takeover, retireOld: same split each time; retired v1's subset is never named again", () => {
    const run = start();
    expect(opList(run.act({ action: "setTraffic", weights: { v1: 40, v2: 60 } }))).toEqual([
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
    ]);
    expect(entryRoute(run.cluster)).toEqual([at("v1", 40), at("v2", 60)]);
    run.act({ action: "takeover" });
    expect(entryRoute(run.cluster)).toEqual([at("v1", 0), at("v2", 100)]);
    const retire = run.act({ action: "retireOld" });
    // Break after make: the gateway leaves v1 before the drain, v1's subset and pods go after it.
    expect(opList(retire)).toEqual([
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
      "drain v1 30s",
      "replace DestinationRule/productpage",
      "delete Deployment/productpage-v1",
    ]);
    expect(entryRoute(run.cluster)).toEqual([at("v2")]);
    expect(run.cluster.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v2"]);
    expect(retire.status.entryRoutes?.[0]?.applied).toEqual([at("v2")]);
  });

  it("rollback puts all of the gateway's traffic back on v1", () => {
    const run = start();
    run.act({ action: "rollback" });
    expect(entryRoute(run.cluster)).toEqual([at("v1", 100), at("v2", 0)]);
    expect(meshDefault(run.cluster)?.map((d) => d.weight)).toEqual([100, 0]);
  });

  it("batch confirm moves the gateway's route group by group", () => {
    const spec = productpageSpec("batch", {
      newVersion: { version: "v2", image: "docker.io/istio/examples-bookinfo-productpage-v1:1.20.2", replicas: 2 },
      batch: { groups: 2 },
    });
    const base = productpage();
    base.deployments = [twoReplicas()];
    const run = new Run(spec, base);
    expect(entryRoute(run.cluster)).toEqual([at("v1", 50), at("v2", 50)]);
    const confirm = run.act({ action: "confirm" });
    expect(opList(confirm)).toEqual([
      "scale Deployment/productpage-v2 1->2",
      "wait productpage-v2 Ready 2",
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
      "scale Deployment/productpage-v1 1->0",
    ]);
    expect(entryRoute(run.cluster)).toEqual([at("v1", 0), at("v2", 100)]);
  });

  it("a setTraffic that changes nothing writes nothing", () => {
    const run = start();
    expect(opList(run.act({ action: "setTraffic", weights: { v1: 70, v2: 30 } }))).toEqual([]);
  });
});

describe("abort restores the gateway's route exactly, keeping others' edits", () => {
  it("v1 only while v2's pods drain and go, then the route as found; the subset v2 last", () => {
    const start = productpage();
    const run = new Run(canary(70, 30), start);
    run.act({ action: "setTraffic", weights: { v1: 20, v2: 80 } });
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
      "drain v2 30s",
      "delete Deployment/productpage-v2",
      "replace VirtualService/bookinfo",
      "replace DestinationRule/productpage",
    ]);
    expect(gateway(run.cluster).spec).toEqual(bookinfoGatewayVs().spec);
    expect(run.cluster.virtualService?.spec).toEqual(start.virtualService?.spec);
    expect(run.cluster.destinationRule?.spec).toEqual(start.destinationRule?.spec);
    expect(abort.status.entryRoutes).toEqual([]);
  });

  it("while draining, the gateway sends v2 nothing", () => {
    const run = new Run(canary(70, 30), productpage());
    const before = run.cluster;
    const abort = run.act({ action: "abort" });
    expect(entryRoute(afterOps(before, abort.ops, 2))).toEqual([at("v1")]);
  });

  it("an abort that stops the create while v2 is not Ready yet finds the route pinned and puts it back", () => {
    const start = productpage();
    const run = new Run(canary(70, 30), start);
    const create = run.plan;
    run.cluster = afterOps(start, create.ops, 3);
    const abort = run.act({ action: "abort" });
    // Nothing routed to v2 yet: no drain; the route goes back once v2's pods are gone.
    expect(opList(abort)).toEqual([
      "delete Deployment/productpage-v2",
      "replace VirtualService/bookinfo",
      "replace DestinationRule/productpage",
    ]);
    expect(gateway(run.cluster).spec).toEqual(bookinfoGatewayVs().spec);
    expect(run.cluster.destinationRule?.spec).toEqual(start.destinationRule?.spec);
  });

  it("someone's timeout on that route and a route they added stay; only the destinations go back", () => {
    const run = new Run(canary(70, 30), productpage());
    const edited = structuredClone(gateway(run.cluster));
    const route = edited.spec.http?.[0] as HTTPRoute;
    route.timeout = "5s";
    edited.spec.http = [
      {
        name: "canary-api",
        match: [{ uri: { prefix: "/api/v2" } }],
        route: [{ destination: { host: "productpage-api" } }],
      },
      route,
    ];
    run.cluster = {
      ...run.cluster,
      virtualServices: (run.cluster.virtualServices ?? []).map((v) => (v.metadata.name === "bookinfo" ? edited : v)),
    };
    run.act({ action: "abort" });
    const http = gateway(run.cluster).spec.http ?? [];
    expect(http[0]?.name).toBe("canary-api");
    expect(http[1]).toEqual({ ...BOOKINFO_ENTRY_ROUTE, timeout: "5s" });
  });

  it("a route that was on v1 goes back at once, before the drain", () => {
    const onV1 = productpage(bookinfoGatewayVs([{ ...BOOKINFO_ENTRY_ROUTE, route: [at("v1")] }]));
    const run = new Run(canary(70, 30), onV1);
    expect(opList(run.act({ action: "abort" }))).toEqual([
      "replace VirtualService/productpage",
      "replace VirtualService/bookinfo",
      "drain v2 30s",
      "replace DestinationRule/productpage",
      "delete Deployment/productpage-v2",
    ]);
    expect(gateway(run.cluster).spec).toEqual(onV1.virtualServices?.[1]?.spec);
  });
});

describe("drift counts only the destinations of the followed route", () => {
  const edit = (run: Run, change: (vs: VirtualService) => void) => {
    const vs = structuredClone(gateway(run.cluster));
    change(vs);
    run.cluster = {
      ...run.cluster,
      virtualServices: (run.cluster.virtualServices ?? []).map((v) => (v.metadata.name === "bookinfo" ? vs : v)),
    };
  };

  it("other fields of the gateway VS and of the route are not drift", () => {
    const run = new Run(canary(70, 30), productpage());
    edit(run, (vs) => {
      vs.spec.hosts = ["bookinfo.example.com"];
      (vs.spec.http?.[0] as HTTPRoute).retries = { attempts: 3 };
    });
    expect(detectDrift(run.plan.status, run.cluster)).toBeNull();
  });

  const to9010 = (vs: VirtualService) => {
    const r = vs.spec.http?.[0]?.route as HTTPRouteDestination[];
    (r[0] as HTTPRouteDestination).weight = 90;
    (r[1] as HTTPRouteDestination).weight = 10;
  };

  it("changed weights are drift; resync puts the task's back, acceptDrift keeps the live ones", () => {
    const run = new Run(canary(70, 30), productpage());
    edit(run, to9010);
    expect(detectDrift(run.plan.status, run.cluster)).toEqual({
      entryRoutes: [
        { path: "bookinfo/http[0].route[0].weight", expected: 70, actual: 90 },
        { path: "bookinfo/http[0].route[1].weight", expected: 30, actual: 10 },
      ],
    });
    const resynced = new Run(canary(70, 30), productpage());
    edit(resynced, to9010);
    expect(opList(resynced.act({ action: "resync" }))).toEqual(["replace VirtualService/bookinfo"]);
    expect(entryRoute(resynced.cluster)).toEqual([at("v1", 70), at("v2", 30)]);
    run.act({ action: "acceptDrift" });
    expect(detectDrift(run.plan.status, run.cluster)).toBeNull();
    expect(entryRoute(run.cluster)).toEqual([at("v1", 90), at("v2", 10)]);
  });

  it("a deleted route is drift; acceptDrift stops following it and actions then leave the gateway alone", () => {
    const run = new Run(canary(70, 30), productpage());
    edit(run, (vs) => {
      vs.spec.http = [];
    });
    expect(detectDrift(run.plan.status, run.cluster)?.entryRoutes).toEqual([
      { path: "bookinfo/http[0]", expected: [at("v1", 70), at("v2", 30)], actual: null },
    ]);
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }),
      "conflict",
      /^cannot setTraffic: ingress gateway route bookinfo\/http\[0\] is gone/,
    );
    run.act({ action: "acceptDrift" });
    expect(run.plan.status.entryRoutes).toEqual([]);
    expect(opList(run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }))).toEqual([
      "replace VirtualService/productpage",
    ]);
  });

  it("rollback (a brake) leaves a vanished route alone and says so", () => {
    const run = new Run(canary(70, 30), productpage());
    edit(run, (vs) => {
      vs.spec.http = [];
    });
    expect(run.act({ action: "rollback" }).summary).toMatch(
      /ingress gateway route bookinfo\/http\[0\] left as it is \(gone\)$/,
    );
  });
});

describe("entry route writes are checked and rebased like the task's own", () => {
  it("Istio's rules: the route's weights must sum to 100", () => {
    const run = new Run(canary(70, 30), productpage());
    const vs = gateway(run.cluster);
    const bad = structuredClone(vs);
    bad.spec.http![0]!.route = [at("v1", 60), at("v2", 30)];
    expectPlanError(
      () =>
        refuseInvalidIstioWrites(
          [{ op: "replace", object: bad, before: vs, routes: [0] }],
          run.cluster,
          run.plan.status,
        ),
      "invalid",
      /^VirtualService bookinfo http\[0\]\.route: weights sum to 90, not 100/,
    );
  });

  it("a later edit to another route of the VS is kept; an edit to the followed route refuses the write", () => {
    const start = productpage();
    const plan = planCreate(canary(70, 30), start);
    const last = plan.ops[plan.ops.length - 1] as Extract<WriteOp, { op: "replace" }>;
    const pinned = gateway(afterOps(start, plan.ops, 2));
    const othersEdit = structuredClone(pinned);
    othersEdit.spec.http!.push({
      match: [{ uri: { prefix: "/ratings" } }],
      route: [{ destination: { host: "ratings" } }],
    });
    othersEdit.metadata.resourceVersion = "9001";
    const merged = rebaseWrite(last, othersEdit);
    if (!("op" in merged) || merged.op.op !== "replace") throw new Error(JSON.stringify(merged));
    expect((merged.op.object as VirtualService).spec.http).toEqual([
      { ...BOOKINFO_ENTRY_ROUTE, route: [at("v1", 70), at("v2", 30)] },
      othersEdit.spec.http![1],
    ]);
    expect(merged.op.object.metadata.resourceVersion).toBe("9001");
    const routeEdit = structuredClone(pinned);
    routeEdit.spec.http![0]!.route = [at("v1", 100)];
    expect(rebaseWrite(last, routeEdit)).toEqual({
      conflict: expect.stringMatching(
        /^replace VirtualService bookinfo\/bookinfo: someone changed its route http\[0\] since the plan was made/,
      ),
    });
  });
});

describe("reading entry routes for the console", () => {
  it("the service page lists gateway routes to the service with weights per version; the task page the ones it follows", () => {
    const run = new Run(canary(70, 30), productpage());
    const reading = {
      id: "bookinfo/http[0]",
      virtualService: "bookinfo",
      route: "http[0]",
      gateways: ["bookinfo-gateway"],
      match:
        'uri exact "/productpage" OR uri prefix "/static" OR uri exact "/login" OR uri exact "/logout" OR uri prefix "/api/v1/products"',
      weights: { v1: 70, v2: 30 },
    };
    const conditions = matchConditions(BOOKINFO_ENTRY_ROUTE.match);
    expect(readEntryRoutes(run.cluster, "productpage", NS, run.cluster.destinationRule, "productpage")).toEqual([
      { ...reading, conditions },
    ]);
    expect(readFollowedEntryRoutes(run.plan.status, run.cluster, run.cluster.destinationRule)).toEqual([
      { ...reading, conditions },
    ]);
    expect(readEntryRoutes(productpage(), "productpage", NS, null, "productpage")[0]?.weights).toEqual({ "*": 100 });
  });
});
