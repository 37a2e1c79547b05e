import { describe, expect, it } from "vitest";
import { healthLevel } from "./health";
import { isActive } from "./nav";
import type { HealthResponse } from "@/lib/api/contracts";

const health = (k: boolean, d: boolean, p: boolean): HealthResponse => ({
  kubernetes: { ok: k, version: k ? "v1.34.0" : null },
  database: { ok: d, kind: "sqlite" },
  prometheus: { ok: p, url: "http://127.0.0.1:9090" },
  reconciler: { lease: "default/gray-console-reconciler", identity: "host_1_abc", leader: true, holder: "host_1_abc" },
});

describe("healthLevel", () => {
  it.each([
    { h: health(true, true, true), failed: false, want: "ok" },
    { h: health(true, true, false), failed: false, want: "degraded" },
    { h: health(true, false, true), failed: false, want: "degraded" },
    { h: health(false, true, true), failed: false, want: "down" },
    { h: undefined, failed: true, want: "down" },
    { h: undefined, failed: false, want: "unknown" },
  ])("-> $want", ({ h, failed, want }) => {
    expect(healthLevel(h, failed)).toBe(want);
  });
});

describe("isActive", () => {
  it.each([
    { path: "/", href: "/", want: true },
    { path: "/releases", href: "/", want: false },
    { path: "/releases", href: "/releases", want: true },
    { path: "/releases/abc", href: "/releases", want: true },
    { path: "/releasesX", href: "/releases", want: false },
    { path: "/namespaces/bookinfo/services/reviews", href: "/namespaces", want: true },
  ])("$path vs $href -> $want", ({ path, href, want }) => {
    expect(isActive(path, href)).toBe(want);
  });
});
