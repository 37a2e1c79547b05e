import { describe, expect, it } from "vitest";
import {
  cookieValue,
  csrfTokenFor,
  csrfTokenMatches,
  newSession,
  readSession,
  sessionCookie,
  SESSION_COOKIE,
} from "./session";

const session = () =>
  newSession(
    {
      mode: "token",
      name: "system:serviceaccount:bookinfo:deployer",
      groups: ["system:serviceaccounts"],
      token: "tkn",
    },
    Date.parse("2026-12-06T09:00:00Z"),
  );
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;

describe("the session cookie", () => {
  it("reads back the session it wrote", () => {
    const s = session();
    const reading = readSession(cookieOf(sessionCookie(s, false)), Date.parse("2026-12-06T09:01:00Z"));
    expect(reading).toEqual({ session: s });
  });

  it("lasts GC_SESSION_SECONDS (8 h by default), then reads as expired, not as absent", () => {
    const s = session();
    expect(s.exp - s.iat).toBe(8 * 3600);
    const cookie = cookieOf(sessionCookie(s, false));
    expect(readSession(cookie, (s.exp - 1) * 1000)).toEqual({ session: s });
    expect(readSession(cookie, s.exp * 1000)).toEqual({ expired: true });
  });

  it("reads a changed, foreign or missing cookie as no session", () => {
    const cookie = cookieOf(sessionCookie(session(), false));
    const value = cookie.slice(SESSION_COOKIE.length + 1);
    const flipped = value.slice(0, -2) + (value.at(-2) === "A" ? "B" : "A") + value.at(-1);
    expect(readSession(`${SESSION_COOKIE}=${flipped}`)).toBeNull();
    expect(readSession("other=1")).toBeNull();
    expect(readSession(null)).toBeNull();
  });

  it("is HttpOnly and SameSite=Lax always, Secure over https", () => {
    expect(sessionCookie(session(), false)).toMatch(/; HttpOnly; SameSite=Lax$/);
    expect(sessionCookie(session(), true)).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it("finds a cookie among others", () => {
    expect(cookieValue("a=1; gc_session=xyz; b=2", "gc_session")).toBe("xyz");
    expect(cookieValue("a=1", "gc_session")).toBeNull();
  });
});

describe("the CSRF token", () => {
  it("matches only the session it was made for", () => {
    expect(csrfTokenMatches("session\nA", csrfTokenFor("session\nA"))).toBe(true);
    expect(csrfTokenMatches("session\nB", csrfTokenFor("session\nA"))).toBe(false);
    expect(csrfTokenMatches("session\nA", null)).toBe(false);
  });
});
