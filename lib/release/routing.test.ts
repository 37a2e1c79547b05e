import { describe, expect, it } from "vitest";
import {
  describeMatch,
  findDefaultRoute,
  groupVersions,
  hostMatchesService,
  matchConditions,
  readRouting,
  type RoutingReading,
} from "./routing";

/** A reading without the match conditions (data for the UI), which the English `match` restates; they are checked once below. */
function withoutConditions(r: RoutingReading) {
  return { ...r, matchRoutes: r.matchRoutes.map(({ conditions: _c, ...m }) => m) };
}
import {
  bookinfo,
  NS,
  reviewsDeployment,
  vs5050,
  vs8020,
  vsAllV1,
  vsBusy,
  vsJason,
  vsMirror,
} from "./testdata/bookinfo";
import type { VirtualService } from "./types";

describe("readRouting", () => {
  it.each([
    ["all-v1 (single destination without weight = 100)", vsAllV1(), { weights: { v1: 100 } }, []],
    ["reviews 80-20", vs8020(), { weights: { v1: 80, v2: 20 } }, []],
    ["reviews 50-50 (v1/v3)", vs5050(), { weights: { v1: 50, v3: 50 } }, []],
    [
      "jason -> v2, everyone else v1",
      vsJason(),
      { weights: { v1: 100 } },
      [{ match: 'header end-user exact "jason"', weights: { v2: 100 } }],
    ],
    ["mirroring 50% to v2", vsMirror(), { weights: { v1: 100 }, mirror: { subset: "v2", percent: 50 } }, []],
    [
      "someone else's busy VS (FQDN hosts, port selectors)",
      vsBusy(),
      { weights: { v1: 100 } },
      [
        { name: "qa", match: 'header x-qa exact "yes"', weights: { v1: 100 } },
        { name: "legacy-api", match: 'uri prefix "/legacy"', weights: { v1: 100 } },
      ],
    ],
  ])("%s", (_label, vs, defaultRoute, matchRoutes) => {
    expect(withoutConditions(readRouting(vs, "reviews", NS))).toEqual({
      virtualService: "reviews",
      defaultRoute,
      matchRoutes,
    });
  });

  it("reads subsets as the versions they select when given the DestinationRule", () => {
    const vs: VirtualService = {
      ...vsAllV1(),
      spec: {
        hosts: ["reviews"],
        http: [
          {
            match: [{ headers: { a: { exact: "1" } } }],
            route: [{ destination: { host: "reviews", subset: "v2-1" } }],
          },
          {
            route: [
              { destination: { host: "reviews", subset: "v1-0" }, weight: 90 },
              { destination: { host: "reviews", subset: "v2-1" }, weight: 10 },
            ],
            mirror: { host: "reviews", subset: "v2-1" },
          },
        ],
      },
    };
    const dr = bookinfo().destinationRule;
    if (!dr) throw new Error("fixture");
    dr.spec.subsets = [
      { name: "v1-0", labels: { version: "v1.0" } },
      { name: "v2-1", labels: { version: "v2.1" } },
    ];
    expect(withoutConditions(readRouting(vs, "reviews", NS, dr))).toEqual({
      virtualService: "reviews",
      defaultRoute: { weights: { "v1.0": 90, "v2.1": 10 }, mirror: { subset: "v2.1", percent: 100 } },
      matchRoutes: [{ match: 'header a exact "1"', weights: { "v2.1": 100 } }],
    });
    // Without it, subset names as written.
    expect(readRouting(vs, "reviews", NS).defaultRoute?.weights).toEqual({ "v1-0": 90, "v2-1": 10 });
  });

  it("reports no VirtualService", () => {
    expect(readRouting(null, "reviews", NS)).toEqual({
      virtualService: null,
      defaultRoute: null,
      matchRoutes: [],
      note: "no VirtualService",
    });
  });

  it("mirror without mirrorPercentage mirrors 100%", () => {
    const vs = vsMirror();
    delete vs.spec.http?.[0]?.mirrorPercentage;
    expect(readRouting(vs, "reviews", NS).defaultRoute?.mirror).toEqual({ subset: "v2", percent: 100 });
  });

  it("summarises multi-entry matches (OR) and other-host destinations", () => {
    const vs: VirtualService = {
      ...vsAllV1(),
      spec: {
        hosts: ["reviews"],
        http: [
          {
            match: [
              { headers: { a: { exact: "1" } }, uri: { prefix: "/x" } },
              { queryParams: { q: { regex: "y.*" } } },
            ],
            route: [{ destination: { host: "ratings", subset: "v1" } }],
          },
          { route: [{ destination: { host: "reviews" } }] },
        ],
      },
    };
    expect(withoutConditions(readRouting(vs, "reviews", NS))).toEqual({
      virtualService: "reviews",
      defaultRoute: { weights: { "*": 100 } },
      matchRoutes: [
        { match: 'header a exact "1" AND uri prefix "/x" OR query q regex "y.*"', weights: { "ratings/v1": 100 } },
      ],
    });
  });
});

