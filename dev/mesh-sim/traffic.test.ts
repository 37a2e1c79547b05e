import { describe, expect, it } from "vitest";
import type { DestinationRule, HTTPRoute, Service, VirtualService } from "@/lib/release/types";
import { parseBehaviour, type Behaviour } from "./behaviour";
import { ISTIO_LABEL_NAMES } from "./istio-labels";
import { IstioMetricsRegistry } from "./metrics";
import { renderProductPage } from "./page";
import { compileMesh, seededRng, type Gateway, type MeshState, type PodGroup } from "./router";
import {
  gatewayLoads,
  INGRESS_GATEWAY,
  ingressMode,
  loadClient,
  makeUserHeaders,
  simulateCall,
  simulateGatewayUser,
  simulateUser,
  type SimEnv,
} from "./traffic";

const NS = "bookinfo";
const svc = (name: string): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: NS },
  spec: { selector: { app: name } },
});
const dr = (host: string): DestinationRule => ({
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: host, namespace: NS },
  spec: { host, subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })) },
});
const vsFor = (
  host: string,
  http: HTTPRoute[],
  extra: Partial<VirtualService["spec"]> = {},
  name = host,
): VirtualService => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name, namespace: NS },
  spec: { hosts: [host], http, ...extra },
});
const reviewsVs = (http: HTTPRoute[]) => vsFor("reviews", http);
const pods = (app: string, version: string, ready = 1): PodGroup => ({
  namespace: NS,
  workload: `${app}-${version}`,
  labels: { app, version },
  serviceAccount: `bookinfo-${app}`,
  ready,
  total: 1,
});
const bookinfoGateway: Gateway = {
  apiVersion: "networking.istio.io/v1",
  kind: "Gateway",
  metadata: { name: "bookinfo-gateway", namespace: NS },
  spec: {
    selector: { istio: "ingressgateway" },
    servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["*"] }],
  },
};
// samples/bookinfo/networking/bookinfo-gateway.yaml
const bookinfoVs = vsFor(
  "*",
  [
    {
      match: [{ uri: { exact: "/productpage" } }],
      route: [{ destination: { host: "productpage", port: { number: 9080 } } }],
    },
  ],
  { gateways: ["bookinfo-gateway"] },
  "bookinfo",
);

function state(over: Partial<MeshState> = {}): MeshState {
  return {
    services: ["productpage", "details", "reviews", "ratings"].map(svc),
    destinationRules: ["productpage", "details", "reviews", "ratings"].map(dr),
    virtualServices: [],
    pods: [
      pods("productpage", "v1"),
      pods("details", "v1"),
      pods("reviews", "v1"),
      pods("reviews", "v2"),
      pods("reviews", "v3"),
      pods("ratings", "v1"),
    ],
    ...over,
  };
}

const BEHAVIOUR: Behaviour = parseBehaviour({
  services: {
    productpage: {
      calls: [
        { service: "details", path: "/details/0" },
        { service: "reviews", path: "/reviews/0" },
      ],
    },
    reviews: {
      calls: [{ service: "ratings", path: "/ratings/0" }],
      versions: { v1: { calls: [] }, v3: { errorRate: 0.5 } },
    },
  },
});

function env(s: MeshState, seed = 1, behaviour = BEHAVIOUR): SimEnv {
  return { mesh: compileMesh(s), behaviour, rng: seededRng(seed), registry: new IstioMetricsRegistry() };
}

type Labels = Record<string, string>;
/** Every istio_requests_total series of the exposition: its labels and value. */
function series(e: SimEnv): { labels: Labels; value: number }[] {
  const out: { labels: Labels; value: number }[] = [];
  for (const line of e.registry.exposition().split("\n")) {
    if (!line.startsWith("istio_requests_total{")) continue;
    const labels: Labels = {};
    for (const m of line.matchAll(/([a-z_]+)="([^"]*)"/g)) labels[m[1] as string] = m[2] as string;
    out.push({ labels, value: Number(line.split(" ").pop()) });
  }
  return out;
}
/** PromQL's sum by (...) over the series matching `where`. */
function sumBy(e: SimEnv, where: Labels, by: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of series(e)) {
    if (!Object.entries(where).every(([k, v]) => s.labels[k] === v)) continue;
    const key = by.map((b) => s.labels[b]).join(" ");
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}
const BY = [
  "reporter",
  "destination_service_name",
  "destination_version",
  "response_code",
  "response_flags",
  "source_workload",
];
const counts = (e: SimEnv, where: Labels = {}) => sumBy(e, where, BY);

