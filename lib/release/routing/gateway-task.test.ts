// A task's steps on the gateway-api backend: create in make-before-break order, resync and
// acceptDrift on the live HTTPRoute, abort.
import { describe, expect, it } from "vitest";
import { clone } from "../json";
import type { WriteOp } from "../ops";
import type { WaitReadyOp } from "../readiness";
import type { TaskStatus } from "../status";
import type { ServiceClusterState } from "../types";
import type { HTTPRouteObject } from "./gateway-api-types";
import {
  gatewayAbort,
  gatewayAccept,
  gatewayCreateSteps,
  gatewayDrift,
  gatewayOf,
  gatewayResync,
  renderGateway,
} from "./gateway-task";
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

function status(): TaskStatus {
  return {
    task: "rel",
    strategy: "canary",
    namespace: NS,
    service: "reviews",
    baseVersion: "v1",
    newVersion: "v2",
    baseDeployment: "reviews-v1",
    baseDeployments: ["reviews-v1"],
    newDeployment: "reviews-v2",
    routing: "istio",
    virtualServiceName: null,
    destinationRuleName: null,
    destinationHost: "reviews",
    destinationPort: null,
    subsets: {},
    weights: { v1: 80, v2: 20 },
    mirrorPercent: null,
    previewHeader: null,
    batch: null,
    ownedRoutes: [],
    replicaPool: null,
    original: { virtualService: null, destinationRule: null, baseReplicas: 1 },
    lastApplied: { virtualServiceSpec: null, destinationRuleSpec: null },
    created: { virtualService: false, destinationRule: false, deployment: true },
    takenOver: false,
  };
}
const ready: WaitReadyOp = {
  op: "waitReady",
  namespace: NS,
  deployment: "reviews-v2",
  version: "v2",
  replicas: 1,
  timeoutSeconds: 300,
};
const split = (v1: number, v2: number): RoutingIntent => ({
  defaultRoute: { weights: { v1, v2 } },
  owned: [],
  versions: ["v1", "v2"],
});
const steps = (ops: readonly { op: string; object?: { kind: string; metadata: { name: string } } }[]) =>
  ops.map((o) => (o.object ? `${o.op} ${o.object.kind}/${o.object.metadata.name}` : o.op));

function applied(cluster: ServiceClusterState, writes: readonly WriteOp[]): ServiceClusterState {
  let routes = [...(cluster.httpRoutes ?? [])];
  let services = [...(cluster.versionServices ?? [])];
  for (const w of writes) {
    if (w.op === "patchReplicas") continue;
    const name = w.object.metadata.name;
    if (w.object.kind === "HTTPRoute")
      routes = [
        ...routes.filter((r) => r.metadata.name !== name),
        ...(w.op === "delete" ? [] : [clone(w.object) as HTTPRouteObject]),
      ];
    if (w.object.kind === "Service")
      services = [
        ...services.filter((s) => s.metadata.name !== name),
        ...(w.op === "delete" ? [] : [clone(w.object) as never]),
      ];
  }
  return { ...cluster, httpRoutes: routes, versionServices: services };
}

describe("gatewayCreateSteps", () => {
  it("the new version's Service before its Deployment; the route after its pods are Ready when it sends them traffic", () => {
    const r = gatewayCreateSteps(
      split(80, 20),
      status(),
      gatewayBookinfo(reviewsRoute(), [versionService("v1")]),
      {},
      ready,
    );
    expect(steps(r.early)).toEqual(["create Service/reviews-v2"]);
    expect(steps(r.late)).toEqual(["waitReady", "replace HTTPRoute/reviews"]);
    expect(r.status.routing).toBe("gateway-api");
    expect(gatewayOf(r.status).services).toEqual({ v1: "reviews-v1", v2: "reviews-v2" });
  });

  it("no wait when nothing reaches the new version yet (weight 0); 0 replicas with traffic is refused", () => {
    expect(steps(gatewayCreateSteps(split(100, 0), status(), gatewayBookinfo(), {}, ready).late)).toEqual([
      "replace HTTPRoute/reviews",
    ]);
    expect(() => gatewayCreateSteps(split(80, 20), status(), gatewayBookinfo(), {}, { ...ready, replicas: 0 })).toThrow(
      /newVersion.replicas: is 0, but the traffic settings send requests to v2/,
    );
  });

  it("a mirror to the new version also waits for its pods", () => {
    const r = gatewayCreateSteps(
      { ...split(100, 0), mirror: { version: "v2", percent: 50 } },
      status(),
      gatewayBookinfo(),
      {},
      ready,
    );
    expect(steps(r.late)).toEqual(["waitReady", "replace HTTPRoute/reviews"]);
  });
});