describe("findDefaultRoute", () => {
  const route = (host: string, match?: unknown[]) => ({
    ...(match ? { match } : {}),
    route: [{ destination: { host, subset: "v1" } }],
  });
  const vsOf = (http: unknown[]) => ({ ...vsAllV1(), spec: { hosts: ["reviews"], http } }) as VirtualService;
  it.each([
    ["single route", [route("reviews")], 0],
    ["the LAST catch-all wins", [route("reviews"), route("reviews")], 1],
    ["match routes are skipped", [route("reviews"), route("reviews", [{ uri: { prefix: "/" } }])], 0],
    ["empty match objects count as catch-all", [route("reviews", [{}])], 0],
    ["FQDN host", [route("reviews.bookinfo.svc.cluster.local")], 0],
    ["name.ns host", [route("reviews.bookinfo")], 0],
    ["another namespace's reviews is not ours", [route("reviews.other.svc.cluster.local")], -1],
    ["another service", [route("ratings")], -1],
    ["no http", [], -1],
  ])("%s", (_label, http, expected) => {
    expect(findDefaultRoute(vsOf(http), "reviews", NS)).toBe(expected);
  });
  it("hostMatchesService", () => {
    expect(hostMatchesService("reviews.bookinfo.svc", "reviews", NS)).toBe(true);
    expect(hostMatchesService("reviewsx", "reviews", NS)).toBe(false);
  });
});

describe("groupVersions", () => {
  it("groups by pod-template version label, sums replicas, skips other apps", () => {
    const v1a = reviewsDeployment("v1", { replicas: 2, ready: 1 });
    const v1b = reviewsDeployment("v1", { replicas: 1, ready: 1, name: "reviews-v1-extra" });
    const v2 = reviewsDeployment("v2", { replicas: 3, ready: 0 });
    const unlabelled = reviewsDeployment("v9", { name: "reviews-plain" });
    delete unlabelled.spec.template.metadata?.labels?.version;
    const other = reviewsDeployment("v1", { name: "ratings-v1" });
    other.spec.template.metadata = { labels: { app: "ratings", version: "v1" } };
    const notReplicated = reviewsDeployment("v10");
    delete notReplicated.spec.replicas;
    delete notReplicated.status;
    expect(groupVersions([v2, v1b, v1a, unlabelled, other, notReplicated], "reviews")).toEqual([
      {
        version: "unversioned",
        deployments: ["reviews-plain"],
        image: "docker.io/istio/examples-bookinfo-reviews-v9:1.20.2",
        replicas: { ready: 1, desired: 1 },
      },
      {
        version: "v1",
        deployments: ["reviews-v1", "reviews-v1-extra"],
        image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.2",
        replicas: { ready: 2, desired: 3 },
      },
      {
        version: "v2",
        deployments: ["reviews-v2"],
        image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2",
        replicas: { ready: 0, desired: 3 },
      },
      {
        version: "v10",
        deployments: ["reviews-v10"],
        image: "docker.io/istio/examples-bookinfo-reviews-v10:1.20.2",
        replicas: { ready: 0, desired: 1 },
      },
    ]);
  });
  it("reads the Bookinfo fixture", () => {
    expect(groupVersions(bookinfo().deployments, "reviews").map((g) => g.version)).toEqual(["v1"]);
  });
});

describe("matchConditions", () => {
  it("restates a match as ORed lists of ANDed conditions, values as JSON", () => {
    const match = [
      { headers: { "end-user": { exact: "jason" }, "x-any": {} } },
      { uri: { prefix: "/api" }, method: { regex: "GET|HEAD" } },
    ];
    expect(matchConditions(match)).toEqual([
      [
        { field: "header", name: "end-user", op: "exact", value: '"jason"' },
        { field: "header", name: "x-any", op: "present" },
      ],
      [
        { field: "uri", op: "prefix", value: '"/api"' },
        { field: "method", op: "regex", value: '"GET|HEAD"' },
      ],
    ]);
    expect(describeMatch(match)).toBe(
      'header end-user exact "jason" AND header x-any present OR uri prefix "/api" AND method regex "GET|HEAD"',
    );
  });

  it("no match is no condition (any request)", () => {
    expect(matchConditions(undefined)).toEqual([]);
  });
});
