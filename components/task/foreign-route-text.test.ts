import { describe, expect, it } from "vitest";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { makeTranslate } from "@/lib/i18n/format";
import type { ForeignRoute } from "@/lib/api/contracts";
import { conditionText, routeMatchText, routeSendsText, routeTitle } from "./foreign-route-text";

const t = makeTranslate(en);
const route = (over: Partial<ForeignRoute> = {}): ForeignRoute => ({
  virtualService: "reviews",
  index: 0,
  name: null,
  id: "reviews/http[0]",
  gateways: [],
  match: [[{ field: "header", name: "end-user", op: "exact", value: "jason" }]],
  destinations: [{ host: "reviews", subset: "v1", version: "v1", weight: 100 }],
  mirror: null,
  sends: true,
  ...over,
});

describe("a foreign route in words", () => {
  it("Bookinfo's jason route: position, match and destination", () => {
    expect(routeTitle(route(), t)).toBe("Route 1 of VirtualService reviews (unnamed, http[0])");
    expect(routeMatchText(route(), t)).toBe("Matches requests where header end-user equals jason.");
    expect(routeSendsText(route(), t)).toBe("Sends 100% to v1.");
  });

  it("a named gateway route with ORed alternatives, a split and a mirror", () => {
    const r = route({
      name: "internal",
      gateways: ["bookinfo-gateway", "mesh"],
      match: [
        [
          { field: "uri", name: null, op: "prefix", value: "/internal" },
          { field: "method", name: null, op: "exact", value: "GET" },
        ],
        [{ field: "query", name: "beta", op: "present", value: null }],
      ],
      destinations: [
        { host: "reviews", subset: "v1", version: "v1", weight: 30 },
        { host: "reviews", subset: "v2", version: "v2", weight: 70 },
      ],
      mirror: { host: "ratings", subset: null, version: null, percent: 5 },
    });
    expect(routeTitle(r, t)).toBe(
      "Route internal of VirtualService reviews, for requests entering through bookinfo-gateway",
    );
    expect(routeMatchText(r, t)).toBe(
      "Matches requests where the URI starts with /internal and the method equals GET; or where query parameter beta is present.",
    );
    expect(routeSendsText(r, t)).toBe("Sends 30% to v1, 70% to v2. Mirrors 5% of requests to ratings (all pods).");
  });

  it.each([
    [
      { field: "withoutHeader", name: "x-bot", op: "regex", value: "1|yes" },
      "not (header x-bot matches the regular expression 1|yes)",
    ],
    [{ field: "port", name: null, op: null, value: "9080" }, "the port is 9080"],
    [{ field: "sourceLabel", name: "app", op: "exact", value: "productpage" }, "the caller has label app=productpage"],
    [{ field: "other", name: "ignoreUriCase", op: null, value: "true" }, "ignoreUriCase is true"],
  ] as const)("%j -> %s", (c, want) => {
    expect(conditionText(c, t)).toBe(want);
  });

  it("a catch-all route of another service's subset, and the same route in Chinese", () => {
    const r = route({
      match: [],
      destinations: [{ host: "reviews.other.svc.cluster.local", subset: "v1", version: null, weight: 100 }],
    });
    expect(routeMatchText(r, t)).toBe("Matches every request.");
    expect(routeSendsText(r, t)).toBe("Sends 100% to reviews.other.svc.cluster.local (subset v1).");
    const zh = makeTranslate(zhCN);
    expect(routeMatchText(route(), zh)).toBe("匹配满足以下条件的请求：请求头 end-user 等于 jason。");
  });
});
