// The gateway-api backend over Bookinfo's reviews routed by an HTTPRoute (Istio's Gateway API
// samples), with the cases the Istio backend has: all-v1, 80-20, 50-50, header end-user=jason ->
// v2, mirror 50%; foreign rules byte for byte, restore and drift.
import { describe, expect, it } from "vitest";
import { PlanError } from "../errors";
import { clone } from "../json";
import type { WriteOp } from "../ops";
import type { Service, ServiceClusterState } from "../types";
import type { RoutingScope } from "./backend";
import { gatewayApiBackend as gw, type GatewayRoutingStatus } from "./gateway-api";
import type { HTTPRouteObject, HTTPRouteRule } from "./gateway-api-types";
import type { RoutingIntent } from "./intent";
import {
  allV1Rule,
  gatewayBookinfo,
  jasonRule,
  NS,
  ref,
  reviewsRoute,
  versionService,
} from "./testdata/bookinfo-gateway";

const scope: RoutingScope = { task: "rel", namespace: NS, service: "reviews", baseVersion: "v1", newVersion: "v2" };

const split = (v1: number, v2: number): RoutingIntent => ({
  defaultRoute: { weights: { v1, v2 } },
  owned: [],
  versions: ["v1", "v2"],
});

/** The API server's side of the writes: objects replaced by what was written, with a new resourceVersion. */
function applied(cluster: ServiceClusterState, writes: readonly WriteOp[]): ServiceClusterState {
  let routes = [...(cluster.httpRoutes ?? [])];
  let services = [...(cluster.versionServices ?? [])];
  for (const w of writes) {
    if (w.op === "patchReplicas") continue;
    const name = w.object.metadata.name;
    const fresh = {
      ...clone(w.object),
      metadata: { ...clone(w.object.metadata), resourceVersion: `rv-${name}-${Math.random()}` },
    };
    if (w.object.kind === "HTTPRoute") {
      routes = routes.filter((r) => r.metadata.name !== name);
      if (w.op !== "delete") routes.push(fresh as HTTPRouteObject);
    } else if (w.object.kind === "Service") {
      services = services.filter((s) => s.metadata.name !== name);
      if (w.op !== "delete") services.push(fresh as Service);
    }
  }
  return { ...cluster, httpRoutes: routes, versionServices: services };
}

class GatewayRun {
  status: GatewayRoutingStatus;
  writes: WriteOp[] = [];
  constructor(public cluster: ServiceClusterState) {
    this.status = gw.begin(scope, cluster);
  }
  render(intent: RoutingIntent, creating = false): WriteOp[] {
    const r = gw.render(intent, this.status, this.cluster, { creating });
    this.status = r.status;
    this.cluster = applied(this.cluster, r.writes);
    this.writes = r.writes;
    return r.writes;
  }
  restore(): WriteOp[] {
    const writes = gw.restore(this.status, this.cluster);
    this.cluster = applied(this.cluster, writes);
    return writes;
  }
  route(): HTTPRouteObject {
    const r = this.cluster.httpRoutes?.find((x) => x.metadata.name === this.status.route);
    if (!r) throw new Error("no route");
    return r;
  }
  rule(name: string): HTTPRouteRule | undefined {
    return this.route().spec.rules?.find((r) => r.name === name);
  }
}

const opList = (writes: readonly WriteOp[]) =>
  writes.map((w) => (w.op === "patchReplicas" ? "scale" : `${w.op} ${w.object.kind}/${w.object.metadata.name}`));

