import { describe, expect, it } from "vitest";
import type { DestinationRule, HTTPRoute, Service, VirtualService } from "@/lib/release/types";
import {
  compileFullMatchRegex,
  compileMesh,
  matchString,
  parseDurationMs,
  routeRequest,
  seededRng,
  toFqdn,
  type MeshRequest,
  type MeshState,
  type PodGroup,
} from "./router";

const NS = "bookinfo";

function svc(name: string, selector: Record<string, string> | undefined = { app: name }, namespace = NS): Service {
  return { apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector, ports: [{ port: 9080 }] } };
}
function dr(host: string, versions: string[], namespace = NS): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: host, namespace },
    spec: { host, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
  };
}
function vs(host: string, http: HTTPRoute[], extra: Partial<VirtualService["spec"]> = {}, name = host, created?: string): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, namespace: NS, ...(created ? { creationTimestamp: created } : {}) },
    spec: { hosts: [host], http, ...extra },
  };
}
function pods(app: string, version: string, ready: number, total = ready, namespace = NS): PodGroup {
  return { namespace, workload: `${app}-${version}`, labels: { app, version, "pod-template-hash": "abc" }, ready, total };
}
const to = (subset: string, weight?: number) => ({ destination: { host: "reviews", subset }, ...(weight !== undefined ? { weight } : {}) });

