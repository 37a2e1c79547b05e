// The planner on a service routed by a Gateway API HTTPRoute (Bookinfo's reviews as Istio's
// Gateway API samples route it): every strategy that has a router, driven through create and
// actions against the fake API server, the HTTPRoute and per-version Services read back.
import { describe, expect, it } from "vitest";
import { PlanError } from "./errors";
import { readServiceRouting } from "./routing/reading";
import {
  allV1Rule,
  gatewayBookinfo,
  jasonRule,
  ref,
  reviewsRoute,
  versionService,
} from "./routing/testdata/bookinfo-gateway";
import type { HTTPRouteObject, HTTPRouteRule } from "./routing/gateway-api-types";
import { opList } from "./testdata/apply";
import { makeSpec, Run } from "./testdata/run";

const route = (run: Run): HTTPRouteObject =>
  run.cluster.httpRoutes?.find((r) => r.metadata.name === "reviews") as HTTPRouteObject;
const rule = (run: Run, name: string): HTTPRouteRule | undefined => route(run).spec.rules?.find((r) => r.name === name);
const weights = (run: Run) => readServiceRouting(run.cluster, "gateway-api").defaultRoute?.weights;
/** Bookinfo's reviews on the Gateway API, reviews-v1 Service only (the task makes reviews-v2). */
const cluster = (rules: HTTPRouteRule[] = [allV1Rule()]) =>
  gatewayBookinfo(reviewsRoute(rules), [versionService("v1")]);

describe("canary on the gateway-api backend (detected from the HTTPRoute)", () => {
  it("create: reviews-v2's Service, its Deployment, the wait for its pods, then the HTTPRoute's weights", () => {
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 80, v2: 20 } } }), cluster());
    expect(opList(run.plan)).toEqual([
      "create Service/reviews-v2",
      "create Deployment/reviews-v2",
      "wait reviews-v2 Ready 1",
      "replace HTTPRoute/reviews",
    ]);
    expect(run.plan.status.routing).toBe("gateway-api");
    expect(weights(run)).toEqual({ v1: 80, v2: 20 });
    expect(run.plan.summary).toContain("traffic v1 80% / v2 20%");
  });

  it("setTraffic, takeover, retireOld: weights on the default rule; the retired base's Deployment goes, its Service (not the task's) stays", () => {
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } } }), cluster());
    expect(opList(run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }))).toEqual([
      "replace HTTPRoute/reviews",
    ]);
    expect(weights(run)).toEqual({ v1: 50, v2: 50 });
    run.act({ action: "takeover" });
    expect(weights(run)).toEqual({ v1: 0, v2: 100 });
    const retire = run.act({ action: "retireOld" });
    expect(opList(retire)).toEqual(["replace HTTPRoute/reviews", "drain v1 30s", "delete Deployment/reviews-v1"]);
    expect(rule(run, "gc-rel-default")?.backendRefs).toEqual([ref("reviews-v2", 100)]);
    expect(run.state).toBe("completed");
    expect(run.cluster.versionServices?.map((s) => s.metadata.name)).toEqual(["reviews-v1", "reviews-v2"]);
  });

  it("rollback, then abort: the route back byte for byte, the Service and Deployment the task made gone", () => {
    const found = reviewsRoute([jasonRule(), allV1Rule()]);
    found.spec.rules![0]!.backendRefs = [ref("reviews-v1", 1)];
    const run = new Run(
      makeSpec("canary", { traffic: { weights: { v1: 80, v2: 20 } } }),
      gatewayBookinfo(found, [versionService("v1")]),
    );
    run.act({ action: "rollback" });
    expect(weights(run)).toEqual({ v1: 100, v2: 0 });
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "replace HTTPRoute/reviews",
      "drain v2 30s",
      "delete Deployment/reviews-v2",
      "delete Service/reviews-v2",
    ]);
    expect(JSON.stringify(route(run).spec)).toBe(JSON.stringify(found.spec));
  });

  it("header end-user=jason -> v2 (content canary): a named rule before the default one", () => {
    const run = new Run(
      makeSpec("canary", { traffic: { match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] } }),
      cluster(),
    );
    expect(rule(run, "gc-rel-canary")?.matches).toEqual([
      { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "end-user", value: "jason" }] },
    ]);
    expect(route(run).spec.rules?.map((r) => r.name)).toEqual(["gc-rel-canary", "gc-rel-default"]);
    run.act({ action: "takeover" });
    expect(route(run).spec.rules?.map((r) => r.name)).toEqual(["gc-rel-default"]);
  });
});

