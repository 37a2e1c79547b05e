import { describe, expect, it } from "vitest";
import { keyring, sameMac } from "./seal";

const SECRET = "an-example-secret-that-is-long-enough-0123456789";

describe("sealed browser values", () => {
  it("opens what it sealed, for the same purpose", () => {
    const k = keyring(SECRET);
    expect(k.open("session", k.seal("session", { name: "alice", groups: ["ops"] }))).toEqual({
      name: "alice",
      groups: ["ops"],
    });
  });

  it("hides the content (the token is not readable in the cookie)", () => {
    const sealed = keyring(SECRET).seal("session", { token: "eyJhbGciOi-secret-token" });
    expect(Buffer.from(sealed, "base64url").toString("latin1")).not.toContain("secret-token");
  });

  it("refuses a value sealed for another purpose, under another secret, or changed by one bit", () => {
    const k = keyring(SECRET);
    const sealed = k.seal("oidc-flow", { state: "x" });
    expect(k.open("session", sealed)).toBeNull();
    expect(keyring(`${SECRET}!`).open("oidc-flow", sealed)).toBeNull();
    const raw = Buffer.from(sealed, "base64url");
    raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
    expect(k.open("oidc-flow", raw.toString("base64url"))).toBeNull();
    expect(k.open("oidc-flow", "short")).toBeNull();
  });

  it("gives two replicas with the same secret the same MAC, and another secret a different one", () => {
    expect(keyring(SECRET).mac("csrf", "sid-1")).toBe(keyring(SECRET).mac("csrf", "sid-1"));
    expect(sameMac(keyring(SECRET).mac("csrf", "sid-1"), keyring(`${SECRET}x`).mac("csrf", "sid-1"))).toBe(false);
    expect(sameMac(keyring(SECRET).mac("csrf", "sid-1"), keyring(SECRET).mac("csrf", "sid-2"))).toBe(false);
  });
});