describe("resync, acceptDrift, abort on the live route", () => {
  function started(found: HTTPRouteObject = reviewsRoute([jasonRule(), allV1Rule()])) {
    const cluster = gatewayBookinfo(found, [versionService("v1")]);
    const r = gatewayCreateSteps(split(80, 20), status(), cluster, {}, ready);
    return {
      s: r.status,
      cluster: applied(
        cluster,
        [...r.early, ...r.late].filter((o): o is WriteOp => o.op !== "waitReady" && o.op !== "drain"),
      ),
    };
  }

  it("resync puts the task's default rule back as applied; someone's foreign rule edit stays", () => {
    const { s, cluster } = started();
    const live = clone(cluster.httpRoutes![0]!);
    live.spec.rules![1]!.backendRefs = [ref("reviews-v1", 1)];
    live.spec.rules![0]!.timeouts = { request: "1s" };
    const edited = { ...cluster, httpRoutes: [live] };
    expect(gatewayDrift(s, edited)).toEqual([
      { path: "rules[1].backendRefs[0].weight", expected: 80, actual: 1 },
      { path: "rules[1].backendRefs[1]", expected: ref("reviews-v2", 20) },
    ]);
    const ops = gatewayResync(s, edited);
    const spec = (ops[0] as { object: HTTPRouteObject }).object.spec;
    expect(spec.rules?.[1]?.backendRefs).toEqual([ref("reviews-v1", 80), ref("reviews-v2", 20)]);
    expect(spec.rules?.[0]?.timeouts).toEqual({ request: "1s" });
    expect(gatewayResync(s, cluster)).toEqual([]);
  });

  it("resync makes a deleted route again from what the task applied", () => {
    const { s, cluster } = started();
    expect(steps(gatewayResync(s, { ...cluster, httpRoutes: [] }))).toEqual(["create HTTPRoute/reviews"]);
  });

  it("acceptDrift: the live weights (in percent of the rule) become the task's", () => {
    const { s, cluster } = started();
    const live = clone(cluster.httpRoutes![0]!);
    live.spec.rules![1]!.backendRefs = [ref("reviews-v1", 3), ref("reviews-v2", 1)];
    const accepted = gatewayAccept(s, { ...cluster, httpRoutes: [live] }, false);
    expect(accepted.weights).toEqual({ v1: 75, v2: 25 });
    expect(gatewayDrift(accepted, { ...cluster, httpRoutes: [live] })).toBeNull();
  });

  it("abort: the route as found, the task's Service of v2 gone", () => {
    const found = reviewsRoute([jasonRule(), allV1Rule()]);
    found.spec.rules![0]!.backendRefs = [ref("reviews-v1", 1)];
    const { s, cluster } = started(found);
    const r = renderGateway(split(50, 50), s, cluster);
    const after = applied(cluster, r.writes);
    const ops = gatewayAbort(r.status, after);
    expect(steps(ops)).toEqual(["replace HTTPRoute/reviews", "delete Service/reviews-v2"]);
    expect(applied(after, ops).httpRoutes?.[0]?.spec).toEqual(found.spec);
  });
});