describe("gateway-api backend: weights on the default rule's backendRefs (Bookinfo reviews)", () => {
  it.each([
    ["all-v1", 100, 0],
    ["80-20", 80, 20],
    ["50-50", 50, 50],
  ])("%s: the per-version Services are the backendRefs, weighted in percent", (_name, v1, v2) => {
    const run = new GatewayRun(gatewayBookinfo());
    expect(opList(run.render(split(v1, v2), true))).toEqual(["replace HTTPRoute/reviews"]);
    expect(run.rule("gc-rel-default")).toEqual({
      ...allV1Rule(),
      name: "gc-rel-default",
      backendRefs: [ref("reviews-v1", v1), ref("reviews-v2", v2)],
    });
    expect(gw.read(run.cluster, "reviews").defaultRoute).toEqual({ weights: { v1, v2 } });
    expect(run.route().spec.parentRefs).toEqual(reviewsRoute().spec.parentRefs);
  });

  it("creates the missing per-version Services (selector app+version, the service's ports) before the route names them", () => {
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute(), [versionService("v1")]));
    const writes = run.render(split(80, 20), true);
    expect(opList(writes)).toEqual(["create Service/reviews-v2", "replace HTTPRoute/reviews"]);
    const svc = writes[0]?.op === "create" ? (writes[0].object as Service) : null;
    expect(svc?.spec).toEqual({ selector: { app: "reviews", version: "v2" }, ports: [{ port: 9080, name: "http" }] });
    expect(svc?.metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "gray-console",
      "gray-console.io/task": "rel",
    });
    expect(run.status.created.services).toEqual(["reviews-v2"]);
  });

  it("no HTTPRoute yet: creates a mesh (GAMMA) route attached to the Service, and its Services", () => {
    const run = new GatewayRun(gatewayBookinfo(null, []));
    expect(opList(run.render(split(90, 10), true))).toEqual([
      "create Service/reviews-v1",
      "create Service/reviews-v2",
      "create HTTPRoute/reviews",
    ]);
    expect(run.route().spec).toEqual({
      parentRefs: [{ group: "", kind: "Service", name: "reviews" }],
      rules: [
        {
          name: "gc-rel-default",
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [ref("reviews-v1", 90), ref("reviews-v2", 10)],
        },
      ],
    });
    expect(opList(run.restore())).toEqual([
      "delete HTTPRoute/reviews",
      "delete Service/reviews-v1",
      "delete Service/reviews-v2",
    ]);
  });

  it("a north-south route (parentRef Gateway) to the service itself: its rule takes the weights, parentRefs and hostnames stay", () => {
    const route = reviewsRoute(
      [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [ref("reviews", 1)] }],
      [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "bookinfo-gateway" }],
    );
    route.spec.hostnames = ["reviews.example.com"];
    const run = new GatewayRun(gatewayBookinfo(route));
    run.render(split(80, 20), true);
    expect(run.route().spec.parentRefs).toEqual(route.spec.parentRefs);
    expect(run.route().spec.hostnames).toEqual(["reviews.example.com"]);
    expect(run.rule("gc-rel-default")?.backendRefs).toEqual([ref("reviews-v1", 80), ref("reviews-v2", 20)]);
    expect(gw.read(run.cluster, "reviews").object).toEqual({ kind: "HTTPRoute", name: "reviews" });
  });

  it("takeover to one version: weight 100 on its backendRef alone; an equal render writes nothing", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render(split(50, 50), true);
    run.render({ defaultRoute: { single: "v2" }, owned: [], versions: ["v2"] });
    expect(run.rule("gc-rel-default")?.backendRefs).toEqual([ref("reviews-v2", 100)]);
    expect(run.render({ defaultRoute: { single: "v2" }, owned: [], versions: ["v2"] })).toEqual([]);
  });
});

const jasonIntent = (weights: Record<string, number> = { v2: 100 }): RoutingIntent => ({
  ...split(100, 0),
  owned: [
    {
      purpose: "canary",
      match: [[{ kind: "header", name: "end-user", op: "exact", value: "jason" }]],
      weights,
      fieldPath: "traffic.match",
    },
  ],
});

describe("gateway-api backend: owned match rules", () => {
  it("header end-user=jason -> v2: a named rule before the default one, its match written out as the server stores it", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render(jasonIntent(), true);
    expect(run.route().spec.rules?.map((r) => r.name)).toEqual(["gc-rel-canary", "gc-rel-default"]);
    expect(run.rule("gc-rel-canary")).toEqual({
      name: "gc-rel-canary",
      matches: [
        { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "end-user", value: "jason" }] },
      ],
      backendRefs: [ref("reviews-v2", 100)],
    });
    expect(run.status.ownedRules).toEqual(["gc-rel-canary"]);
    expect(gw.read(run.cluster, "reviews").matchRoutes).toEqual([
      {
        name: "gc-rel-canary",
        match: 'header end-user exact "jason"',
        conditions: [[{ field: "header", name: "end-user", op: "exact", value: '"jason"' }]],
        weights: { v2: 100 },
      },
    ]);
  });

  it("cookie, uri prefix, header prefix and os presets: RegularExpression header matches (the Istio side's cookieRegex) and a PathPrefix", () => {
    const run = new GatewayRun(gatewayBookinfo());
    const match = [
      [
        { kind: "cookie" as const, name: "user", value: "jason" },
        { kind: "uri" as const, op: "prefix" as const, value: "/reviews" },
        { kind: "header" as const, name: "x-team", op: "prefix" as const, value: "qa." },
      ],
    ];
    run.render(
      { ...split(100, 0), owned: [{ purpose: "canary", match, weights: { v2: 100 }, fieldPath: "traffic.match" }] },
      true,
    );
    expect(run.rule("gc-rel-canary")?.matches).toEqual([
      {
        path: { type: "PathPrefix", value: "/reviews" },
        headers: [
          { type: "RegularExpression", name: "cookie", value: "^(.*?;\\s*)?user=jason(;.*)?$" },
          { type: "RegularExpression", name: "x-team", value: "qa\\..*" },
        ],
      },
    ]);
  });

  it("a match weight splits the matched requests between the two versions", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render(jasonIntent({ v2: 30, v1: 70 }), true);
    expect(run.rule("gc-rel-canary")?.backendRefs).toEqual([ref("reviews-v2", 30), ref("reviews-v1", 70)]);
  });

  it("refuses to create when a rule already carries an owned name", () => {
    const taken = { ...jasonRule(), name: "gc-rel-canary" };
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute([taken, allV1Rule()])));
    expect(() => run.render(jasonIntent(), true)).toThrow(/already has a rule named gc-rel-canary/);
  });

  it("dropping the owned rule (takeover) removes it and keeps the default rule", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render(jasonIntent(), true);
    run.render({ defaultRoute: { single: "v2" }, owned: [], versions: ["v2"] });
    expect(run.route().spec.rules?.map((r) => r.name)).toEqual(["gc-rel-default"]);
  });
});

