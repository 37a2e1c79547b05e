import { describe, expect, it } from "vitest";
import { previewHeaderSuggestions } from "./preview-headers";

const BOOKINFO_REVIEWS = [
  "docker.io/istio/examples-bookinfo-reviews-v1:1.20.2",
  "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2",
];

describe("previewHeaderSuggestions", () => {
  it("Bookinfo's reviews: end-user first, the header productpage forwards, then the common ones", () => {
    const got = previewHeaderSuggestions("reviews", BOOKINFO_REVIEWS);
    expect(got[0]).toEqual({ name: "end-user", value: "jason", forwardedBy: "Bookinfo" });
    expect(got.map((h) => h.name)).toEqual(["end-user", "x-preview", "baggage", "user-agent"]);
  });

  it("Bookinfo's ratings (behind reviews) gets end-user first too", () => {
    expect(previewHeaderSuggestions("ratings", ["docker.io/istio/examples-bookinfo-ratings-v1:1.20.2"])[0]?.name).toBe(
      "end-user",
    );
  });

  it("a service named reviews that is not Bookinfo gets only the commonly propagated headers, x-preview first", () => {
    const got = previewHeaderSuggestions("reviews", ["registry.example.com/shop/reviews:4.2"]);
    expect(got.map((h) => h.name)).toEqual(["x-preview", "baggage", "user-agent"]);
    expect(got.every((h) => h.forwardedBy === undefined)).toBe(true);
  });

  it("Bookinfo's productpage (the first hop, called by the gateway) is not told about end-user", () => {
    expect(
      previewHeaderSuggestions("productpage", ["docker.io/istio/examples-bookinfo-productpage-v1:1.20.2"])[0]?.name,
    ).toBe("x-preview");
  });

  it("suggests each header name once", () => {
    const names = previewHeaderSuggestions("reviews", BOOKINFO_REVIEWS).map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
