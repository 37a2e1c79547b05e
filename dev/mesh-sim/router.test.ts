import { describe, expect, it } from "vitest";
import type { DestinationRule, HTTPRoute, Service, VirtualService } from "@/lib/release/types";
import { hostMatches, requestHostToFqdn, resolveShortname, stripPort } from "./hosts";
import { fullMatch } from "./regex";
import {
  compileMesh,
  gatewaysSelecting,
  intersectHosts,
  matchString,
  parseDurationMs,
  retriable,
  retryPolicyOf,
  routeRequest,
  sampleFault,
  seededRng,
  versionOf,
  type Gateway,
  type MeshRequest,
  type MeshState,
  type PodGroup,
  type RouteDecision,
} from "./router";

const NS = "bookinfo";

function svc(name: string, selector: Record<string, string> | undefined = { app: name }, namespace = NS): Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { selector, ports: [{ port: 9080 }] },
  };
}
function dr(host: string, versions: string[], namespace = NS): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: host, namespace },
    spec: { host, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
  };
}
function vs(
  host: string | string[],
  http: HTTPRoute[],
  extra: Partial<VirtualService["spec"]> = {},
  name = String(host),
  created?: string,
  namespace = NS,
): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, namespace, ...(created ? { creationTimestamp: created } : {}) },
    spec: { hosts: Array.isArray(host) ? host : [host], http, ...extra },
  };
}
function gateway(
  name: string,
  hosts: string[] = ["*"],
  selector: Record<string, string> = { istio: "ingressgateway" },
  namespace = NS,
): Gateway {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name, namespace },
    spec: { selector, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts }] },
  };
}
function pods(app: string, version: string, ready: number, total = ready, namespace = NS): PodGroup {
  return {
    namespace,
    workload: `${app}-${version}`,
    labels: { app, version, "pod-template-hash": "abc" },
    ready,
    total,
  };
}
const to = (subset: string, weight?: number, host = "reviews") => ({
  destination: { host, subset },
  ...(weight !== undefined ? { weight } : {}),
});

function bookinfo(over: Partial<MeshState> = {}): MeshState {
  return {
    services: [svc("productpage"), svc("details"), svc("reviews"), svc("ratings")],
    destinationRules: [dr("reviews", ["v1", "v2", "v3"]), dr("ratings", ["v1"]), dr("productpage", ["v1", "v2"])],
    virtualServices: [],
    pods: [
      pods("productpage", "v1", 1),
      pods("details", "v1", 1),
      pods("reviews", "v1", 2),
      pods("reviews", "v2", 1),
      pods("reviews", "v3", 1),
      pods("ratings", "v1", 1),
    ],
    ...over,
  };
}
function req(over: Partial<MeshRequest> = {}): MeshRequest {
  return { host: "reviews", sourceNamespace: NS, path: "/reviews/0", headers: {}, ...over };
}

/** What a decision amounts to for the caller: the version reached, or the proxy's own answer. */
function outcome(d: RouteDecision) {
  if (d.kind === "forward")
    return {
      version: versionOf(d.endpoint.labels),
      workload: d.endpoint.workload,
      code: 200,
      flags: d.flags,
      route: d.route,
      service: d.cluster.service.name,
    };
  if (d.kind === "local")
    return {
      version: "(local)",
      workload: "unknown",
      code: d.code,
      flags: d.flags,
      route: d.route,
      service: d.service?.name ?? null,
    };
  return {
    version: "(unknown host)",
    workload: "unknown",
    code: 0,
    flags: [] as string[],
    route: undefined,
    service: null,
  };
}
const route1 = (state: MeshState, r: Partial<MeshRequest> = {}, seed = 1) =>
  outcome(routeRequest(compileMesh(state), req(r), seededRng(seed)));

