import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { userFromClaims } from "./oidc";

const oidcEnv = (extra: Record<string, string> = {}) =>
  parseEnv({
    GC_AUTH: "oidc",
    GC_OIDC_ISSUER: "http://127.0.0.1:5556",
    GC_OIDC_CLIENT_ID: "c",
    GC_OIDC_CLIENT_SECRET: "s",
    ...extra,
  });
const claims = { sub: "1786215d", email: "alice@example.test", groups: ["gc-admins", "bookinfo-operators"] };

describe("the user an ID token names (as kube-apiserver's --oidc-* flags would)", () => {
  it("takes sub and groups by default, unprefixed", () => {
    expect(userFromClaims(claims, oidcEnv())).toEqual({
      name: "1786215d",
      groups: ["gc-admins", "bookinfo-operators"],
    });
  });

  it("takes the configured claims and puts the prefixes before user and groups", () => {
    const e = oidcEnv({ GC_OIDC_USERNAME_CLAIM: "email", GC_AUTH_USER_PREFIX: "oidc:", GC_AUTH_GROUP_PREFIX: "oidc:" });
    expect(userFromClaims(claims, e)).toEqual({
      name: "oidc:alice@example.test",
      groups: ["oidc:gc-admins", "oidc:bookinfo-operators"],
    });
  });

  it("accepts a single group as a string, ignores non-strings, and has no groups without the claim", () => {
    expect(userFromClaims({ sub: "x", groups: "ops" }, oidcEnv()).groups).toEqual(["ops"]);
    expect(userFromClaims({ sub: "x", groups: ["ops", 7, null] }, oidcEnv()).groups).toEqual(["ops"]);
    expect(userFromClaims({ sub: "x" }, oidcEnv()).groups).toEqual([]);
  });

  it("refuses a token without the username claim instead of signing in a nameless user", () => {
    expect(() => userFromClaims({ groups: ["ops"] }, oidcEnv({ GC_OIDC_USERNAME_CLAIM: "email" }))).toThrow(
      /no "email" claim/,
    );
  });
});