describe("gateway-api backend: mirror", () => {
  it("mirror 50%: a RequestMirror filter with percent on the default rule; null removes only it", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render({ ...split(100, 0), mirror: { version: "v2", percent: 50 } }, true);
    expect(run.rule("gc-rel-default")?.filters).toEqual([
      { type: "RequestMirror", requestMirror: { backendRef: ref("reviews-v2"), percent: 50 } },
    ]);
    expect(gw.read(run.cluster, "reviews").defaultRoute?.mirror).toEqual({ subset: "v2", percent: 50 });
    run.render({ ...split(100, 0), mirror: null });
    expect(run.rule("gc-rel-default")?.filters).toBeUndefined();
  });

  it("a header filter someone set on the default rule survives setting and removing the mirror", () => {
    const def = {
      ...allV1Rule(),
      filters: [{ type: "RequestHeaderModifier", requestHeaderModifier: { add: [{ name: "x-from", value: "mesh" }] } }],
    };
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute([def])));
    run.render({ ...split(100, 0), mirror: { version: "v2", percent: 10 } }, true);
    expect(run.rule("gc-rel-default")?.filters?.map((f) => f.type)).toEqual(["RequestHeaderModifier", "RequestMirror"]);
    run.render({ ...split(100, 0), mirror: null });
    expect(run.rule("gc-rel-default")?.filters).toEqual(def.filters);
  });
});