function bookinfo(over: Partial<MeshState> = {}): MeshState {
  return {
    services: [svc("productpage"), svc("details"), svc("reviews"), svc("ratings")],
    destinationRules: [dr("reviews", ["v1", "v2", "v3"]), dr("ratings", ["v1"])],
    virtualServices: [],
    pods: [pods("productpage", "v1", 1), pods("details", "v1", 1), pods("reviews", "v1", 2), pods("reviews", "v2", 1), pods("reviews", "v3", 1), pods("ratings", "v1", 1)],
    ...over,
  };
}
function req(over: Partial<MeshRequest> = {}): MeshRequest {
  return { host: "reviews", sourceNamespace: NS, path: "/reviews/0", headers: {}, ...over };
}
/** Served versions over n requests. */
function tally(state: MeshState, n: number, r: MeshRequest = req(), seed = 42): Record<string, number> {
  const mesh = compileMesh(state);
  const rng = seededRng(seed);
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const v = routeRequest(mesh, r, rng).served.version;
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

describe("host resolution", () => {
  it.each([
    ["reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.other", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other.svc", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other.svc.cluster.local", "bookinfo", "reviews.other.svc.cluster.local"],
    ["*.example.com", "bookinfo", "*.example.com"],
    ["Reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
  ])("%s in %s -> %s", (host, ns, want) => expect(toFqdn(host, ns)).toBe(want));
});

describe("string matching (Envoy semantics)", () => {
  it.each([
    [{ exact: "jason" }, "jason", true],
    [{ exact: "jason" }, "jason2", false],
    [{ prefix: "/api" }, "/api/v1", true],
    [{ prefix: "/api" }, "/ap", false],
    // Regexes match the WHOLE value, like RE2 full match in Envoy's safe_regex.
    [{ regex: "jas" }, "jason", false],
    [{ regex: "jas.*" }, "jason", true],
    [{ regex: ".*Firefox.*" }, "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", true],
    [{ regex: "a|b" }, "ab", false],
    [{ regex: "a|b" }, "b", true],
    [{ regex: "(?i)JASON" }, "jason", true],
    [{ regex: "([" }, "anything", false],
    [{}, "anything", true],
  ])("%j vs %s -> %s", (m, value, want) => expect(matchString(m, value)).toBe(want));

  it("anchors alternations as a whole", () => {
    expect(compileFullMatchRegex("v1|v2")?.source).toBe("^(?:v1|v2)$");
  });
});

describe("routeRequest: no VirtualService", () => {
  it("spreads over the Service's Ready pods by count (replica-canary = replicas ratio)", () => {
    const state = bookinfo({ pods: [pods("reviews", "v1", 3), pods("reviews", "v2", 1)], destinationRules: [] });
    const t = tally(state, 10_000);
    expect((t.v1 ?? 0) / 100).toBeGreaterThan(72);
    expect((t.v1 ?? 0) / 100).toBeLessThan(78);
    expect((t.v2 ?? 0) / 100).toBeGreaterThan(22);
  });

  it("answers 503 when no pod behind the Service is Ready", () => {
    const mesh = compileMesh(bookinfo({ pods: [pods("reviews", "v1", 0, 2)] }));
    const d = routeRequest(mesh, req(), seededRng(1));
    expect(d.served).toMatchObject({ code: 503, version: "v1", workload: "reviews-v1", service: "reviews" });
  });

  it("answers 404 and reports nothing known for an unknown host", () => {
    const d = routeRequest(compileMesh(bookinfo()), req({ host: "nope" }), seededRng(1));
    expect(d.known).toBe(false);
    expect(d.served.code).toBe(404);
  });

  it("names the workload and the fqdn of the destination", () => {
    const d = routeRequest(compileMesh(bookinfo()), req({ host: "ratings" }), seededRng(1));
    expect(d.served).toMatchObject({ code: 200, version: "v1", workload: "ratings-v1", host: "ratings.bookinfo.svc.cluster.local", namespace: NS, app: "ratings" });
  });
});

describe("routeRequest: weighted destinations", () => {
  it("80/20 converges within ±3 pp over 10,000 requests", () => {
    const t = tally(bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v1", 80), to("v2", 20)] }])] }), 10_000);
    expect(Math.abs((t.v1 ?? 0) / 100 - 80)).toBeLessThanOrEqual(3);
    expect(Math.abs((t.v2 ?? 0) / 100 - 20)).toBeLessThanOrEqual(3);
    expect(t.v3).toBeUndefined();
  });

  it.each([
    // [weights, expected shares]
    [[50, 50, 0], [50, 50, 0]],
    [[90, 10, 0], [90, 10, 0]],
    [[0, 0, 100], [0, 0, 100]],
    [[1, 1, 2], [25, 25, 50]], // weights are relative
  ])("weights %j -> shares %j (±3)", (weights, shares) => {
    const t = tally(
      bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v1", weights[0]), to("v2", weights[1]), to("v3", weights[2])] }])] }),
      10_000,
    );
    ["v1", "v2", "v3"].forEach((v, i) => expect(Math.abs((t[v] ?? 0) / 100 - (shares[i] as number))).toBeLessThanOrEqual(3));
  });

  it("a lone destination without weight takes everything", () => {
    expect(tally(bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v2")] }])] }), 500)).toEqual({ v2: 500 });
  });

  it("is deterministic for a seed", () => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v1", 50), to("v2", 50)] }])] });
    expect(tally(state, 1000, req(), 7)).toEqual(tally(state, 1000, req(), 7));
    expect(tally(state, 1000, req(), 7)).not.toEqual(tally(state, 1000, req(), 8));
  });
});

describe("routeRequest: matches", () => {
  const abTest = vs("reviews", [
    { name: "jason", match: [{ headers: { "end-user": { exact: "jason" } } }], route: [to("v2")] },
    { name: "beta", match: [{ headers: { cookie: { regex: "^(.*?;)?(user=beta)(;.*)?$" } } }], route: [to("v3")] },
    { name: "default", route: [to("v1", 100), to("v2", 0)] },
  ]);
  const route = (r: Partial<MeshRequest>, state = bookinfo({ virtualServices: [abTest] })) =>
    routeRequest(compileMesh(state), req(r), seededRng(3)).served;

  it("a header match beats a weight", () => {
    expect(route({ headers: { "end-user": "jason" } })).toMatchObject({ version: "v2", route: "jason" });
    expect(tally(bookinfo({ virtualServices: [abTest] }), 1000, req({ headers: { "end-user": "jason" } }))).toEqual({ v2: 1000 });
  });

  it("header names match case-insensitively (they are lowercase on the wire)", () => {
    expect(route({ headers: { "End-User": "jason" } }).version).toBe("v2");
  });

  it.each([
    ["user=beta", "v3"],
    ["user=beta; session=x", "v3"],
    ["session=x;user=beta", "v3"],
    ["session=x;user=beta;theme=dark", "v3"],
    ["user=betamax", "v1"],
    ["xuser=beta", "v1"],
    ["session=x", "v1"],
  ])("cookie %s -> %s", (cookie, version) => expect(route({ headers: { cookie } }).version).toBe(version));

  it("falls through to the default route", () => {
    expect(route({ headers: { "end-user": "mike" } })).toMatchObject({ version: "v1", route: "default" });
  });

  it("needs ALL conditions of one match entry, and ANY entry", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          {
            match: [
              { uri: { prefix: "/reviews" }, headers: { "end-user": { exact: "jason" } } },
              { headers: { "x-canary": { exact: "1" } } },
            ],
            route: [to("v3")],
          },
          { route: [to("v1")] },
        ]),
      ],
    });
    expect(route({ headers: { "end-user": "jason" } }, state).version).toBe("v3");
    expect(route({ path: "/other", headers: { "end-user": "jason" } }, state).version).toBe("v1");
    expect(route({ path: "/other", headers: { "x-canary": "1" } }, state).version).toBe("v3");
    expect(route({ headers: {} }, state).version).toBe("v1");
  });

  it.each([
    [{ prefix: "/api/" }, "/api/v2/items", true],
    [{ prefix: "/api/" }, "/apix", false],
    [{ exact: "/reviews/0" }, "/reviews/0?debug=1", true], // Envoy matches the path without the query
    [{ exact: "/reviews/0" }, "/reviews/01", false],
    [{ regex: "/reviews/[0-9]+" }, "/reviews/42", true],
    [{ regex: "/reviews/[0-9]+" }, "/reviews/42/x", false],
  ])("uri %j on %s -> %s", (uri, path, hit) => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ match: [{ uri }], route: [to("v2")] }, { route: [to("v1")] }])] });
    expect(route({ path }, state).version).toBe(hit ? "v2" : "v1");
  });

  it("an empty header StringMatch means 'present'; withoutHeaders excludes", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { match: [{ headers: { "x-debug": {} } }], route: [to("v3")] },
          { match: [{ withoutHeaders: { "user-agent": { regex: ".*Firefox.*" } } }], route: [to("v2")] },
          { route: [to("v1")] },
        ]),
      ],
    });
    expect(route({ headers: { "x-debug": "" } }, state).version).toBe("v3");
    expect(route({ headers: { "user-agent": "Chrome" } }, state).version).toBe("v2");
    expect(route({ headers: { "user-agent": "Mozilla Firefox/133" } }, state).version).toBe("v1");
  });

  it("no route matching -> 404", () => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ match: [{ uri: { exact: "/x" } }], route: [to("v1")] }])] });
    expect(route({}, state).code).toBe(404);
  });

  it("sourceLabels match the caller", () => {
    const state = bookinfo({
      virtualServices: [vs("reviews", [{ match: [{ sourceLabels: { app: "productpage", version: "v2" } }], route: [to("v2")] }, { route: [to("v1")] }])],
    });
    expect(route({ sourceLabels: { app: "productpage", version: "v2" } }, state).version).toBe("v2");
    expect(route({ sourceLabels: { app: "productpage", version: "v1" } }, state).version).toBe("v1");
  });
});

