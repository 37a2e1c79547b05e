// Foreign routes (issue 8): no action may empty a version that a route the task does not own
// still sends traffic to; the request may ask for such routes to be moved, as a recorded change.
// The gateway-bound VirtualService here is someone else's: these tasks say routing.entryRoutes
// "ignore", so its routes stay foreign (entry-routes.test.ts covers the default, following them).
import { describe, expect, it } from "vitest";
import { foreignRoutesOf, foreignRoutesUsing, matchConditions, moveRoute } from "./foreign-routes";
import { opList } from "./testdata/apply";
import { bookinfo, NS, reviewsDeployment, vsBusy } from "./testdata/bookinfo";
import { canaryWeights, expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import type { HTTPRoute, VirtualService } from "./types";

const to = (subset: string) => ({ destination: { host: "reviews.bookinfo.svc.cluster.local", subset } });

/** A gateway-bound VS someone else owns: /internal still goes to v1 (the outage found by hand). */
function gatewayVs(
  internal: HTTPRoute = { name: "internal", match: [{ uri: { prefix: "/internal" } }], route: [to("v1")] },
): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews-gateway", namespace: NS, resourceVersion: "4001", uid: "uid-gw" },
    spec: {
      hosts: ["reviews.bookinfo.svc.cluster.local"],
      gateways: ["bookinfo-gateway"],
      http: [internal, { name: "public", route: [to("v2")] }],
    },
  };
}

const ignoring = { routing: { entryRoutes: "ignore" } };
const batch = makeSpec("batch", {
  newVersion: { version: "v2", image: IMAGE, replicas: 2 },
  batch: { groups: 2 },
  ...ignoring,
});
const withGateway = () => {
  const base = bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 2 })] });
  return { ...base, virtualServices: [base.virtualService as VirtualService, gatewayVs()] };
};

describe("batch completion and a foreign route on the base", () => {
  it("refuses to scale the base to 0 while reviews-gateway/internal still routes to v1, naming the route", () => {
    const run = new Run(batch, withGateway());
    const err = expectPlanError(
      () => run.act({ action: "confirm" }),
      "conflict",
      /^cannot confirm: reviews-gateway\/internal still routes traffic to v1/,
    );
    expect(err.details).toEqual({
      routes: [{ virtualService: "reviews-gateway", index: 0, name: "internal", id: "reviews-gateway/internal" }],
    });
    // The UI renders it again from the reader's catalog: the action as a word, the routes by id.
    expect(err.text).toEqual({
      key: "err.foreignRoutes.refusedOne",
      params: { actionKey: "err.word.action.confirm", routes: "reviews-gateway/internal", version: "v1" },
    });
    expect(run.replicas("reviews-v1")).toBe(1);
  });

  it("moves the route to v2 when the request lists it, after v2 is Ready and before v1 goes to 0", () => {
    const run = new Run(batch, withGateway());
    const done = run.act({ action: "confirm", moveRoutes: ["reviews-gateway/internal"] });
    expect(opList(done)).toEqual([
      "scale Deployment/reviews-v2 1->2",
      "wait reviews-v2 Ready 2",
      "replace VirtualService/reviews-gateway",
      "replace VirtualService/reviews",
      "scale Deployment/reviews-v1 1->0",
    ]);
    const gw = run.cluster.virtualServices?.find((v) => v.metadata.name === "reviews-gateway");
    expect(gw?.spec.http?.[0]).toEqual({
      name: "internal",
      match: [{ uri: { prefix: "/internal" } }],
      route: [to("v2")],
    });
    expect(gw?.spec.http?.[1]).toEqual(gatewayVs().spec.http?.[1]);
    expect(done.status.movedRoutes).toEqual([
      {
        virtualService: "reviews-gateway",
        index: 0,
        name: "internal",
        id: "reviews-gateway/internal",
        fromSubset: "v1",
        toSubset: "v2",
      },
    ]);
    expect(done.summary).toMatch(/moved reviews-gateway\/internal to v2$/);
    expect(done.state).toBe("completed");
  });

  it("a route the request names that does not use the base is refused as invalid", () => {
    const run = new Run(batch, withGateway());
    const err = expectPlanError(
      () => run.act({ action: "confirm", moveRoutes: ["reviews-gateway/public"] }),
      "invalid",
      /^moveRoutes: reviews-gateway\/public is not a route that sends traffic to v1 \(those are reviews-gateway\/internal\)/,
    );
    expect(err.details).toMatchObject({
      path: "moveRoutes",
      key: "err.foreignRoutes.notUsingAmong",
      params: { route: "reviews-gateway/public", version: "v1", routes: "reviews-gateway/internal" },
    });
  });

  it("a single-group batch refuses at create for the same reason", () => {
    const one = makeSpec("batch", {
      newVersion: { version: "v2", image: IMAGE, replicas: 2 },
      batch: { groups: 1 },
      ...ignoring,
    });
    expectPlanError(
      () => new Run(one, withGateway()),
      "conflict",
      /^cannot create: reviews-gateway\/internal still routes traffic to v1/,
    );
  });
});