/** Served versions over n requests. */
function tally(state: MeshState, n: number, r: MeshRequest = req(), seed = 42): Record<string, number> {
  const mesh = compileMesh(state);
  const rng = seededRng(seed);
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const v = outcome(routeRequest(mesh, r, rng)).version;
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

describe("hosts, as istiod reads them", () => {
  // pkg/config/model.go ResolveShortnameToFQDN: only names without dots are expanded.
  it.each([
    ["reviews", "reviews.bookinfo.svc.cluster.local"],
    ["Reviews", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.other", "reviews.other"],
    ["reviews.other.svc.cluster.local", "reviews.other.svc.cluster.local"],
    ["*", "*"],
    ["*.example.com", "*.example.com"],
  ])("config host %s in bookinfo -> %s", (host, want) => expect(resolveShortname(host, "bookinfo")).toBe(want));

  // httproute.go GenerateAltVirtualHosts: the names a sidecar answers a service under.
  it.each([
    ["reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews:9080", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.other", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other:9080", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other.svc", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other.svc.cluster.local", "bookinfo", "reviews.other.svc.cluster.local"],
    ["reviews.other.svc.cluster.local.", "bookinfo", "reviews.other.svc.cluster.local"],
  ])("Host header %s from %s -> %s", (host, ns, want) => expect(requestHostToFqdn(host, ns)).toBe(want));

  it.each([
    ["*", "anything.example.com", true],
    ["*.example.com", "bookinfo.example.com", true],
    ["*.example.com", "example.com", false],
    ["bookinfo.example.com", "bookinfo.example.com", true],
    ["bookinfo.example.com", "other.example.com", false],
  ])("%s matches %s: %s", (pattern, host, want) => expect(hostMatches(pattern, host)).toBe(want));

  it("strips ports but not IPv6 brackets", () => {
    expect(stripPort("reviews:9080")).toBe("reviews");
    expect(stripPort("[::1]:80")).toBe("[::1]");
  });

  it("a VirtualService host 'reviews.bookinfo' is not the service reviews.bookinfo.svc.cluster.local", () => {
    const state = bookinfo({ virtualServices: [vs("reviews.bookinfo", [{ route: [to("v3")] }])] });
    // "reviews" resolves to the service FQDN: no VirtualService for it, plain load balancing.
    expect(tally(state, 400).v3).toBeLessThan(400);
    // Only a caller writing exactly that name hits the VirtualService's own virtual host.
    expect(route1(state, { host: "reviews.bookinfo" }).version).toBe("v3");
  });

  it("resolves the VirtualService by FQDN whatever alternate name the caller used", () => {
    const state = bookinfo({ virtualServices: [vs("reviews.bookinfo.svc.cluster.local", [{ route: [to("v3")] }])] });
    expect(route1(state, { host: "reviews" }).version).toBe("v3");
    expect(route1(state, { host: "reviews:9080" }).version).toBe("v3");
    expect(route1(state, { host: "reviews.bookinfo", sourceNamespace: "istio-system" }).version).toBe("v3");
  });
});

describe("string matching (Envoy semantics, RE2)", () => {
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
    // RE2 inline flags (valid in Istio): case-insensitive jason.
    [{ regex: "(?i)jason" }, "JASON", true],
    [{ regex: "(?i)jason" }, "Jason", true],
    [{ regex: "jason" }, "JASON", false],
    // Not RE2: istiod refuses these, so they never match anything here either.
    [{ regex: "(?=j)jason" }, "jason", false],
    [{ regex: "(j)\\1" }, "jj", false],
    [{ regex: "([" }, "anything", false],
    [{}, "anything", true],
  ])("%j vs %s -> %s", (m, value, want) => expect(matchString(m, value)).toBe(want));

  it("fullMatch is RE2's, not JavaScript's (\\Z does not exist in RE2)", () => {
    expect(fullMatch("a\\z", "a")).toBe(true);
    expect(fullMatch("a\\Z", "a")).toBe(false);
  });

  it("routes a (?i) header match case-insensitively", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { match: [{ headers: { "end-user": { regex: "(?i)jason" } } }], route: [to("v2")] },
          { route: [to("v1")] },
        ]),
      ],
    });
    expect(route1(state, { headers: { "end-user": "JaSoN" } }).version).toBe("v2");
    expect(route1(state, { headers: { "end-user": "mike" } }).version).toBe("v1");
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

  it("no Ready pod behind the Service -> the caller's proxy answers 503 UH, naming the service", () => {
    expect(route1(bookinfo({ pods: [pods("reviews", "v1", 0, 2)] }))).toMatchObject({
      code: 503,
      flags: ["UH"],
      service: "reviews",
      workload: "unknown",
    });
  });

  it("an unknown host is nobody's: not routed, not reported", () => {
    expect(routeRequest(compileMesh(bookinfo()), req({ host: "nope" }), seededRng(1)).kind).toBe("unknown");
  });

  it("names the workload and the service of the cluster", () => {
    const d = routeRequest(compileMesh(bookinfo()), req({ host: "ratings" }), seededRng(1));
    expect(d.kind).toBe("forward");
    if (d.kind !== "forward") return;
    expect(d.cluster.service).toEqual({ host: "ratings.bookinfo.svc.cluster.local", name: "ratings", namespace: NS });
    expect(d.endpoint.workload).toBe("ratings-v1");
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
    [
      [50, 50, 0],
      [50, 50, 0],
    ],
    [
      [90, 10, 0],
      [90, 10, 0],
    ],
    [
      [0, 0, 100],
      [0, 0, 100],
    ],
    [
      [1, 1, 2],
      [25, 25, 50],
    ], // weights are relative
  ])("weights %j -> shares %j (±3)", (weights, shares) => {
    const t = tally(
      bookinfo({
        virtualServices: [
          vs("reviews", [{ route: [to("v1", weights[0]), to("v2", weights[1]), to("v3", weights[2])] }]),
        ],
      }),
      10_000,
    );
    for (const [i, v] of ["v1", "v2", "v3"].entries()) {
      expect(Math.abs((t[v] ?? 0) / 100 - (shares[i] as number))).toBeLessThanOrEqual(3);
    }
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
  const route = (r: Partial<MeshRequest>, state = bookinfo({ virtualServices: [abTest] })) => route1(state, r, 3);

  it("a header match beats a weight", () => {
    expect(route({ headers: { "end-user": "jason" } })).toMatchObject({ version: "v2", route: "jason" });
    expect(tally(bookinfo({ virtualServices: [abTest] }), 1000, req({ headers: { "end-user": "jason" } }))).toEqual({
      v2: 1000,
    });
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
    const state = bookinfo({
      virtualServices: [vs("reviews", [{ match: [{ uri }], route: [to("v2")] }, { route: [to("v1")] }])],
    });
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

  it("no route matching -> the caller's proxy answers 404 NR, no cluster", () => {
    const state = bookinfo({
      virtualServices: [vs("reviews", [{ match: [{ uri: { exact: "/x" } }], route: [to("v1")] }])],
    });
    expect(route({}, state)).toMatchObject({ code: 404, flags: ["NR"], service: null });
  });

  it("sourceLabels match the caller", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { match: [{ sourceLabels: { app: "productpage", version: "v2" } }], route: [to("v2")] },
          { route: [to("v1")] },
        ]),
      ],
    });
    expect(route({ sourceLabels: { app: "productpage", version: "v2" } }, state).version).toBe("v2");
    expect(route({ sourceLabels: { app: "productpage", version: "v1" } }, state).version).toBe("v1");
  });
});