describe("routeRequest: subsets and pods", () => {
  it("a subset's labels pick the right pods (and workload)", () => {
    const state = bookinfo({
      pods: [
        { namespace: NS, workload: "reviews-stable", labels: { app: "reviews", version: "v1" }, ready: 5, total: 5 },
        { namespace: NS, workload: "reviews-canary", labels: { app: "reviews", version: "v2" }, ready: 1, total: 1 },
        // Same version label but another app: the Service selector must keep it out.
        { namespace: NS, workload: "ratings-v2", labels: { app: "ratings", version: "v2" }, ready: 9, total: 9 },
        // Same labels in another namespace: not behind this Service.
        { namespace: "other", workload: "reviews-v2", labels: { app: "reviews", version: "v2" }, ready: 9, total: 9 },
      ],
      virtualServices: [vs("reviews", [{ route: [to("v2")] }])],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(9);
    for (let i = 0; i < 200; i++) expect(routeRequest(mesh, req(), rng).served).toMatchObject({ workload: "reviews-canary", version: "v2", code: 200 });
  });

  it("0 Ready pods in the subset -> 503 under the subset's version", () => {
    const state = bookinfo({
      pods: [pods("reviews", "v1", 2), pods("reviews", "v2", 0, 1)],
      virtualServices: [vs("reviews", [{ route: [to("v1", 50), to("v2", 50)] }])],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(5);
    const codes: Record<string, Set<number>> = {};
    for (let i = 0; i < 500; i++) {
      const s = routeRequest(mesh, req(), rng).served;
      (codes[s.version] ??= new Set()).add(s.code);
    }
    expect([...(codes.v1 ?? [])]).toEqual([200]);
    expect([...(codes.v2 ?? [])]).toEqual([503]);
  });

  it("a subset with no pods at all still reports its version label", () => {
    const state = bookinfo({ pods: [pods("reviews", "v1", 1)], virtualServices: [vs("reviews", [{ route: [to("v3")] }])] });
    expect(routeRequest(compileMesh(state), req(), seededRng(1)).served).toMatchObject({ code: 503, version: "v3", workload: "unknown" });
  });

  it("an undefined subset -> 503", () => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v9")] }])] });
    expect(routeRequest(compileMesh(state), req(), seededRng(1)).served.code).toBe(503);
  });

  it("a destination host that is no Service -> 503", () => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ route: [{ destination: { host: "ghost" } }] }])] });
    expect(routeRequest(compileMesh(state), req(), seededRng(1)).served).toMatchObject({ code: 503, service: "ghost" });
  });
});