describe("retireOld and foreign routes", () => {
  it("moves the listed routes of the owned VS in the task's own write, and both of vsBusy's v1 routes must be listed", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: vsBusy() }));
    run.act({ action: "takeover" });
    expectPlanError(
      () => run.act({ action: "retireOld", moveRoutes: ["reviews/qa"] }),
      "conflict",
      /^cannot retireOld: reviews\/legacy-api still routes traffic to v1/,
    );
    const retire = run.act({ action: "retireOld", moveRoutes: ["reviews/qa", "reviews/legacy-api"] });
    expect(opList(retire)).toEqual([
      "replace VirtualService/reviews",
      "drain v1 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v1",
    ]);
    const http = run.cluster.virtualService?.spec.http ?? [];
    expect(http.map((r) => [r.name, r.route?.map((d) => d.destination.subset)])).toEqual([
      ["qa", ["v2"]],
      ["legacy-api", ["v2"]],
      ["default", ["v2"]],
    ]);
    // Everything else about the foreign routes stays as their owners wrote it.
    expect(http[0]?.fault).toEqual(vsBusy().spec.http?.[0]?.fault);
    expect(retire.status.movedRoutes?.map((r) => r.id)).toEqual(["reviews/qa", "reviews/legacy-api"]);
  });

  it("a foreign route moved off the base by its owner unblocks retireOld, and is not drift", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: vsBusy() }));
    run.act({ action: "takeover" });
    const vs = structuredClone(run.cluster.virtualService) as VirtualService;
    for (const r of vs.spec.http ?? [])
      if (r.name === "qa" || r.name === "legacy-api")
        r.route = [
          { destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v2", port: { number: 9080 } } },
        ];
    run.cluster = { ...run.cluster, virtualService: vs };
    expect(run.act({ action: "retireOld" }).state).toBe("completed");
  });

  it("a mirror to the base counts as using it", () => {
    const gw = gatewayVs({ name: "shadow", route: [to("v2")], mirror: { host: "reviews", subset: "v1" } });
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 0, v2: 100 } }, ...ignoring }), {
      ...bookinfo(),
      virtualServices: [bookinfo().virtualService as VirtualService, gw],
    });
    run.act({ action: "takeover" });
    expectPlanError(
      () => run.act({ action: "retireOld" }),
      "conflict",
      /reviews-gateway\/shadow still routes traffic to v1/,
    );
    run.act({ action: "retireOld", moveRoutes: ["reviews-gateway/shadow"] });
    expect(
      run.cluster.virtualServices?.find((v) => v.metadata.name === "reviews-gateway")?.spec.http?.[0]?.mirror,
    ).toEqual({ host: "reviews", subset: "v2" });
  });
});