describe("routeRequest: subsets, endpoints, local replies", () => {
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
    for (let i = 0; i < 200; i++)
      expect(outcome(routeRequest(mesh, req(), rng))).toMatchObject({
        workload: "reviews-canary",
        version: "v2",
        code: 200,
      });
  });

  it("0 Ready pods in the subset -> 503 UH from the caller's proxy for that share, the rest served", () => {
    const state = bookinfo({
      pods: [pods("reviews", "v1", 2), pods("reviews", "v2", 0, 1)],
      virtualServices: [vs("reviews", [{ route: [to("v1", 50), to("v2", 50)] }])],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(5);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const o = outcome(routeRequest(mesh, req(), rng));
      seen.add(`${o.version} ${o.code} ${o.flags.join(",")} ${o.service}`);
    }
    expect([...seen].sort()).toEqual(["(local) 503 UH reviews", "v1 200  reviews"]);
  });

  it("an undefined subset -> 503 NC (istiod built no such cluster)", () => {
    expect(route1(bookinfo({ virtualServices: [vs("reviews", [{ route: [to("v9")] }])] }))).toMatchObject({
      code: 503,
      flags: ["NC"],
      service: null,
    });
  });

  it("a destination host that is no Service -> 503 NC", () => {
    expect(
      route1(bookinfo({ virtualServices: [vs("reviews", [{ route: [{ destination: { host: "ghost" } }] }])] })),
    ).toMatchObject({ code: 503, flags: ["NC"] });
  });

  it("direct responses and redirects are answered by the proxy without flags", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { match: [{ uri: { exact: "/old" } }], redirect: { uri: "/new" } },
          { directResponse: { status: 418 } },
        ]),
      ],
    });
    expect(route1(state, { path: "/old" })).toMatchObject({ code: 301, flags: [] });
    expect(route1(state)).toMatchObject({ code: 418, flags: [] });
  });
});