describe("the Bookinfo flow, counted by both reporters", () => {
  it("each user request hits productpage, which calls details and reviews; reviews v1 does not call ratings", () => {
    const e = env(
      state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v1" } }] }])] }),
    );
    for (let i = 0; i < 100; i++) simulateUser(e);
    expect(counts(e)).toEqual({
      "destination productpage v1 200 - istio-ingressgateway": 100,
      "source productpage v1 200 - istio-ingressgateway": 100,
      "destination details v1 200 - productpage-v1": 100,
      "source details v1 200 - productpage-v1": 100,
      "destination reviews v1 200 - productpage-v1": 100,
      "source reviews v1 200 - productpage-v1": 100,
    });
  });

  it("reviews v2/v3 call ratings, and v3's error rate shows on both sides", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [
                { destination: { host: "reviews", subset: "v2" }, weight: 50 },
                { destination: { host: "reviews", subset: "v3" }, weight: 50 },
              ],
            },
          ]),
        ],
      }),
    );
    for (let i = 0; i < 2000; i++) simulateUser(e);
    const c = counts(e, { reporter: "destination" });
    expect(c["destination ratings v1 200 - reviews-v2"]).toBe(c["destination reviews v2 200 - productpage-v1"]);
    const v3 =
      (c["destination reviews v3 200 - productpage-v1"] ?? 0) + (c["destination reviews v3 500 - productpage-v1"] ?? 0);
    expect(c["destination ratings v1 200 - reviews-v3"]).toBe(v3);
    expect((c["destination reviews v3 500 - productpage-v1"] ?? 0) / v3).toBeGreaterThan(0.45);
    expect((c["destination reviews v3 500 - productpage-v1"] ?? 0) / v3).toBeLessThan(0.55);
    expect(counts(e, { reporter: "source" })["source reviews v3 500 - productpage-v1"]).toBe(
      c["destination reviews v3 500 - productpage-v1"],
    );
    // An upstream failure is not the caller's failure (Bookinfo degrades gracefully).
    expect(c["destination productpage v1 200 - istio-ingressgateway"]).toBe(2000);
  });

  it("every standard label is on every series", () => {
    const e = env(state());
    for (let i = 0; i < 20; i++) simulateUser(e);
    for (const s of series(e)) expect(Object.keys(s.labels).sort()).toEqual([...ISTIO_LABEL_NAMES].sort());
  });

  it('seed 001\'s query answers per version: sum by (destination_canonical_revision, destination_app) {destination_app="reviews"}', () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [
                { destination: { host: "reviews", subset: "v1" }, weight: 70 },
                { destination: { host: "reviews", subset: "v2" }, weight: 30 },
              ],
            },
          ]),
        ],
      }),
    );
    for (let i = 0; i < 1000; i++) simulateUser(e);
    const r = sumBy(e, { destination_app: "reviews" }, ["destination_canonical_revision", "destination_app"]);
    expect(Object.keys(r).sort()).toEqual(["v1 reviews", "v2 reviews"]);
    // Both reporters count each request.
    expect((r["v1 reviews"] ?? 0) + (r["v2 reviews"] ?? 0)).toBe(2000);
    expect(Math.abs((r["v2 reviews"] ?? 0) / 20 - 30)).toBeLessThanOrEqual(4);
  });

  it("mirrored requests are counted by their destination only, and do their own upstream calls", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            { route: [{ destination: { host: "reviews", subset: "v1" } }], mirror: { host: "reviews", subset: "v2" } },
          ]),
        ],
      }),
    );
    for (let i = 0; i < 50; i++) simulateUser(e);
    expect(counts(e)).toMatchObject({
      "destination reviews v1 200 - productpage-v1": 50,
      "source reviews v1 200 - productpage-v1": 50,
      "destination reviews v2 200 - productpage-v1": 50,
      "destination ratings v1 200 - reviews-v2": 50,
    });
    expect(counts(e)["source reviews v2 200 - productpage-v1"]).toBeUndefined();
  });

  it("nothing is counted while the cluster has no such service", () => {
    const e = env({ services: [], destinationRules: [], virtualServices: [], pods: [] });
    expect(simulateUser(e)).toBeNull();
    expect(e.registry.totalRequests).toBe(0);
  });
});

