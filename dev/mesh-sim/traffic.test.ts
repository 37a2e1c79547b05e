import { describe, expect, it } from "vitest";
import type { DestinationRule, HTTPRoute, Service, VirtualService } from "@/lib/release/types";
import { parseBehaviour, type Behaviour } from "./behaviour";
import { IstioMetricsRegistry } from "./metrics";
import { renderProductPage } from "./page";
import { compileMesh, seededRng, type MeshState, type PodGroup } from "./router";
import { makeUserHeaders, simulateUser, type SimEnv } from "./traffic";

const NS = "bookinfo";
const svc = (name: string): Service => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: NS }, spec: { selector: { app: name } } });
const dr = (host: string): DestinationRule => ({
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: host, namespace: NS },
  spec: { host, subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })) },
});
const reviewsVs = (http: HTTPRoute[]): VirtualService => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: NS },
  spec: { hosts: ["reviews"], http },
});
const pods = (app: string, version: string, ready = 1): PodGroup => ({ namespace: NS, workload: `${app}-${version}`, labels: { app, version }, ready, total: 1 });

function state(over: Partial<MeshState> = {}): MeshState {
  return {
    services: ["productpage", "details", "reviews", "ratings"].map(svc),
    destinationRules: ["productpage", "details", "reviews", "ratings"].map(dr),
    virtualServices: [],
    pods: [pods("productpage", "v1"), pods("details", "v1"), pods("reviews", "v1"), pods("reviews", "v2"), pods("reviews", "v3"), pods("ratings", "v1")],
    ...over,
  };
}

const BEHAVIOUR: Behaviour = parseBehaviour({
  services: {
    productpage: { calls: [{ service: "details", path: "/details/0" }, { service: "reviews", path: "/reviews/0" }] },
    reviews: { calls: [{ service: "ratings", path: "/ratings/0" }], versions: { v1: { calls: [] }, v3: { errorRate: 0.5 } } },
  },
});

function env(s: MeshState, seed = 1, behaviour = BEHAVIOUR): SimEnv {
  return { mesh: compileMesh(s), behaviour, rng: seededRng(seed), registry: new IstioMetricsRegistry() };
}

/** istio_requests_total by "service version code <- source" from the exposition. */
function counts(e: SimEnv): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of e.registry.exposition().split("\n")) {
    if (!line.startsWith("istio_requests_total{")) continue;
    const l = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(line)?.[1];
    out[`${l("destination_service_name")} ${l("destination_version")} ${l("response_code")} <- ${l("source_workload")}`] = Number(line.split(" ").pop());
  }
  return out;
}