describe("routeRequest: mirroring", () => {
  it("mirrors IN ADDITION to serving, never instead", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          { route: [to("v1")], mirror: { host: "reviews", subset: "v2" }, mirrorPercentage: { value: 100 } },
        ]),
      ],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(11);
    let served = 0;
    let mirrored = 0;
    for (let i = 0; i < 1000; i++) {
      const d = routeRequest(mesh, req(), rng);
      if (d.kind === "forward" && versionOf(d.endpoint.labels) === "v1") served++;
      if (d.kind === "forward") mirrored += d.mirrors.filter((m) => versionOf(m.endpoint.labels) === "v2").length;
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
      virtualServices: [
        vs("reviews", [
          {
            route: [to("v1")],
            mirror: { host: "reviews", subset: "v3" },
            ...(mirrorPercentage ? { mirrorPercentage } : {}),
          },
        ]),
      ],
    });
    const mesh = compileMesh(state);
    const rng = seededRng(13);
    let mirrored = 0;
    for (let i = 0; i < 10_000; i++) {
      const d = routeRequest(mesh, req(), rng);
      if (d.kind === "forward") mirrored += d.mirrors.length;
    }
    expect(Math.abs(mirrored / 100 - pct)).toBeLessThanOrEqual(3);
  });

  it("supports the `mirrors` list", () => {
    const d = routeRequest(
      compileMesh(
        bookinfo({
          virtualServices: [
            vs("reviews", [
              {
                route: [to("v1")],
                mirrors: [
                  { destination: { host: "reviews", subset: "v2" } },
                  { destination: { host: "reviews", subset: "v3" }, percentage: { value: 100 } },
                ],
              },
            ]),
          ],
        }),
      ),
      req(),
      seededRng(1),
    );
    expect(d.kind === "forward" ? d.mirrors.map((m) => versionOf(m.endpoint.labels)) : null).toEqual(["v2", "v3"]);
  });

  it("an aborted request is not mirrored (the fault filter answers before the router)", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          {
            route: [to("v1")],
            mirror: { host: "reviews", subset: "v2" },
            fault: { abort: { httpStatus: 503, percentage: { value: 100 } } },
          },
        ]),
      ],
    });
    const d = routeRequest(compileMesh(state), req(), seededRng(1));
    expect(d).toMatchObject({ kind: "local", code: 503, flags: ["FI"] });
    expect("mirrors" in d).toBe(false);
  });
});

describe("routeRequest: faults (istio/api HTTPFaultInjection)", () => {
  it.each([
    // "If left unspecified, no request will be delayed" / "no request will be aborted".
    [{ delay: { fixedDelay: "7s" } }, { delayMs: 0 }],
    [{ abort: { httpStatus: 500 } }, { delayMs: 0 }],
    [{ delay: { fixedDelay: "7s", percentage: { value: 100 } } }, { delayMs: 7000 }],
    [{ delay: { fixedDelay: "7s", percent: 100 } }, { delayMs: 7000 }], // the deprecated integer field
    [{ abort: { httpStatus: 500, percentage: { value: 100 } } }, { delayMs: 0, abortCode: 500 }],
    [
      {
        delay: { fixedDelay: "1s", percentage: { value: 100 } },
        abort: { httpStatus: 400, percentage: { value: 100 } },
      },
      { delayMs: 1000, abortCode: 400 },
    ],
  ])("%j -> %j", (fault, want) => expect(sampleFault(fault, seededRng(1))).toEqual(want));

  it("a percentage applies to about that share of requests", () => {
    const rng = seededRng(2);
    let aborted = 0;
    for (let i = 0; i < 10_000; i++)
      if (sampleFault({ abort: { httpStatus: 503, percentage: { value: 10 } } }, rng).abortCode) aborted++;
    expect(Math.abs(aborted / 100 - 10)).toBeLessThanOrEqual(1.5);
  });

  it("an abort is the caller's proxy's answer (FI, +DI when delayed), naming the chosen cluster", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [
          {
            match: [{ headers: { "end-user": { exact: "jason" } } }],
            fault: {
              abort: { httpStatus: 500, percentage: { value: 100 } },
              delay: { fixedDelay: "1s", percentage: { value: 100 } },
            },
            route: [to("v1")],
          },
          { fault: { delay: { fixedDelay: "7s", percentage: { value: 100 } } }, timeout: "0.5s", route: [to("v1")] },
        ]),
      ],
    });
    const mesh = compileMesh(state);
    expect(routeRequest(mesh, req({ headers: { "end-user": "jason" } }), seededRng(1))).toMatchObject({
      kind: "local",
      code: 500,
      flags: ["DI", "FI"],
      delayMs: 1000,
      service: { name: "reviews" },
    });
    expect(routeRequest(mesh, req(), seededRng(1))).toMatchObject({
      kind: "forward",
      flags: ["DI"],
      delayMs: 7000,
      timeoutMs: 500,
    });
  });

  it.each([
    ["5s", 5000],
    ["0.5s", 500],
    ["100ms", 100],
    ["2m", 120000],
    ["bogus", undefined],
  ])("duration %s -> %s ms", (s, ms) => expect(parseDurationMs(s)).toBe(ms));
});

