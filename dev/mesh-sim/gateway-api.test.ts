// The simulator as a Gateway API mesh implementation: GAMMA HTTPRoutes route a Service's mesh
// traffic by the spec's precedence, weighted backendRefs and RequestMirror (Istio's Bookinfo
// Gateway API samples: per-version Services reviews-v1..v3 and HTTPRoutes attached to reviews).
import { describe, expect, it } from "vitest";
import type { HTTPRouteObject, HTTPRouteRule } from "@/lib/release/routing/gateway-api-types";
import type { HTTPRoute, Service, VirtualService } from "@/lib/release/types";
import { comparePrecedence, matchHolds, prefixMatches, selectRule, type GatewayCandidate } from "./gateway-api";
import {
  compileMesh,
  routeRequest,
  seededRng,
  versionOf,
  type MeshRequest,
  type MeshState,
  type PodGroup,
} from "./router";

const NS = "bookinfo";
const svc = (name: string, selector: Record<string, string>): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: NS },
  spec: { selector, ports: [{ port: 9080 }] },
});
const pods = (version: string, ready = 1): PodGroup => ({
  namespace: NS,
  workload: `reviews-${version}`,
  labels: { app: "reviews", version },
  ready,
  total: ready,
});
const ref = (name: string, weight?: number) => ({
  group: "",
  kind: "Service",
  name,
  port: 9080,
  ...(weight === undefined ? {} : { weight }),
});

function route(
  rules: HTTPRouteRule[],
  name = "reviews",
  created = "2026-01-01T00:00:00Z",
  parent = "reviews",
): HTTPRouteObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: NS, creationTimestamp: created },
    spec: { parentRefs: [{ group: "", kind: "Service", name: parent, port: 9080 }], rules },
  };
}

function state(httpRoutes: HTTPRouteObject[], virtualServices: VirtualService[] = []): MeshState {
  return {
    services: [
      svc("reviews", { app: "reviews" }),
      ...["v1", "v2", "v3"].map((v) => svc(`reviews-${v}`, { app: "reviews", version: v })),
    ],
    destinationRules: [],
    virtualServices,
    pods: [pods("v1", 2), pods("v2"), pods("v3")],
    httpRoutes,
  };
}
const req = (over: Partial<MeshRequest> = {}): MeshRequest => ({
  host: "reviews",
  sourceNamespace: NS,
  path: "/reviews/0",
  headers: {},
  ...over,
});

function tally(s: MeshState, n: number, r: MeshRequest = req()): Record<string, number> {
  const mesh = compileMesh(s);
  const rng = seededRng(7);
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const d = routeRequest(mesh, r, rng);
    const key =
      d.kind === "forward"
        ? versionOf(d.endpoint.labels)
        : d.kind === "local"
          ? `${d.code}${d.flags.join("")}`
          : "unknown";
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const MATCH_ALL = [{ path: { type: "PathPrefix" as const, value: "/" } }];
const jason = {
  name: "jason",
  matches: [
    {
      path: { type: "PathPrefix" as const, value: "/" },
      headers: [{ type: "Exact" as const, name: "end-user", value: "jason" }],
    },
  ],
  backendRefs: [ref("reviews-v2")],
};

describe("GAMMA HTTPRoutes route the service's mesh traffic", () => {
  it("all to v1 (route-reviews-v1.yaml), then 80/20 and 50/50 by backendRef weight", () => {
    expect(tally(state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }])]), 100)).toEqual({ v1: 100 });
    const w8020 = tally(
      state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1", 80), ref("reviews-v2", 20)] }])]),
      4000,
    );
    expect((w8020.v2 ?? 0) / 4000).toBeGreaterThan(0.17);
    expect((w8020.v2 ?? 0) / 4000).toBeLessThan(0.23);
    const w5050 = tally(
      state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1", 50), ref("reviews-v2", 50)] }])]),
      4000,
    );
    expect((w5050.v2 ?? 0) / 4000).toBeGreaterThan(0.46);
    expect((w5050.v2 ?? 0) / 4000).toBeLessThan(0.54);
  });

  it("header end-user=jason -> v2 beats the catch-all whatever the rule order (more header matches)", () => {
    const s = state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }, jason])]);
    expect(tally(s, 50, req({ headers: { "End-User": "jason" } }))).toEqual({ v2: 50 });
    expect(tally(s, 50, req({ headers: { "end-user": "maria" } }))).toEqual({ v1: 50 });
  });

  it("mirror 50%: the RequestMirror filter's percent of requests is copied to v2; the answer is v1's", () => {
    const rule: HTTPRouteRule = {
      matches: MATCH_ALL,
      backendRefs: [ref("reviews-v1", 100)],
      filters: [{ type: "RequestMirror", requestMirror: { backendRef: ref("reviews-v2"), percent: 50 } }],
    };
    const mesh = compileMesh(state([route([rule])]));
    const rng = seededRng(3);
    let mirrored = 0;
    for (let i = 0; i < 2000; i++) {
      const d = routeRequest(mesh, req(), rng);
      if (d.kind !== "forward") throw new Error("not forwarded");
      expect(versionOf(d.endpoint.labels)).toBe("v1");
      mirrored += d.mirrors.filter((m) => versionOf(m.endpoint.labels) === "v2").length;
    }
    expect(mirrored / 2000).toBeGreaterThan(0.45);
    expect(mirrored / 2000).toBeLessThan(0.55);
  });

  it("the destination is the backendRef's Service (Istio reports destination_service reviews-v2), the route the rule's name", () => {
    const d = routeRequest(compileMesh(state([route([{ ...jason, matches: MATCH_ALL }])])), req(), seededRng(1));
    expect(d.kind === "forward" && { service: d.cluster.service.name, route: d.route }).toEqual({
      service: "reviews-v2",
      route: "jason",
    });
  });

  it("no rule matches: 404 NR; a backendRef to no Service or all weights 0: 500; no Ready pod: 503 UH", () => {
    expect(
      tally(
        state([
          route([{ matches: [{ path: { type: "Exact", value: "/health" } }], backendRefs: [ref("reviews-v1")] }]),
        ]),
        3,
      ),
    ).toEqual({ "404NR": 3 });
    expect(tally(state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v9")] }])]), 3)).toEqual({ "500": 3 });
    expect(
      tally(state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1", 0), ref("reviews-v2", 0)] }])]), 3),
    ).toEqual({ "500": 3 });
    const s = { ...state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }])]), pods: [pods("v1", 0)] };
    expect(tally(s, 3)).toEqual({ "503UH": 3 });
  });

  it("an HTTPRoute of the service takes its mesh traffic from a VirtualService; a service without one keeps the VirtualService", () => {
    const vs: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews", namespace: NS },
      spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews-v3" } }] } as HTTPRoute] },
    };
    expect(tally(state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }])], [vs]), 20)).toEqual({
      v1: 20,
    });
    expect(
      tally(
        state([route([{ matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }], "other", undefined, "ratings")], [vs]),
        20,
      ),
    ).toEqual({ v3: 20 });
  });
});