describe("the Bookinfo flow", () => {
  it("each user request hits productpage, which calls details and reviews; reviews v1 does not call ratings", () => {
    const e = env(state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" } }] }])] }));
    for (let i = 0; i < 100; i++) simulateUser(e);
    expect(counts(e)).toEqual({
      "productpage v1 200 <- istio-ingressgateway": 100,
      "details v1 200 <- productpage-v1": 100,
      "reviews v1 200 <- productpage-v1": 100,
    });
  });

  it("reviews v2/v3 call ratings, and v3's error rate shows", () => {
    const e = env(state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v2" }, weight: 50 }, { destination: { host: "reviews", subset: "v3" }, weight: 50 }] }])] }));
    for (let i = 0; i < 2000; i++) simulateUser(e);
    const c = counts(e);
    expect(c["ratings v1 200 <- reviews-v2"]).toBe(c["reviews v2 200 <- productpage-v1"]);
    const v3 = (c["reviews v3 200 <- productpage-v1"] ?? 0) + (c["reviews v3 500 <- productpage-v1"] ?? 0);
    expect(c["ratings v1 200 <- reviews-v3"]).toBe(v3);
    expect((c["reviews v3 500 <- productpage-v1"] ?? 0) / v3).toBeGreaterThan(0.45);
    expect((c["reviews v3 500 <- productpage-v1"] ?? 0) / v3).toBeLessThan(0.55);
    // An upstream failure is not the caller's failure (Bookinfo degrades gracefully).
    expect(c["productpage v1 200 <- istio-ingressgateway"]).toBe(2000);
  });

  it("mirrored requests are counted in addition, and do their own upstream calls", () => {
    const e = env(state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" } }], mirror: { host: "reviews", subset: "v2" } }])] }));
    for (let i = 0; i < 50; i++) simulateUser(e);
    expect(counts(e)).toMatchObject({ "reviews v1 200 <- productpage-v1": 50, "reviews v2 200 <- productpage-v1": 50, "ratings v1 200 <- reviews-v2": 50 });
  });

  it("a subset with no Ready pod is reported as 503 under its version", () => {
    const e = env(state({ pods: [pods("productpage", "v1"), pods("details", "v1"), pods("reviews", "v1"), pods("reviews", "v2", 0)], virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v2" } }] }])] }));
    for (let i = 0; i < 10; i++) simulateUser(e);
    expect(counts(e)["reviews v2 503 <- productpage-v1"]).toBe(10);
  });

  it("a route timeout shorter than the injected delay turns into 504", () => {
    const e = env(state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" } }], fault: { delay: { fixedDelay: "2s", percentage: { value: 100 } } }, timeout: "0.5s" }])] }));
    simulateUser(e);
    expect(counts(e)["reviews v1 504 <- productpage-v1"]).toBe(1);
    expect(e.registry.exposition()).toMatch(/istio_request_duration_milliseconds_sum\{[^}]*destination_service_name="reviews"[^}]*response_code="504"[^}]*\} 500\n/);
  });

  it("nothing is counted while the cluster has no such service", () => {
    const e = env({ services: [], destinationRules: [], virtualServices: [], pods: [] });
    expect(simulateUser(e)).toBeNull();
    expect(e.registry.totalRequests).toBe(0);
  });
});

describe("synthetic users", () => {
  it("mixes jason, beta cookies, operating systems and browsers as configured", () => {
    const rng = seededRng(4);
    const n = 20_000;
    let jason = 0;
    let beta = 0;
    const os = new Set<string>();
    const browsers = new Set<string>();
    for (let i = 0; i < n; i++) {
      const h = makeUserHeaders({ jasonPercent: 10, betaCookiePercent: 20 }, rng);
      if (h["end-user"] === "jason") jason++;
      if (/^(.*?;)?(user=beta)(;.*)?$/.test(h.cookie ?? "")) beta++;
      const ua = h["user-agent"] ?? "";
      for (const o of ["Windows", "Mac OS X", "Linux", "Android", "iPhone"]) if (ua.includes(o)) os.add(o);
      for (const [name, re] of [["Chrome", /Chrome|CriOS/], ["Firefox", /Firefox|FxiOS/], ["Edge", /Edg/], ["Safari", /Version\/[\d.]+ (Mobile\/\S+ )?Safari/]] as const) if (re.test(ua)) browsers.add(name);
    }
    expect(Math.abs((jason / n) * 100 - 10)).toBeLessThan(1);
    expect(Math.abs((beta / n) * 100 - 20)).toBeLessThan(1);
    expect([...os].sort()).toEqual(["Android", "Linux", "Mac OS X", "Windows", "iPhone"]);
    expect([...browsers].sort()).toEqual(["Chrome", "Edge", "Firefox", "Safari"]);
  });
});

describe("the product page", () => {
  const page = (subset: string, user?: string) => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            { match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] },
            { route: [{ destination: { host: "reviews", subset } }] },
          ]),
        ],
      }),
      1,
      parseBehaviour({ services: { productpage: { calls: [{ service: "details" }, { service: "reviews" }] }, reviews: { calls: [{ service: "ratings" }], versions: { v1: { calls: [] } } } } }),
    );
    return renderProductPage(simulateUser(e, user ? { "end-user": user } : {}), user);
  };

  it.each([
    ["v1", undefined, "v1", "none"],
    ["v3", undefined, "v3", "red"],
    ["v1", "jason", "v2", "black"],
  ])("default route %s, user %s -> reviews %s with %s stars", (subset, user, version, stars) => {
    const html = page(subset, user);
    expect(html).toContain(`data-reviews-version="${version}"`);
    expect(html).toContain(`data-reviews-stars="${stars}"`);
    expect((html.match(/data-stars="(black|red)"/g) ?? []).length).toBe(stars === "none" ? 0 : 2);
  });

  it("says so when productpage is not in the mesh", () => {
    expect(renderProductPage(null, undefined)).toContain('data-productpage="unknown"');
  });
});