describe("retries (istiod retry.ConvertPolicy)", () => {
  it.each([
    [undefined, { attempts: 2, codes: [], on5xx: false }], // default: never on an answer a pod gave
    [{ attempts: 0 }, null],
    [{ attempts: 3 }, { attempts: 3, on5xx: false, codes: [] }],
    [
      { attempts: 3, retryOn: "5xx" },
      { attempts: 3, on5xx: true },
    ],
    [
      { attempts: 1, retryOn: "gateway-error,connect-failure" },
      { attempts: 1, onGatewayError: true },
    ],
    [
      { attempts: 2, retryOn: "503,retriable-status-codes" },
      { attempts: 2, codes: [503] },
    ],
  ])("%j -> %j", (retries, want) => {
    const p = retryPolicyOf(retries);
    if (want === null) expect(p).toBeNull();
    else expect(p).toMatchObject(want);
  });

  it.each([
    ["5xx", 500, true],
    ["5xx", 404, false],
    ["gateway-error", 503, true],
    ["gateway-error", 500, false],
    ["503", 503, true],
    ["503", 500, false],
    ["retriable-4xx", 409, true],
  ])("retryOn %s retries %s: %s", (retryOn, code, want) =>
    expect(retriable(retryPolicyOf({ attempts: 1, retryOn })!, code)).toBe(want),
  );
});