describe("foreignRoutesUsing / moveRoute", () => {
  const scope = {
    service: "reviews",
    namespace: NS,
    task: "rel",
    ownedRoutes: ["gc-rel-canary"],
    virtualServiceName: "reviews",
    routing: "istio" as const,
  };

  it("skips the task's default and owned routes, names unnamed routes by index", () => {
    const owned: VirtualService = {
      ...vsBusy(),
      spec: {
        hosts: ["reviews"],
        http: [
          { match: [{ uri: { prefix: "/a" } }], route: [to("v1")] },
          { name: "gc-rel-canary", match: [{ uri: { prefix: "/b" } }], route: [to("v1")] },
          { route: [to("v1")] },
        ],
      },
    };
    expect(
      foreignRoutesUsing({ virtualService: owned, virtualServices: [owned, gatewayVs()] }, scope, ["v1"]).map(
        (r) => r.id,
      ),
    ).toEqual(["reviews/http[0]", "reviews-gateway/internal"]);
  });

  it("merges a moved weighted destination into an existing one for the new subset", () => {
    const route: HTTPRoute = {
      route: [
        { ...to("v1"), weight: 30 },
        { ...to("v2"), weight: 70 },
      ],
    };
    expect(moveRoute(route, ["v1"], { host: "reviews", subset: "v2" }, scope)).toEqual({
      route: [{ ...to("v2"), weight: 100 }],
    });
  });
});

describe("moveRoutes when nothing is emptied", () => {
  it("setTraffic moves only the listed route and leaves the others on the base", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: vsBusy() }));
    const plan = run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 }, moveRoutes: ["reviews/qa"] });
    expect(opList(plan)).toEqual(["replace VirtualService/reviews"]);
    const http = run.cluster.virtualService?.spec.http ?? [];
    expect(http.map((r) => [r.name, r.route?.map((d) => d.destination.subset)])).toEqual([
      ["qa", ["v2"]],
      ["legacy-api", ["v1"]],
      ["default", ["v1", "v2"]],
    ]);
    expect(plan.status.movedRoutes?.map((r) => r.id)).toEqual(["reviews/qa"]);
  });

  it("is refused without Istio, where there is nothing to move", () => {
    const run = new Run(
      makeSpec("replica-canary", { traffic: { weights: { v1: 75, v2: 25 } } }),
      bookinfo({
        istioAvailable: false,
        virtualService: null,
        destinationRule: null,
        deployments: [reviewsDeployment("v1", { replicas: 4 })],
      }),
    );
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 }, moveRoutes: ["reviews/http[0]"] }),
      "invalid",
      /^moveRoutes: there are no VirtualServices to move routes in/,
    );
  });
});

describe("matchConditions: a match in parts the UI words", () => {
  const cases: [string, Parameters<typeof matchConditions>[0], ReturnType<typeof matchConditions>][] = [
    [
      "Bookinfo's jason route",
      { headers: { "end-user": { exact: "jason" } } },
      [{ field: "header", name: "end-user", op: "exact", value: "jason" }],
    ],
    [
      "a uri prefix and a method, ANDed",
      { uri: { prefix: "/api" }, method: { exact: "GET" } },
      [
        { field: "uri", name: null, op: "prefix", value: "/api" },
        { field: "method", name: null, op: "exact", value: "GET" },
      ],
    ],
    [
      "a header that only has to be present",
      { headers: { "x-debug": {} } },
      [{ field: "header", name: "x-debug", op: "present", value: null }],
    ],
    [
      "query, withoutHeaders and a regex",
      { queryParams: { beta: { regex: "1|yes" } }, withoutHeaders: { "x-bot": { exact: "1" } } },
      [
        { field: "query", name: "beta", op: "regex", value: "1|yes" },
        { field: "withoutHeader", name: "x-bot", op: "exact", value: "1" },
      ],
    ],
    [
      "port, source labels and gateways",
      { port: 9080, sourceLabels: { app: "productpage" }, gateways: ["mesh"] },
      [
        { field: "port", name: null, op: null, value: "9080" },
        { field: "sourceLabel", name: "app", op: "exact", value: "productpage" },
        { field: "gateway", name: null, op: null, value: "mesh" },
      ],
    ],
    [
      "a field the console has no word for, and the match's own name skipped",
      { name: "m", ignoreUriCase: true },
      [{ field: "other", name: "ignoreUriCase", op: null, value: "true" }],
    ],
  ];
  it.each(cases)("%s", (_, match, want) => {
    expect(matchConditions(match)).toEqual(want);
  });
});