describe("routeRequest: mirroring", () => {
  it("counts mirrored traffic IN ADDITION to served traffic, never replacing it", () => {
    const state = bookinfo({
      virtualServices: [vs("reviews", [{ route: [to("v1")], mirror: { host: "reviews", subset: "v2" }, mirrorPercentage: { value: 100 } }])],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(11);
    let served = 0;
    let mirrored = 0;
    for (let i = 0; i < 1000; i++) {
      const d = routeRequest(mesh, req(), rng);
      if (d.served.version === "v1" && d.served.code === 200) served++;
      mirrored += d.mirrored.filter((m) => m.version === "v2").length;
    }
    expect(served).toBe(1000);
    expect(mirrored).toBe(1000);
  });

  it.each([
    [undefined, 100],
    [{ value: 100 }, 100],
    [{ value: 25 }, 25],
    [{ value: 0 }, 0],
  ])("mirrorPercentage %j -> about %s percent shadowed", (mirrorPercentage, pct) => {
    const state = bookinfo({
      virtualServices: [vs("reviews", [{ route: [to("v1")], mirror: { host: "reviews", subset: "v3" }, ...(mirrorPercentage ? { mirrorPercentage } : {}) }])],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(13);
    let mirrored = 0;
    for (let i = 0; i < 10_000; i++) mirrored += routeRequest(mesh, req(), rng).mirrored.length;
    expect(Math.abs(mirrored / 100 - pct)).toBeLessThanOrEqual(3);
  });

  it("supports the `mirrors` list", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [{ route: [to("v1")], mirrors: [{ destination: { host: "reviews", subset: "v2" } }, { destination: { host: "reviews", subset: "v3" }, percentage: { value: 100 } }] }]),
      ],
    });
    const d = routeRequest(compileMesh(state), req(), seededRng(1));
    expect(d.served.version).toBe("v1");
    expect(d.mirrored.map((m) => m.version)).toEqual(["v2", "v3"]);
  });
});

describe("routeRequest: VirtualService selection, faults, timeouts", () => {
  it("the oldest VirtualService for a host wins", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [{ route: [to("v3")] }], {}, "newer", "2025-01-02T00:00:00Z"),
        vs("reviews", [{ route: [to("v2")] }], {}, "older", "2025-01-01T00:00:00Z"),
      ],
    });
    expect(routeRequest(compileMesh(state), req(), seededRng(1)).served.version).toBe("v2");
  });

  it("a VirtualService bound only to a gateway does not route sidecar traffic", () => {
    const state = bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v3")] }], { gateways: ["bookinfo-gateway"] })] });
    expect(routeRequest(compileMesh(state), req(), seededRng(1)).served.version).not.toBe("v3");
    expect(routeRequest(compileMesh(state), req({ gateway: "bookinfo/bookinfo-gateway" }), seededRng(1)).served.version).toBe("v3");
  });

  it("resolves the VS by fqdn whatever host form the caller used", () => {
    const state = bookinfo({ virtualServices: [vs("reviews.bookinfo.svc.cluster.local", [{ route: [to("v3")] }])] });
    expect(routeRequest(compileMesh(state), req({ host: "reviews" }), seededRng(1)).served.version).toBe("v3");
    expect(routeRequest(compileMesh(state), req({ host: "reviews.bookinfo", sourceNamespace: "istio-system" }), seededRng(1)).served.version).toBe("v3");
  });

  it("fault abort answers the configured status; delay and timeout are handed back", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { match: [{ headers: { "end-user": { exact: "jason" } } }], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } }, route: [to("v1")] },
          { fault: { delay: { fixedDelay: "7s", percentage: { value: 100 } } }, timeout: "0.5s", route: [to("v1")] },
        ]),
      ],
    });
    const mesh = compileMesh(state);
    expect(routeRequest(mesh, req({ headers: { "end-user": "jason" } }), seededRng(1)).served).toMatchObject({ code: 500, aborted: true });
    expect(routeRequest(mesh, req(), seededRng(1)).served).toMatchObject({ code: 200, delayMs: 7000, timeoutMs: 500 });
  });

  it.each([
    ["5s", 5000],
    ["0.5s", 500],
    ["100ms", 100],
    ["2m", 120000],
    ["bogus", undefined],
  ])("duration %s -> %s ms", (s, ms) => expect(parseDurationMs(s)).toBe(ms));
});