describe("gateway-api backend: foreign rules, restore, drift", () => {
  const foreign = () =>
    ({ ...jasonRule(), "x-vendor-extension": { keep: [1, "two", { three: true }] } }) as HTTPRouteRule;
  const routeWithForeign = () => reviewsRoute([foreign(), allV1Rule()]);

  it("foreign rules survive every render byte for byte, in their place", () => {
    const run = new GatewayRun(gatewayBookinfo(routeWithForeign()));
    run.render(jasonIntent(), true);
    run.render({ ...split(20, 80), mirror: { version: "v2", percent: 50 } });
    const rules = run.route().spec.rules ?? [];
    expect(JSON.stringify(rules[0])).toBe(JSON.stringify(foreign()));
    expect(rules.map((r) => r.name)).toEqual(["jason-to-v2", "gc-rel-default"]);
  });

  it("restore gives back the route exactly as found (default rule byte for byte, unnamed again) and deletes only Services it created", () => {
    const found = routeWithForeign();
    const run = new GatewayRun(gatewayBookinfo(found, [versionService("v1"), versionService("v3")]));
    run.render(jasonIntent(), true);
    run.render({ ...split(50, 50), mirror: { version: "v2", percent: 50 } });
    // The foreign jason rule sends to reviews-v2, which the task created: it stays (removing it would break that rule).
    expect(opList(run.restore())).toEqual(["replace HTTPRoute/reviews"]);
    expect(JSON.stringify(run.route().spec)).toBe(JSON.stringify(found.spec));
    expect(run.cluster.versionServices?.map((s) => s.metadata.name)).toEqual([
      "reviews-v1",
      "reviews-v3",
      "reviews-v2",
    ]);
  });

  it("restore deletes the Services the task created that nothing routes to any more", () => {
    const found = reviewsRoute([{ ...jasonRule(), backendRefs: [ref("reviews-v3", 1)] }, allV1Rule()]);
    const run = new GatewayRun(gatewayBookinfo(found, [versionService("v1"), versionService("v3")]));
    run.render(jasonIntent(), true);
    expect(opList(run.restore())).toEqual(["replace HTTPRoute/reviews", "delete Service/reviews-v2"]);
    expect(JSON.stringify(run.route().spec)).toBe(JSON.stringify(found.spec));
    expect(run.cluster.versionServices?.map((s) => s.metadata.name)).toEqual(["reviews-v1", "reviews-v3"]);
  });

  it("restore keeps edits others made during the task, and a Service of the task someone's rule now sends to", () => {
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute(), [versionService("v1")]));
    run.render(split(80, 20), true);
    const live = clone(run.route());
    live.spec.rules = [
      { name: "qa", matches: [{ path: { type: "Exact", value: "/qa" } }], backendRefs: [ref("reviews-v2", 1)] },
      ...(live.spec.rules ?? []),
    ];
    run.cluster = { ...run.cluster, httpRoutes: [live] };
    expect(opList(run.restore())).toEqual(["replace HTTPRoute/reviews"]);
    expect(run.route().spec.rules).toEqual([live.spec.rules[0], allV1Rule()]);
  });

  it("drift: the task's rules against what it wrote; foreign rules are never drift", () => {
    const run = new GatewayRun(gatewayBookinfo(routeWithForeign()));
    run.render(split(80, 20), true);
    expect(gw.drift(run.status, run.cluster)).toBeNull();
    const foreignEdit = clone(run.route());
    (foreignEdit.spec.rules?.[0] as HTTPRouteRule).timeouts = { request: "1s" };
    expect(gw.drift(run.status, { ...run.cluster, httpRoutes: [foreignEdit] })).toBeNull();
    const ownEdit = clone(run.route());
    const def = ownEdit.spec.rules?.[1]?.backendRefs?.[1];
    if (def) def.weight = 50;
    expect(gw.drift(run.status, { ...run.cluster, httpRoutes: [ownEdit] })).toEqual([
      { path: "rules[1].backendRefs[1].weight", expected: 20, actual: 50 },
    ]);
    expect(gw.drift(run.status, { ...run.cluster, httpRoutes: [] })).toEqual([
      { path: "", expected: run.status.lastApplied, actual: null },
    ]);
  });

  it("a deleted route refuses a render (resync or abort), except for the brake (rollback)", () => {
    const run = new GatewayRun(gatewayBookinfo());
    run.render(split(80, 20), true);
    const gone = { ...run.cluster, httpRoutes: [] };
    expect(() => gw.render(split(70, 30), run.status, gone)).toThrow(/HTTPRoute reviews was deleted/);
    const brake = gw.render(split(100, 0), run.status, gone, { allowMissing: true }).writes;
    expect(opList(brake)).toEqual(["create HTTPRoute/reviews"]);
    // Written again as the task found it (its parents), with the task's default rule in it.
    const spec = (brake[0] as { object: HTTPRouteObject }).object.spec;
    expect(spec.parentRefs).toEqual(reviewsRoute().spec.parentRefs);
    expect(spec.rules).toEqual([
      { ...allV1Rule(), name: "gc-rel-default", backendRefs: [ref("reviews-v1", 100), ref("reviews-v2", 0)] },
    ]);
  });
});

describe("gateway-api backend: refusals and retire", () => {
  it("a catch-all rule to another service first makes a default rule unreachable", () => {
    const other: HTTPRouteRule = {
      matches: [{ path: { type: "PathPrefix", value: "/" } }],
      backendRefs: [ref("ratings", 1)],
    };
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute([other]), []));
    expect(() => run.render(split(80, 20), true)).toThrow(PlanError);
    expect(() => run.render(split(80, 20), true)).toThrow(/rules\[0\].*never be reached/);
  });

  it("a Service named reviews-v2 that selects other pods is refused, not reused or changed", () => {
    const wrong = versionService("v2", { app: "ratings", version: "v2" });
    const run = new GatewayRun(gatewayBookinfo(reviewsRoute(), [versionService("v1"), wrong]));
    expect(() => run.render(split(80, 20), true)).toThrow(/Service reviews-v2 selects app=ratings,version=v2/);
  });

  it("retire: the default rule on the new version only, then the base's Service goes (if the task created it)", () => {
    const run = new GatewayRun(
      gatewayBookinfo(
        reviewsRoute([
          { matches: [{ path: { type: "PathPrefix" as const, value: "/" } }], backendRefs: [ref("reviews", 1)] },
        ]),
        [],
      ),
    );
    run.render(split(50, 50), true);
    const writes = run.render({ defaultRoute: { single: "v2" }, owned: [], versions: ["v2"], removeVersion: "v1" });
    expect(opList(writes)).toEqual(["replace HTTPRoute/reviews", "delete Service/reviews-v1"]);
    expect(run.status.services).toEqual({ v2: "reviews-v2" });
  });
});