describe("failures that never reach a pod: reporter=source only", () => {
  it("a canary subset with no Ready pod: 503 UH from the caller, no destination report, destination labels unknown", () => {
    const e = env(
      state({
        pods: [pods("productpage", "v1"), pods("details", "v1"), pods("reviews", "v1"), pods("reviews", "v2", 0)],
        virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v2" } }] }])],
      }),
    );
    for (let i = 0; i < 10; i++) simulateUser(e);
    const uh = series(e).filter((s) => s.labels.destination_service_name === "reviews");
    expect(uh).toHaveLength(1);
    expect(uh[0]?.value).toBe(10);
    expect(uh[0]?.labels).toMatchObject({
      reporter: "source",
      response_code: "503",
      response_flags: "UH",
      destination_service: "reviews.bookinfo.svc.cluster.local",
      destination_workload: "unknown",
      destination_version: "unknown",
      destination_canonical_revision: "latest",
      source_workload: "productpage-v1",
    });
  });

  it("a fault abort: FI from the caller only, and the request is not mirrored", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              mirror: { host: "reviews", subset: "v2" },
              fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
            },
          ]),
        ],
      }),
    );
    for (let i = 0; i < 5; i++) simulateUser(e);
    expect(counts(e, { destination_service_name: "reviews" })).toEqual({
      "source reviews unknown 503 FI productpage-v1": 5,
    });
  });

  it("a fault without a percentage does nothing", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              fault: { abort: { httpStatus: 503 }, delay: { fixedDelay: "3s" } },
            },
          ]),
        ],
      }),
    );
    for (let i = 0; i < 5; i++) simulateUser(e);
    expect(counts(e, { destination_service_name: "reviews" })).toEqual({
      "destination reviews v1 200 - productpage-v1": 5,
      "source reviews v1 200 - productpage-v1": 5,
    });
  });

  it("no route matched: 404 NR, destination_service from the Host header", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              match: [{ headers: { "end-user": { exact: "jason" } } }],
              route: [{ destination: { host: "reviews", subset: "v2" } }],
            },
          ]),
        ],
      }),
    );
    simulateUser(e, { "end-user": "mike" });
    expect(sumBy(e, { response_flags: "NR" }, ["reporter", "destination_service", "response_code"])).toEqual({
      "source reviews 404": 1,
    });
  });

  it("a delay is flagged DI on the caller's report and adds to what it waited", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              fault: { delay: { fixedDelay: "2s", percentage: { value: 100 } } },
            },
          ]),
        ],
      }),
    );
    const t = simulateUser(e)!;
    expect(t.calls.find((c) => c.endpoint.service === "reviews")).toMatchObject({ code: 200, flags: ["DI"] });
    expect(counts(e, { destination_service_name: "reviews" })).toEqual({
      "destination reviews v1 200 - productpage-v1": 1,
      "source reviews v1 200 DI productpage-v1": 1,
    });
  });
});