describe("VirtualService selection: mesh vs gateways (istio/api VirtualService.gateways)", () => {
  const INGRESS = { istio: "ingressgateway", app: "istio-ingressgateway" };
  // Bookinfo's samples/bookinfo/networking/bookinfo-gateway.yaml.
  const bookinfoGatewayVs = vs(
    "*",
    [
      {
        match: [{ uri: { exact: "/productpage" } }, { uri: { prefix: "/static" } }],
        route: [{ destination: { host: "productpage", port: { number: 9080 } } }],
      },
    ],
    { gateways: ["bookinfo-gateway"] },
    "bookinfo",
  );
  const meshProductpage = vs("productpage", [{ route: [to("v2", undefined, "productpage")] }]);
  const withGateway = (over: Partial<MeshState> = {}) =>
    bookinfo({
      gateways: [gateway("bookinfo-gateway")],
      virtualServices: [bookinfoGatewayVs, meshProductpage],
      pods: [pods("productpage", "v1", 1), pods("productpage", "v2", 1), pods("reviews", "v1", 1)],
      ...over,
    });
  const ingressReq = (mesh: ReturnType<typeof compileMesh>, over: Partial<MeshRequest> = {}) =>
    req({
      host: "bookinfo.example.com",
      path: "/productpage",
      sourceNamespace: "istio-system",
      gateways: gatewaysSelecting(mesh, INGRESS),
      ...over,
    });

  it("finds the Gateways whose selector picks the ingress gateway", () => {
    const mesh = compileMesh(
      bookinfo({ gateways: [gateway("bookinfo-gateway"), gateway("internal", ["*"], { istio: "eastwestgateway" })] }),
    );
    expect(gatewaysSelecting(mesh, INGRESS)).toEqual(["bookinfo/bookinfo-gateway"]);
  });

  it("ingress traffic follows the gateway-bound VirtualService, not the mesh one (all productpage pods, not v2 only)", () => {
    const mesh = compileMesh(withGateway());
    const rng = seededRng(4);
    const seen: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const v = outcome(routeRequest(mesh, ingressReq(mesh), rng)).version;
      seen[v] = (seen[v] ?? 0) + 1;
    }
    expect(Math.abs((seen.v1 ?? 0) / 20 - 50)).toBeLessThanOrEqual(4);
    expect(Math.abs((seen.v2 ?? 0) / 20 - 50)).toBeLessThanOrEqual(4);
  });

  it("sidecar traffic to productpage follows the mesh VirtualService only", () => {
    expect(tally(withGateway(), 300, req({ host: "productpage", path: "/productpage" }))).toEqual({ v2: 300 });
  });

  it("a VirtualService bound only to a gateway does not route sidecar traffic", () => {
    const state = bookinfo({
      gateways: [gateway("bookinfo-gateway")],
      virtualServices: [vs("reviews", [{ route: [to("v3")] }], { gateways: ["bookinfo-gateway"] })],
    });
    expect(tally(state, 300).v3 ?? 0).toBeLessThan(300);
    // On a gateway the Host header must match the VirtualService host itself (no short names).
    expect(
      route1(state, { gateways: ["bookinfo/bookinfo-gateway"], host: "reviews.bookinfo.svc.cluster.local" }).version,
    ).toBe("v3");
    expect(route1(state, { gateways: ["bookinfo/bookinfo-gateway"], host: "reviews" })).toMatchObject({
      code: 404,
      flags: ["NR"],
    });
  });

  it("`mesh` among the gateways applies the same VirtualService to both", () => {
    const state = bookinfo({
      gateways: [gateway("bookinfo-gateway")],
      virtualServices: [vs("reviews", [{ route: [to("v3")] }], { gateways: ["mesh", "bookinfo-gateway"] })],
    });
    expect(route1(state).version).toBe("v3");
    expect(
      route1(state, { gateways: ["bookinfo/bookinfo-gateway"], host: "reviews.bookinfo.svc.cluster.local:80" }).version,
    ).toBe("v3");
  });

  it("a gateway reference with a namespace binds across namespaces", () => {
    const state = withGateway({
      virtualServices: [
        vs(
          "*",
          [{ route: [{ destination: { host: "productpage.bookinfo.svc.cluster.local", subset: "v2" } }] }],
          { gateways: ["bookinfo/bookinfo-gateway"] },
          "edge",
          undefined,
          "frontend",
        ),
      ],
    });
    const mesh = compileMesh(state);
    expect(outcome(routeRequest(mesh, ingressReq(mesh), seededRng(1))).version).toBe("v2");
  });

  it("a path the gateway VirtualService does not route -> 404 NR at the gateway", () => {
    const mesh = compileMesh(withGateway());
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { path: "/admin" }), seededRng(1)))).toMatchObject({
      code: 404,
      flags: ["NR"],
    });
  });

  it("a host the Gateway's servers do not expose -> 404 NR", () => {
    const mesh = compileMesh(withGateway({ gateways: [gateway("bookinfo-gateway", ["bookinfo.example.com"])] }));
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { host: "other.example.com" }), seededRng(1)))).toMatchObject({
      code: 404,
      flags: ["NR"],
    });
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { host: "bookinfo.example.com:80" }), seededRng(1))).code).toBe(
      200,
    );
  });

  it("the most specific VirtualService host wins on a gateway; same-host ones are merged oldest first", () => {
    const gw = { gateways: ["bookinfo-gateway"] };
    const state = withGateway({
      virtualServices: [
        vs("*", [{ route: [to("v1", undefined, "productpage")] }], gw, "catch-all", "2025-01-01T00:00:00Z"),
        vs(
          "bookinfo.example.com",
          [{ match: [{ uri: { prefix: "/api" } }], route: [to("v1", undefined, "productpage")] }],
          gw,
          "exact-a",
          "2025-01-02T00:00:00Z",
        ),
        vs(
          "bookinfo.example.com",
          [{ route: [to("v2", undefined, "productpage")] }],
          gw,
          "exact-b",
          "2025-01-03T00:00:00Z",
        ),
      ],
    });
    const mesh = compileMesh(state);
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { path: "/api/x" }), seededRng(1))).version).toBe("v1");
    expect(outcome(routeRequest(mesh, ingressReq(mesh), seededRng(1))).version).toBe("v2");
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { host: "other.example.com" }), seededRng(1))).version).toBe(
      "v1",
    );
  });

  it("two namespaces' `*` VirtualServices on one ingress: a Gateway with its own host serves only that host (server x VS host)", () => {
    const shop = vs(
      "*",
      [{ match: [{ uri: { exact: "/productpage" } }], route: [to("v2", undefined, "productpage")] }],
      { gateways: ["shop-gateway"] },
      "shop",
      "2025-02-01T00:00:00Z",
    );
    const state = withGateway({
      gateways: [gateway("bookinfo-gateway"), gateway("shop-gateway", ["shop.example.com"])],
      virtualServices: [bookinfoGatewayVs, shop],
    });
    const mesh = compileMesh(state);
    // The older `bookinfo` VS ("*" x "*") would win a merge; the shop host is more specific.
    expect(outcome(routeRequest(mesh, ingressReq(mesh, { host: "shop.example.com" }), seededRng(1))).version).toBe(
      "v2",
    );
    // ...and only the shop's routes serve it; bookinfo's still serve every other host.
    expect(
      outcome(routeRequest(mesh, ingressReq(mesh, { host: "shop.example.com", path: "/static/app.js" }), seededRng(1))),
    ).toMatchObject({ code: 404, flags: ["NR"] });
    expect(
      outcome(
        routeRequest(mesh, ingressReq(mesh, { host: "bookinfo.example.com", path: "/static/app.js" }), seededRng(1)),
      ).code,
    ).toBe(200);
  });

  it("intersectHosts: the more specific of the server and VirtualService hosts, null when disjoint", () => {
    expect(intersectHosts("*", "*")).toBe("*");
    expect(intersectHosts("shop.example.com", "*")).toBe("shop.example.com");
    expect(intersectHosts("*.example.com", "shop.example.com")).toBe("shop.example.com");
    expect(intersectHosts("*.example.com", "*.eu.example.com")).toBe("*.eu.example.com");
    expect(intersectHosts("shop.example.com", "bookinfo.example.com")).toBeNull();
  });

  it("on sidecars the oldest VirtualService for a host wins", () => {
    const state = bookinfo({
      virtualServices: [
        vs("reviews", [{ route: [to("v3")] }], {}, "newer", "2025-01-02T00:00:00Z"),
        vs("reviews", [{ route: [to("v2")] }], {}, "older", "2025-01-01T00:00:00Z"),
      ],
    });
    expect(route1(state).version).toBe("v2");
  });
});

