import { describe, expect, it } from "vitest";
import { fitsInBrowser, MAX_COOKIE_CHARS, newSession, sessionCookie } from "./session";

// Browsers drop a cookie over 4096 bytes silently: a session that big must be refused with a
// reason, not set (the user would be signed out right after signing in, with no word why).
const oidcSession = (groups: number) =>
  newSession({
    mode: "oidc",
    name: "oidc:alice@example.test",
    groups: Array.from({ length: groups }, (_, i) => `oidc:team-platform-engineering-${String(i).padStart(3, "0")}`),
  });

describe("a session cookie a browser keeps", () => {
  it("fits with the groups people usually have", () => {
    expect(fitsInBrowser(sessionCookie(oidcSession(2), true))).toBe(true);
    expect(fitsInBrowser(sessionCookie(oidcSession(40), true))).toBe(true);
  });

  it("does not fit with a hundred-odd groups (an ID token from a large directory)", () => {
    const cookie = sessionCookie(oidcSession(120), true);
    expect(cookie.length).toBeGreaterThan(4096);
    expect(fitsInBrowser(cookie)).toBe(false);
  });

  it("draws the line below the 4096 bytes browsers allow", () => {
    expect(MAX_COOKIE_CHARS).toBeLessThan(4096);
    expect(fitsInBrowser("x".repeat(MAX_COOKIE_CHARS))).toBe(true);
    expect(fitsInBrowser("x".repeat(MAX_COOKIE_CHARS + 1))).toBe(false);
  });
});