describe("blue-green and mirror on the gateway-api backend", () => {
  it("blue-green: green at 0% with a preview header rule; switch sends everything to green", () => {
    const run = new Run(
      makeSpec("blue-green", { traffic: { previewHeader: { name: "x-preview", value: "green" } } }),
      cluster(),
    );
    expect(weights(run)).toEqual({ v1: 100, v2: 0 });
    expect(rule(run, "gc-rel-preview")?.backendRefs).toEqual([ref("reviews-v2", 100)]);
    run.act({ action: "switch" });
    expect(weights(run)).toEqual({ v1: 0, v2: 100 });
  });

  it("mirror 50%, then 10%: the RequestMirror filter's percent", () => {
    const run = new Run(makeSpec("mirror", { traffic: { mirrorPercent: 50 } }), cluster());
    expect(rule(run, "gc-rel-default")?.filters).toEqual([
      { type: "RequestMirror", requestMirror: { backendRef: ref("reviews-v2"), percent: 50 } },
    ]);
    run.act({ action: "setTraffic", mirrorPercent: 10 });
    expect(rule(run, "gc-rel-default")?.filters?.[0]?.requestMirror?.percent).toBe(10);
  });

  it("resync puts the task's rule back; acceptDrift takes the live weights", () => {
    const run = new Run(makeSpec("canary", { traffic: { weights: { v1: 80, v2: 20 } } }), cluster());
    const edited = structuredClone(route(run));
    edited.spec.rules![0]!.backendRefs = [ref("reviews-v1", 3), ref("reviews-v2", 1)];
    run.cluster = { ...run.cluster, httpRoutes: [edited] };
    run.act({ action: "resync" });
    expect(weights(run)).toEqual({ v1: 80, v2: 20 });
    run.cluster = { ...run.cluster, httpRoutes: [{ ...edited, metadata: route(run).metadata }] };
    expect(run.act({ action: "acceptDrift" }).status.weights).toEqual({ v1: 75, v2: 25 });
  });
});

describe("choosing the backend", () => {
  it("routing.backend none with a mirror: 400 on routing.backend saying what none cannot do", () => {
    let err: unknown;
    try {
      new Run(makeSpec("mirror", { traffic: { mirrorPercent: 50 }, routing: { backend: "none" } }), cluster());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).code).toBe("invalid");
    expect((err as PlanError).message).toBe(
      "routing.backend: the none routing backend cannot mirror requests; choose another backend or strategy",
    );
    expect((err as PlanError).text?.key).toBe("err.routing.unsupported");
  });

  it("routing.backend none with a header match: refused for the match; batch on none follows replicas", () => {
    const match = [{ kind: "header", name: "end-user", op: "exact", value: "jason" }];
    expect(() => new Run(makeSpec("canary", { traffic: { match }, routing: { backend: "none" } }), cluster())).toThrow(
      /cannot route requests by header/,
    );
    const batch = new Run(
      makeSpec("batch", {
        newVersion: { version: "v2", image: "x/y:2", replicas: 2 },
        batch: { groups: 2 },
        routing: { backend: "none" },
      }),
      cluster(),
    );
    expect(batch.plan.status.routing).toBe("replicas");
  });

  it("routing.backend gateway-api without the CRDs: 400 on routing.backend", () => {
    expect(
      () =>
        new Run(makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } }, routing: { backend: "gateway-api" } }), {
          ...cluster(),
          gatewayApiAvailable: false,
        }),
    ).toThrow(/routing.backend: the Gateway API CRDs/);
  });

  it("steps on an HTTPRoute-routed service: 400 on steps saying the backend does not run them yet", () => {
    let err: unknown;
    try {
      new Run(makeSpec("canary", { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }] }), cluster());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).text?.key).toBe("err.routing.stepsUnsupported");
    expect((err as PlanError).message).toMatch(/^steps: the gateway-api routing backend does not run release steps/);
  });
});