describe("timeouts and retries", () => {
  const slow = parseBehaviour({
    services: { productpage: { calls: [{ service: "reviews" }] }, reviews: { p50Ms: 800, p99Ms: 800 } },
  });

  it("upstream slower than the route timeout: 504 UT at the caller, revision from the endpoint, no version", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v2" } }], timeout: "0.5s" }]),
        ],
      }),
      1,
      slow,
    );
    simulateUser(e);
    const ut = series(e).filter((s) => s.labels.response_flags === "UT");
    expect(ut).toHaveLength(1);
    expect(ut[0]?.labels).toMatchObject({
      reporter: "source",
      response_code: "504",
      destination_workload: "reviews-v2",
      destination_canonical_revision: "v2",
      destination_version: "unknown",
    });
    expect(e.registry.exposition()).toMatch(
      /istio_request_duration_milliseconds_sum\{[^}]*destination_service_name="reviews"[^}]*response_code="504"[^}]*\} 500\n/,
    );
    expect(
      series(e).filter((s) => s.labels.reporter === "destination" && s.labels.destination_service_name === "reviews"),
    ).toEqual([]);
  });

  it("the injected delay does not count against the route timeout (the timer starts at the router)", () => {
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              fault: { delay: { fixedDelay: "2s", percentage: { value: 100 } } },
              timeout: "1s",
            },
          ]),
        ],
      }),
    );
    simulateUser(e);
    expect(counts(e, { reporter: "source", destination_service_name: "reviews" })).toEqual({
      "source reviews v1 200 DI productpage-v1": 1,
    });
  });

  it("retries exhausted: every attempt reported by the pods, one 503 URX by the caller", () => {
    const failing = parseBehaviour({
      services: { productpage: { calls: [{ service: "reviews" }] }, reviews: { errorRate: 1, errorCode: 503 } },
    });
    const e = env(
      state({
        virtualServices: [
          reviewsVs([
            { route: [{ destination: { host: "reviews", subset: "v3" } }], retries: { attempts: 2, retryOn: "5xx" } },
          ]),
        ],
      }),
      1,
      failing,
    );
    simulateUser(e);
    expect(counts(e, { destination_service_name: "reviews" })).toEqual({
      "destination reviews v3 503 - productpage-v1": 3,
      "source reviews v3 503 URX productpage-v1": 1,
    });
  });

  it("Istio's default retry policy does not retry an answer a pod gave", () => {
    const failing = parseBehaviour({
      services: { productpage: { calls: [{ service: "reviews" }] }, reviews: { errorRate: 1, errorCode: 503 } },
    });
    const e = env(
      state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v3" } }] }])] }),
      1,
      failing,
    );
    simulateUser(e);
    expect(counts(e, { destination_service_name: "reviews" })).toEqual({
      "destination reviews v3 503 - productpage-v1": 1,
      "source reviews v3 503 - productpage-v1": 1,
    });
  });
});

