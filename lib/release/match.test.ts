import { describe, expect, it } from "vitest";
import { PlanError } from "./errors";
import { buildMatchRequest, cookieRegex } from "./match";
import type { MatchRule } from "./spec";
import { regexProblem } from "./spec";

// Envoy/Istio regexes match the whole value.
const fullMatch = (re: string, s: string) => new RegExp(`^(?:${re})$`).test(s);

const UA = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  edgeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
  firefoxLinux: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
  safariMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
  chromeMac:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
  chromeIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
  chromeAndroid:
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
};

function uaRegex(rules: MatchRule[]): string {
  const m = buildMatchRequest(rules, "traffic.match");
  const re = m.headers?.["user-agent"]?.regex;
  if (!re) throw new Error("no user-agent regex");
  expect(regexProblem(re)).toBeNull();
  return re;
}

describe("os/browser presets", () => {
  const cases: [MatchRule[], keyof typeof UA, boolean][] = [
    [[{ kind: "os", value: "windows" }], "chromeWindows", true],
    [[{ kind: "os", value: "windows" }], "safariMac", false],
    [[{ kind: "os", value: "macos" }], "safariMac", true],
    [[{ kind: "os", value: "macos" }], "safariIphone", false],
    [[{ kind: "os", value: "linux" }], "firefoxLinux", true],
    [[{ kind: "os", value: "linux" }], "chromeAndroid", false],
    [[{ kind: "os", value: "android" }], "chromeAndroid", true],
    [[{ kind: "os", value: "ios" }], "chromeIphone", true],
    [[{ kind: "os", value: "ios" }], "chromeMac", false],
    [[{ kind: "browser", value: "chrome" }], "chromeWindows", true],
    [[{ kind: "browser", value: "chrome" }], "chromeAndroid", true],
    [[{ kind: "browser", value: "chrome" }], "chromeIphone", true],
    [[{ kind: "browser", value: "chrome" }], "edgeWindows", false],
    [[{ kind: "browser", value: "chrome" }], "safariMac", false],
    [[{ kind: "browser", value: "edge" }], "edgeWindows", true],
    [[{ kind: "browser", value: "edge" }], "chromeWindows", false],
    [[{ kind: "browser", value: "firefox" }], "firefoxLinux", true],
    [[{ kind: "browser", value: "safari" }], "safariMac", true],
    [[{ kind: "browser", value: "safari" }], "safariIphone", true],
    [[{ kind: "browser", value: "safari" }], "chromeMac", false],
    [[{ kind: "browser", value: "safari" }], "chromeIphone", false],
    // two rules on user-agent: both required, either order in the string
    [
      [
        { kind: "os", value: "windows" },
        { kind: "browser", value: "chrome" },
      ],
      "chromeWindows",
      true,
    ],
    [
      [
        { kind: "browser", value: "chrome" },
        { kind: "os", value: "windows" },
      ],
      "chromeWindows",
      true,
    ],
    [
      [
        { kind: "os", value: "windows" },
        { kind: "browser", value: "chrome" },
      ],
      "edgeWindows",
      false,
    ],
    [
      [
        { kind: "os", value: "windows" },
        { kind: "browser", value: "chrome" },
      ],
      "chromeMac",
      false,
    ],
    [
      [
        { kind: "os", value: "macos" },
        { kind: "browser", value: "safari" },
      ],
      "safariMac",
      true,
    ],
    [
      [
        { kind: "os", value: "ios" },
        { kind: "browser", value: "safari" },
      ],
      "safariMac",
      false,
    ],
  ];
  it.each(cases)("%j on %s -> %s", (rules, ua, matches) => {
    expect(fullMatch(uaRegex(rules), UA[ua])).toBe(matches);
  });
});

describe("cookie rules", () => {
  it("uses the documented single-cookie shape with escaping", () => {
    expect(cookieRegex([{ name: "beta.user", value: "a+b" }])).toBe("^(.*?;\\s*)?beta\\.user=a\\+b(;.*)?$");
  });
  it.each([
    ["beta=1", true],
    ["x=0; beta=1", true],
    ["x=0;beta=1; y=2", true],
    ["beta=10", false],
    ["xbeta=1", false],
    ["betaX1=1", false],
  ])("single cookie beta=1 vs %s -> %s", (cookie, ok) => {
    expect(fullMatch(cookieRegex([{ name: "beta", value: "1" }]), cookie)).toBe(ok);
  });
  it.each([
    ["a=1; b=2", true],
    ["b=2; a=1", true],
    ["x=0; b=2; y=9; a=1; z", true],
    ["a=1", false],
    ["a=1; b=22", false],
  ])("two cookies a=1 & b=2 vs %s -> %s", (cookie, ok) => {
    const m = buildMatchRequest(
      [
        { kind: "cookie", name: "a", value: "1" },
        { kind: "cookie", name: "b", value: "2" },
      ],
      "traffic.match",
    );
    const re = m.headers?.cookie?.regex ?? "";
    expect(regexProblem(re)).toBeNull();
    expect(fullMatch(re, cookie)).toBe(ok);
  });
});

describe("buildMatchRequest", () => {
  it("ANDs headers and uri into one entry", () => {
    expect(
      buildMatchRequest(
        [
          { kind: "header", name: "end-user", op: "exact", value: "jason" },
          { kind: "uri", op: "prefix", value: "/api" },
          { kind: "os", value: "android" },
        ],
        "traffic.match",
      ),
    ).toEqual({
      headers: { "end-user": { exact: "jason" }, "user-agent": { regex: ".*(?:Android).*" } },
      uri: { prefix: "/api" },
    });
  });
  it.each([
    [
      "three rules on user-agent",
      [
        { kind: "os", value: "android" },
        { kind: "browser", value: "chrome" },
        { kind: "browser", value: "firefox" },
      ],
      "traffic.match[2]",
    ],
    [
      "literal header + preset on user-agent",
      [
        { kind: "header", name: "user-agent", op: "exact", value: "curl" },
        { kind: "os", value: "ios" },
      ],
      "traffic.match[1]",
    ],
    [
      "two uri rules",
      [
        { kind: "uri", op: "prefix", value: "/a" },
        { kind: "uri", op: "prefix", value: "/b" },
      ],
      "traffic.match[1]",
    ],
  ] as [string, MatchRule[], string][])("refuses %s naming %s", (_label, rules, path) => {
    let err: unknown;
    try {
      buildMatchRequest(rules, "traffic.match");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).code).toBe("invalid");
    expect((err as PlanError).message.startsWith(`${path}:`)).toBe(true);
  });
});