describe("foreignRoutesOf: what the take-over, switch, retire and last-group dialogs list", () => {
  /** Bookinfo's reviews VS as a user edits it: jason goes to v1, everyone else follows the task. */
  const jason = (route: HTTPRoute["route"] = [to("v1")]): HTTPRoute => ({
    match: [{ headers: { "end-user": { exact: "jason" } } }],
    route,
  });

  it("lists a second route of the task's own VirtualService by position, with its match and destinations", () => {
    const run = new Run(canaryWeights(50, 50), bookinfo());
    const vs = structuredClone(run.cluster.virtualService) as VirtualService;
    vs.spec.http = [jason(), ...(vs.spec.http ?? [])];
    const routes = foreignRoutesOf(
      { ...run.cluster, virtualService: vs, virtualServices: [vs] },
      run.plan.status,
      "v1",
    );
    expect(routes).toEqual([
      {
        virtualService: "reviews",
        index: 0,
        name: null,
        id: "reviews/http[0]",
        gateways: [],
        match: [[{ field: "header", name: "end-user", op: "exact", value: "jason" }]],
        destinations: [{ host: "reviews.bookinfo.svc.cluster.local", subset: "v1", version: "v1", weight: 100 }],
        mirror: null,
        sends: true,
      },
    ]);
  });

  const cases: {
    name: string;
    route: HTTPRoute;
    want: { sends: boolean; destinations?: unknown; mirror?: unknown } | null;
  }[] = [
    {
      name: "a weighted split still sends its v1 share",
      route: jason([
        { ...to("v1"), weight: 30 },
        { ...to("v2"), weight: 70 },
      ]),
      want: {
        sends: true,
        destinations: [
          { host: "reviews.bookinfo.svc.cluster.local", subset: "v1", version: "v1", weight: 30 },
          { host: "reviews.bookinfo.svc.cluster.local", subset: "v2", version: "v2", weight: 70 },
        ],
      },
    },
    {
      name: "a v1 destination at weight 0 names v1 without sending to it",
      route: jason([
        { ...to("v1"), weight: 0 },
        { ...to("v2"), weight: 100 },
      ]),
      want: { sends: false },
    },
    {
      name: "a mirror to v1 sends copies",
      route: {
        name: "shadow",
        route: [to("v2")],
        mirror: { host: "reviews", subset: "v1" },
        mirrorPercentage: { value: 5 },
      },
      want: { sends: true, mirror: { host: "reviews", subset: "v1", version: "v1", percent: 5 } },
    },
    { name: "a route already on v2 is not listed", route: jason([to("v2")]), want: null },
    {
      name: "a route to another service's v1 is not listed",
      route: jason([{ destination: { host: "ratings", subset: "v1" } }]),
      want: null,
    },
  ];
  it.each(cases)("$name", ({ route, want }) => {
    const run = new Run(canaryWeights(50, 50), bookinfo());
    const vs = structuredClone(run.cluster.virtualService) as VirtualService;
    vs.spec.http = [route, ...(vs.spec.http ?? [])];
    const routes = foreignRoutesOf(
      { ...run.cluster, virtualService: vs, virtualServices: [vs] },
      run.plan.status,
      "v1",
    );
    if (want === null) return expect(routes).toEqual([]);
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject(want);
  });

  it("lists routes of other VirtualServices for the host, a gateway-bound one with its gateways", () => {
    const gw = gatewayVs();
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 50, v2: 50 } }, ...ignoring }), {
      ...bookinfo(),
      virtualServices: [bookinfo().virtualService as VirtualService, gw],
    });
    const routes = foreignRoutesOf(run.cluster, run.plan.status, "v1");
    expect(routes.map((r) => [r.id, r.gateways, r.match])).toEqual([
      [
        "reviews-gateway/internal",
        ["bookinfo-gateway"],
        [[{ field: "uri", name: null, op: "prefix", value: "/internal" }]],
      ],
    ]);
  });

  it("lists nothing without Istio", () => {
    const run = new Run(canaryWeights(50, 50), bookinfo());
    expect(foreignRoutesOf({ ...run.cluster, istioAvailable: false }, run.plan.status, "v1")).toEqual([]);
  });

  it("every listed route is what retire then refuses over, and moving them all lets it through", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: vsBusy() }));
    run.act({ action: "takeover" });
    const ids = foreignRoutesOf(run.cluster, run.plan.status, "v1").map((r) => r.id);
    expect(ids).toEqual(["reviews/qa", "reviews/legacy-api"]);
    expect(run.act({ action: "retireOld", moveRoutes: ids }).state).toBe("completed");
  });
});