describe("user traffic enters through the ingress gateway", () => {
  const canaryProductpage = vsFor("productpage", [
    {
      route: [
        { destination: { host: "productpage", subset: "v1" }, weight: 100 },
        { destination: { host: "productpage", subset: "v2" }, weight: 0 },
      ],
    },
  ]);
  const twoProductpages = (over: Partial<MeshState> = {}) =>
    state({
      pods: [pods("productpage", "v1"), pods("productpage", "v2"), pods("details", "v1"), pods("reviews", "v1")],
      ...over,
    });

  it("through the Gateway's VirtualService: the mesh VirtualService's 100/0 does not hold at the ingress", () => {
    const e = env(twoProductpages({ gateways: [bookinfoGateway], virtualServices: [bookinfoVs, canaryProductpage] }));
    expect(ingressMode(e.mesh)).toEqual({ gateways: ["bookinfo/bookinfo-gateway"], fallback: false });
    for (let i = 0; i < 1000; i++) simulateUser(e);
    const byVersion = sumBy(e, { reporter: "destination", destination_service_name: "productpage" }, [
      "destination_version",
    ]);
    expect(Math.abs((byVersion.v2 ?? 0) / 10 - 50)).toBeLessThanOrEqual(5);
    // The gateway reports as a source, like an Istio ingress gateway does.
    expect(
      sumBy(e, { reporter: "source", destination_service_name: "productpage" }, [
        "source_workload",
        "source_workload_namespace",
      ]),
    ).toEqual({ "istio-ingressgateway istio-system": 1000 });
  });

  it("weights on the gateway-bound route move ingress traffic", () => {
    const gwWeighted = vsFor(
      "*",
      [
        {
          match: [{ uri: { exact: "/productpage" } }],
          route: [
            { destination: { host: "productpage", subset: "v1" }, weight: 90 },
            { destination: { host: "productpage", subset: "v2" }, weight: 10 },
          ],
        },
      ],
      { gateways: ["bookinfo-gateway"] },
      "bookinfo",
    );
    const e = env(twoProductpages({ gateways: [bookinfoGateway], virtualServices: [gwWeighted] }));
    for (let i = 0; i < 2000; i++) simulateUser(e);
    const byVersion = sumBy(e, { reporter: "destination", destination_service_name: "productpage" }, [
      "destination_version",
    ]);
    expect(Math.abs((byVersion.v2 ?? 0) / 20 - 10)).toBeLessThanOrEqual(3);
  });

  it("without a Gateway for the ingress, user traffic falls back to mesh routing (and says so)", () => {
    const e = env(twoProductpages({ virtualServices: [canaryProductpage] }));
    expect(ingressMode(e.mesh).fallback).toBe(true);
    for (let i = 0; i < 200; i++) simulateUser(e);
    expect(
      sumBy(e, { reporter: "destination", destination_service_name: "productpage" }, ["destination_version"]),
    ).toEqual({ v1: 200 });
  });

  it("an annotated Gateway with its own host gets its own users through the same ingress; Bookinfo's keep theirs", () => {
    const shopGateway: Gateway = {
      ...bookinfoGateway,
      metadata: {
        name: "shop-gateway",
        namespace: NS,
        annotations: { "mesh-sim.gray-console.io/rps": "40", "mesh-sim.gray-console.io/path": "/productpage" },
      },
      spec: {
        ...bookinfoGateway.spec,
        servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: ["shop.example.com"] }],
      },
    };
    const to = (subset: string, weight: number) => ({
      destination: { host: "productpage", subset, port: { number: 9080 } },
      weight,
    });
    // Both are Istio's bookinfo-gateway sample VirtualService (hosts "*"), on different Gateways.
    const shopVs = vsFor(
      "*",
      [{ match: [{ uri: { exact: "/productpage" } }], route: [to("v1", 70), to("v2", 30)] }],
      { gateways: ["shop-gateway"] },
      "shop",
    );
    const bookinfoOnV1 = vsFor(
      "*",
      [{ match: [{ uri: { exact: "/productpage" } }], route: [to("v1", 100)] }],
      { gateways: ["bookinfo-gateway"] },
      "bookinfo",
    );
    const unannotated = { ...shopGateway, metadata: { name: "quiet", namespace: NS } };
    const wrongSelector = {
      ...shopGateway,
      metadata: { ...shopGateway.metadata, name: "east-west" },
      spec: { ...shopGateway.spec, selector: { istio: "eastwestgateway" } },
    };
    const loads = gatewayLoads([bookinfoGateway, shopGateway, unannotated, wrongSelector]);
    expect(loads).toEqual([
      { gateway: "bookinfo/shop-gateway", authority: "shop.example.com", path: "/productpage", rps: 40 },
    ]);
    const e = env(
      twoProductpages({ gateways: [bookinfoGateway, shopGateway], virtualServices: [bookinfoOnV1, shopVs] }),
    );
    for (let i = 0; i < 2000; i++) simulateGatewayUser(e, loads[0]!, makeUserHeaders(BEHAVIOUR.users, e.rng));
    const shop = sumBy(
      e,
      { reporter: "source", source_workload: "istio-ingressgateway", destination_service_name: "productpage" },
      ["destination_version"],
    );
    expect(Math.abs((shop.v2 ?? 0) / 20 - 30)).toBeLessThanOrEqual(4);
    const before = shop.v2 ?? 0;
    for (let i = 0; i < 500; i++) simulateUser(e);
    expect(sumBy(e, { reporter: "source", destination_service_name: "productpage" }, ["destination_version"]).v2).toBe(
      before,
    );
  });

  it("annotated direct load is mesh traffic from a client in the Service's namespace", () => {
    const e = env(
      state({ virtualServices: [reviewsVs([{ route: [{ destination: { host: "reviews", subset: "v2" } }] }])] }),
    );
    simulateCall(e, { host: "reviews.bookinfo", path: "/", headers: {} }, loadClient(NS));
    expect(
      sumBy(e, { destination_service_name: "reviews" }, ["reporter", "source_workload", "destination_version"]),
    ).toEqual({ "destination mesh-sim-client v2": 1, "source mesh-sim-client v2": 1 });
    expect(INGRESS_GATEWAY.labels.istio).toBe("ingressgateway");
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
      for (const [name, re] of [
        ["Chrome", /Chrome|CriOS/],
        ["Firefox", /Firefox|FxiOS/],
        ["Edge", /Edg/],
        ["Safari", /Version\/[\d.]+ (Mobile\/\S+ )?Safari/],
      ] as const)
        if (re.test(ua)) browsers.add(name);
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
            {
              match: [{ headers: { "end-user": { exact: "jason" } } }],
              route: [{ destination: { host: "reviews", subset: "v2" } }],
            },
            { route: [{ destination: { host: "reviews", subset } }] },
          ]),
        ],
      }),
      1,
      parseBehaviour({
        services: {
          productpage: { calls: [{ service: "details" }, { service: "reviews" }] },
          reviews: { calls: [{ service: "ratings" }], versions: { v1: { calls: [] } } },
        },
      }),
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
