import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBehaviour, resolveProfile, sampleLatencyMs, sampleResponseCode } from "./behaviour";
import { seededRng } from "./router";

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
}

describe("behaviour file", () => {
  const shipped = parseBehaviour(JSON.parse(fs.readFileSync(path.join(__dirname, "behaviour.json"), "utf8")));

  it("the shipped file parses and describes the Bookinfo call graph", () => {
    expect(shipped.entries).toEqual([
      { namespace: "bookinfo", service: "productpage", path: "/productpage", weight: 1 },
    ]);
    expect(resolveProfile(shipped, "bookinfo", "productpage", "v1").calls.map((c) => c.service)).toEqual([
      "details",
      "reviews",
    ]);
    expect(resolveProfile(shipped, "bookinfo", "reviews", "v1").calls).toEqual([]);
    expect(resolveProfile(shipped, "bookinfo", "reviews", "v2").calls.map((c) => c.service)).toEqual(["ratings"]);
    expect(resolveProfile(shipped, "bookinfo", "reviews", "v3")).toMatchObject({
      errorRate: 0.05,
      errorCode: 500,
      stars: "red",
    });
  });

  it("fills defaults for an empty document", () => {
    const b = parseBehaviour({});
    expect(b.users).toEqual({ jasonPercent: 10, betaCookiePercent: 20 });
    expect(resolveProfile(b, "x", "svc", "v2")).toEqual({
      p50Ms: 10,
      p99Ms: 50,
      errorRate: 0,
      errorCode: 500,
      stars: "black",
      calls: [],
    });
  });

  it("layers defaults <- service <- version, and ns/service beats service", () => {
    const b = parseBehaviour({
      defaults: { p50Ms: 5, errorRate: 0.01 },
      services: {
        reviews: { p99Ms: 99, versions: { v3: { errorRate: 0.2 } } },
        "test/reviews": { p50Ms: 1 },
      },
    });
    expect(resolveProfile(b, "bookinfo", "reviews", "v3")).toMatchObject({ p50Ms: 5, p99Ms: 99, errorRate: 0.2 });
    expect(resolveProfile(b, "bookinfo", "reviews", "v1")).toMatchObject({ p50Ms: 5, p99Ms: 99, errorRate: 0.01 });
    expect(resolveProfile(b, "test", "reviews", "v3")).toMatchObject({ p50Ms: 1, p99Ms: 50 });
  });

  it.each([
    [{ defaults: { errorRate: 2 } }, "defaults.errorRate"],
    [{ services: { reviews: { p50Ms: -1 } } }, "services.reviews.p50Ms"],
    [{ entries: [{ service: "x" }] }, "entries.0.namespace"],
  ])("rejects %j naming %s", (doc, field) => {
    expect(() => parseBehaviour(doc)).toThrow(field);
  });
});

describe("sampling", () => {
  it("lognormal latency hits the configured p50 and p99", () => {
    const rng = seededRng(1);
    const xs = Array.from({ length: 50_000 }, () => sampleLatencyMs({ p50Ms: 20, p99Ms: 400 }, rng));
    expect(quantile(xs, 0.5)).toBeGreaterThan(19);
    expect(quantile(xs, 0.5)).toBeLessThan(21);
    expect(quantile(xs, 0.99)).toBeGreaterThan(360);
    expect(quantile(xs, 0.99)).toBeLessThan(440);
    expect(Math.min(...xs)).toBeGreaterThan(0);
  });

  it("p99 <= p50 means a constant latency", () => {
    expect(sampleLatencyMs({ p50Ms: 7, p99Ms: 7 }, seededRng(1))).toBe(7);
  });

  it("error rate converges", () => {
    const rng = seededRng(2);
    let errors = 0;
    for (let i = 0; i < 20_000; i++) if (sampleResponseCode({ errorRate: 0.05, errorCode: 503 }, rng) === 503) errors++;
    expect(errors / 200).toBeGreaterThan(4.5);
    expect(errors / 200).toBeLessThan(5.5);
    expect(sampleResponseCode({ errorRate: 0, errorCode: 500 }, rng)).toBe(200);
  });
});
