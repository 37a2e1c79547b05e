// Which backend a service uses when the spec does not say, what each backend can do, and the none backend.
import { describe, expect, it } from "vitest";
import { bookinfo } from "../testdata/bookinfo";
import { featuresOf, missingFeature } from "./backend";
import { detectBackend } from "./detect";
import { GATEWAY_API_CAPABILITIES } from "./gateway-api";
import type { RoutingIntent } from "./intent";
import { noneBackend } from "./none";
import { gatewayBookinfo, ref, reviewsRoute, versionService } from "./testdata/bookinfo-gateway";

describe("detectBackend", () => {
  it.each([
    ["an HTTPRoute attached to the service (GAMMA)", gatewayBookinfo(), "gateway-api"],
    [
      "a north-south HTTPRoute sending to the service",
      gatewayBookinfo(reviewsRoute([{ backendRefs: [ref("reviews", 1)] }], [{ name: "bookinfo-gateway" }])),
      "gateway-api",
    ],
    ["a VirtualService for the service", bookinfo(), "istio"],
    ["nothing routes it yet", bookinfo({ virtualService: null }), "istio"],
    [
      "an HTTPRoute of another service only",
      gatewayBookinfo(
        reviewsRoute([{ backendRefs: [ref("ratings", 1)] }], [{ group: "", kind: "Service", name: "ratings" }]),
      ),
      "istio",
    ],
    ["HTTPRoutes listed but the Gateway API CRDs gone", { ...gatewayBookinfo(), gatewayApiAvailable: false }, "istio"],
    [
      "a per-version Service a mesh route of its service sends to (reviews-v1)",
      { ...gatewayBookinfo(), service: versionService("v1") },
      "istio",
    ],
  ] as const)("%s -> %s", (_what, cluster, backend) => {
    expect(detectBackend(cluster)).toBe(backend);
  });
});

const header = [[{ kind: "header" as const, name: "end-user", op: "exact" as const, value: "jason" }]];
const intent = (over: Partial<RoutingIntent>): RoutingIntent => ({
  defaultRoute: { weights: { v1: 100, v2: 0 } },
  owned: [],
  versions: ["v1", "v2"],
  ...over,
});

describe("featuresOf / missingFeature: what an intent needs of the router", () => {
  it.each([
    [intent({}), []],
    [intent({ defaultRoute: { weights: { v1: 80, v2: 20 } } }), ["weights"]],
    [intent({ mirror: { version: "v2", percent: 50 } }), ["mirror"]],
    [intent({ mirror: null }), []],
    [
      intent({ owned: [{ purpose: "canary", match: header, weights: { v2: 100 }, fieldPath: "traffic.match" }] }),
      ["matchHeader"],
    ],
    [
      intent({
        owned: [
          {
            purpose: "preview",
            match: [[{ kind: "cookie", name: "u", value: "j" }], [{ kind: "uri", op: "prefix", value: "/a" }]],
            weights: { v2: 100 },
            fieldPath: "traffic.previewCookie",
          },
        ],
      }),
      ["matchCookie", "matchPath"],
    ],
  ] as const)("%#", (i, features) => {
    expect(featuresOf(i)).toEqual(features);
  });

  it("none can do none of it; gateway-api all of it", () => {
    expect(missingFeature(noneBackend.capabilities, ["mirror"])).toBe("mirror");
    expect(missingFeature(noneBackend.capabilities, ["matchHeader", "mirror"])).toBe("matchHeader");
    expect(missingFeature(noneBackend.capabilities, [])).toBeNull();
    expect(
      missingFeature(GATEWAY_API_CAPABILITIES, ["weights", "mirror", "matchHeader", "matchCookie", "matchPath"]),
    ).toBeNull();
  });
});

describe("none backend", () => {
  it("writes nothing, owns nothing, reads no router", () => {
    const scope = { task: "rel", namespace: "bookinfo", service: "reviews", baseVersion: "v1", newVersion: "v2" };
    const status = noneBackend.begin(scope, bookinfo());
    expect(status).toEqual({ ...scope, backend: "none" });
    expect(noneBackend.render(intent({ defaultRoute: { weights: { v1: 50, v2: 50 } } }), status, bookinfo())).toEqual({
      writes: [],
      status,
    });
    expect(noneBackend.restore(status, bookinfo())).toEqual([]);
    expect(noneBackend.drift(status, bookinfo())).toBeNull();
    expect(noneBackend.read(bookinfo(), "reviews")).toEqual({
      backend: "none",
      object: null,
      defaultRoute: null,
      matchRoutes: [],
    });
  });
});
