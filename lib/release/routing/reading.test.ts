// The routing the API shows for a service, whichever router carries it.
import { describe, expect, it } from "vitest";
import { bookinfo } from "../testdata/bookinfo";
import { readServiceRouting } from "./reading";
import { gatewayBookinfo, ref, reviewsRoute } from "./testdata/bookinfo-gateway";

describe("readServiceRouting", () => {
  it("a VirtualService: Istio's reading, router istio with the VirtualService", () => {
    const r = readServiceRouting(bookinfo());
    expect(r.router).toEqual({ backend: "istio", kind: "VirtualService", name: "reviews" });
    expect(r.virtualService).toBe("reviews");
    expect(r.defaultRoute?.weights).toEqual({ v1: 100 });
  });

  it("an HTTPRoute: weights per version through the per-version Services, router gateway-api with the HTTPRoute", () => {
    const r = readServiceRouting(
      gatewayBookinfo(reviewsRoute([{ backendRefs: [ref("reviews-v1", 3), ref("reviews-v2", 1)] }])),
    );
    expect(r).toEqual({
      virtualService: null,
      defaultRoute: { weights: { v1: 75, v2: 25 } },
      matchRoutes: [],
      router: { backend: "gateway-api", kind: "HTTPRoute", name: "reviews" },
    });
  });

  it("a task on the none backend: no router object, no reading", () => {
    expect(readServiceRouting(bookinfo(), "none").router).toEqual({ backend: "none", kind: null, name: null });
  });
});