describe("delegate VirtualServices (istio/api HTTPRoute.delegate)", () => {
  // Istio's own example: the root routes /productpage to delegate "productpage" in nsA.
  const root = (delegate: Record<string, string>) =>
    vs("reviews", [{ match: [{ uri: { prefix: "/reviews" } }], delegate }, { route: [to("v1")] }], {}, "root");
  const delegateVs = (namespace = NS, hosts: string[] = []): VirtualService => ({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews-delegate", namespace },
    spec: {
      hosts,
      http: [
        {
          match: [{ headers: { "end-user": { exact: "jason" } } }],
          route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v2" } }],
        },
        { route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v3" } }] },
      ],
    },
  });

  it("follows the delegate's routes where the root's match holds", () => {
    const state = bookinfo({ virtualServices: [root({ name: "reviews-delegate" }), delegateVs()] });
    expect(route1(state, { headers: { "end-user": "jason" } }).version).toBe("v2");
    expect(route1(state).version).toBe("v3");
    // Outside the root's match (/reviews), the delegate's routes do not apply.
    expect(route1(state, { path: "/other", headers: { "end-user": "jason" } }).version).toBe("v1");
  });

  it("finds the delegate in another namespace when the root names it", () => {
    const state = bookinfo({
      virtualServices: [root({ name: "reviews-delegate", namespace: "team-b" }), delegateVs("team-b")],
    });
    expect(route1(state).version).toBe("v3");
  });

  it("a delegate with hosts is not a delegate: the root route has no effect", () => {
    const state = bookinfo({
      virtualServices: [root({ name: "reviews-delegate" }), delegateVs(NS, ["elsewhere.example.com"])],
    });
    expect(route1(state).version).toBe("v1");
  });
});