describe("precedence (HTTPRouteRule.matches in the spec)", () => {
  const ctx = (path: string, headers: Record<string, string> = {}, query = "", method = "GET") => ({
    path,
    headers,
    query: new URLSearchParams(query),
    method,
  });

  it("PathPrefix matches whole path elements", () => {
    expect([
      prefixMatches("/api", "/api"),
      prefixMatches("/api", "/api/v1"),
      prefixMatches("/api/", "/api/v1"),
      prefixMatches("/api", "/apiv1"),
      prefixMatches("/", "/x"),
    ]).toEqual([true, true, true, false, true]);
  });

  it("conditions AND: path, method, headers (case-insensitive names), query params; regexes are full matches", () => {
    const m = {
      path: { type: "PathPrefix" as const, value: "/r" },
      method: "GET",
      headers: [{ type: "RegularExpression" as const, name: "Cookie", value: "^(.*?;\\s*)?user=jason(;.*)?$" }],
      queryParams: [{ name: "x", value: "1" }],
    };
    expect(matchHolds(m, ctx("/r/1", { cookie: "a=b; user=jason" }, "x=1"))).toBe(true);
    expect(matchHolds(m, ctx("/r/1", { cookie: "a=b; user=jasonx" }, "x=1"))).toBe(false);
    expect(matchHolds(m, ctx("/r/1", { cookie: "user=jason" }, "x=2"))).toBe(false);
    expect(matchHolds(m, ctx("/r/1", { cookie: "user=jason" }, "x=1", "POST"))).toBe(false);
  });

  const cand = (rule: HTTPRouteRule, r: HTTPRouteObject, ruleIndex = 0): GatewayCandidate => ({
    route: r,
    rule,
    ruleIndex,
    match: rule.matches?.[0] ?? MATCH_ALL[0]!,
    matchIndex: 0,
  });
  const r = route([]);
  it.each([
    [
      "Exact path over any prefix",
      { matches: [{ path: { type: "Exact" as const, value: "/a" } }] },
      { matches: [{ path: { type: "PathPrefix" as const, value: "/a/b/c" } }] },
    ],
    [
      "the longer prefix",
      { matches: [{ path: { type: "PathPrefix" as const, value: "/ab" } }] },
      { matches: [{ path: { type: "PathPrefix" as const, value: "/a" }, headers: [{ name: "x", value: "1" }] }] },
    ],
    [
      "a method match",
      { matches: [{ path: { type: "PathPrefix" as const, value: "/" }, method: "GET" }] },
      { matches: [{ path: { type: "PathPrefix" as const, value: "/" }, headers: [{ name: "x", value: "1" }] }] },
    ],
    [
      "more header matches",
      {
        matches: [
          {
            headers: [
              { name: "a", value: "1" },
              { name: "b", value: "2" },
            ],
          },
        ],
      },
      { matches: [{ headers: [{ name: "a", value: "1" }], queryParams: [{ name: "q", value: "1" }] }] },
    ],
    ["more query param matches", { matches: [{ queryParams: [{ name: "q", value: "1" }] }] }, { matches: MATCH_ALL }],
  ])("%s", (_what, winner: HTTPRouteRule, loser: HTTPRouteRule) => {
    expect(comparePrecedence(cand(winner, r), cand(loser, r, 1))).toBeLessThan(0);
    expect(comparePrecedence(cand(loser, r), cand(winner, r, 1))).toBeGreaterThan(0);
  });

  it("ties: the older route, then namespace/name, then the first rule in list order", () => {
    const old = route(
      [{ name: "old", matches: MATCH_ALL, backendRefs: [ref("reviews-v1")] }],
      "b",
      "2025-01-01T00:00:00Z",
    );
    const young = route(
      [{ name: "young", matches: MATCH_ALL, backendRefs: [ref("reviews-v2")] }],
      "a",
      "2026-01-01T00:00:00Z",
    );
    expect(selectRule([young, old], ctx("/"))?.rule.name).toBe("old");
    const a = route([{ name: "a", matches: MATCH_ALL }], "a");
    const b = route([{ name: "b", matches: MATCH_ALL }], "b");
    expect(selectRule([b, a], ctx("/"))?.rule.name).toBe("a");
    expect(
      selectRule(
        [
          route([
            { name: "first", matches: MATCH_ALL },
            { name: "second", matches: MATCH_ALL },
          ]),
        ],
        ctx("/"),
      )?.rule.name,
    ).toBe("first");
  });
});
