import { describe, expect, it } from "vitest";
import { cleanToken, expiredRedirect, isSigninReason, safeNextPath, signinPath, signinTextOf } from "./signin";

describe("safeNextPath", () => {
  it.each([
    { raw: "/releases/abc", want: "/releases/abc" },
    { raw: "/releases?namespace=bookinfo&state=paused", want: "/releases?namespace=bookinfo&state=paused" },
    { raw: "/namespaces/bookinfo#versions", want: "/namespaces/bookinfo#versions" },
    { raw: "/", want: "/" },
    { raw: null, want: "/" },
    { raw: undefined, want: "/" },
    { raw: "", want: "/" },
    // Foreign or not a path: the home page instead.
    { raw: "//evil.example/x", want: "/" },
    { raw: "/\\evil.example", want: "/" },
    { raw: "/\t/evil.example", want: "/" },
    { raw: "/\n/evil.example", want: "/" },
    { raw: "https://evil.example/", want: "/" },
    { raw: "javascript:alert(1)", want: "/" },
    { raw: "releases", want: "/" },
    // Dot segments are resolved the way the browser would; one that rebuilds "//" is refused.
    { raw: "/a/../releases", want: "/releases" },
    { raw: "/a/../..//evil.example", want: "/" },
    // Back to the sign-in page would be a loop.
    { raw: "/signin", want: "/" },
    { raw: "/signin?reason=expired", want: "/" },
  ])("$raw -> $want", ({ raw, want }) => {
    expect(safeNextPath(raw)).toBe(want);
  });

  it("never returns something a browser would read as another host", () => {
    for (const raw of ["/a/../..//evil.example", "/%2F%2Fevil.example", "/.//evil.example", "/..//evil.example"]) {
      const out = safeNextPath(raw);
      expect(out.startsWith("/"), raw).toBe(true);
      expect(new URL(out, "https://console.example").host, raw).toBe("console.example");
    }
  });
});

describe("signinPath", () => {
  it.each([
    { opts: {}, want: "/signin" },
    {
      opts: { reason: "expired" as const, next: "/releases/abc?x=1" },
      want: "/signin?reason=expired&next=%2Freleases%2Fabc%3Fx%3D1",
    },
    { opts: { reason: "signed-out" as const }, want: "/signin?reason=signed-out" },
    {
      opts: { reason: "error" as const, message: "state mismatch" },
      want: "/signin?reason=error&message=state+mismatch",
    },
    { opts: { next: "//evil.example" }, want: "/signin" },
    { opts: { next: "/" }, want: "/signin" },
  ])("$want", ({ opts, want }) => {
    expect(signinPath(opts)).toBe(want);
  });
});

describe("a sign-in error worded from the catalog", () => {
  it("travels in the URL as key + params and comes back", () => {
    const url = new URL(
      signinPath({
        reason: "error",
        message: "your ID token names 120 groups",
        text: { key: "err.auth.tooManyGroups", params: { count: 120 } },
      }),
      "http://x.invalid",
    );
    expect(signinTextOf(url.searchParams.get("key") ?? undefined, url.searchParams.get("params") ?? undefined)).toEqual(
      { key: "err.auth.tooManyGroups", params: { count: 120 } },
    );
  });

  it("ignores what is not a catalog key or not a flat object", () => {
    expect(signinTextOf("<script>", "{}")).toBeNull();
    expect(signinTextOf("err.auth.flowExpired", "[1,2]")).toBeNull();
    expect(signinTextOf("err.auth.flowExpired", "{not json")).toBeNull();
    expect(signinTextOf("err.auth.providerError", JSON.stringify({ error: "x", nested: { a: 1 } }))).toEqual({
      key: "err.auth.providerError",
      params: { error: "x" },
    });
  });
});

describe("expiredRedirect", () => {
  it("sends the browser to the sign-in page with the way back", () => {
    expect(expiredRedirect({ pathname: "/releases/abc", search: "?tab=1" })).toBe(
      "/signin?reason=expired&next=%2Freleases%2Fabc%3Ftab%3D1",
    );
    expect(expiredRedirect({ pathname: "/", search: "" })).toBe("/signin?reason=expired");
  });

  it("stays put on the sign-in page", () => {
    expect(expiredRedirect({ pathname: "/signin", search: "?reason=expired" })).toBeNull();
  });
});

describe("isSigninReason", () => {
  it("knows the three reasons", () => {
    expect(["expired", "signed-out", "error", "other", undefined].map(isSigninReason)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("cleanToken", () => {
  it.each([
    ["eyJhbGciOi.x.y", "eyJhbGciOi.x.y"],
    ["  eyJhbGciOi.x.y\n", "eyJhbGciOi.x.y"],
    ["Bearer eyJhbGciOi.x.y", "eyJhbGciOi.x.y"],
    ["bearer   eyJ.x.y ", "eyJ.x.y"],
    ["   ", ""],
  ])("%j -> %j", (raw, want) => {
    expect(cleanToken(raw)).toBe(want);
  });
});
