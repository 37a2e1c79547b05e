import { describe, expect, it } from "vitest";
import type { MetricsResponse } from "@/lib/api/contracts";
import { failureReasons, FAILED_BEFORE_ANY_VERSION, hasFailuresBeforeAnyVersion, metricRows, metricVersions, observedShares, stepValueAt, windowLabel } from "./series";

const none = { rps: [], share: [], successRate: [], p50Ms: [], p90Ms: [], p99Ms: [] };
const current = { rps: null, share: null, successRate: null, p50Ms: null, p90Ms: null, p99Ms: null };

const metrics = {
  range: { start: 100, end: 130 },
  step: 10,
  versions: {
    v2: { series: { ...none, share: [[100, null], [110, 18.5], [120, 21], [130, 20]] }, current },
    v1: { series: { ...none, share: [[100, 100], [110, 81.5], [120, 79], [130, 80]] }, current },
  },
  noTraffic: false,
  configured: {
    v1: [[100, 100], [105, 80], [130, 80]],
    v2: [[100, 0], [105, 20], [130, 20]],
  },
  summary: {
    sinceSeconds: 25,
    at: 130,
    total: 1000,
    noTraffic: false,
    versions: {
      v1: { requests: 800, errors: 0, percent: 80.04, errorPercent: 0 },
      v2: { requests: 200, errors: 2, percent: 19.96, errorPercent: 1 },
      v3: { requests: 0, errors: 0, percent: null, errorPercent: null },
    },
  },
} as unknown as MetricsResponse;

describe("metricRows", () => {
  it("puts every version's observed share and configured weight on one time grid", () => {
    expect(metricRows(metrics, "share")).toEqual([
      { t: 100, v1: 100, v1__configured: 100, v2: null, v2__configured: 0 },
      { t: 110, v1: 81.5, v1__configured: 80, v2: 18.5, v2__configured: 20 },
      { t: 120, v1: 79, v1__configured: 80, v2: 21, v2__configured: 20 },
      { t: 130, v1: 80, v1__configured: 80, v2: 20, v2__configured: 20 },
    ]);
  });

  it("other metrics carry no configured line", () => {
    expect(metricRows(metrics, "rps")).toEqual([]);
  });

  it("keeps gaps as null rather than inventing zeros", () => {
    expect(metricRows(metrics, "share")[0]?.v2).toBeNull();
  });
});

describe("helpers", () => {
  it("orders versions naturally", () => {
    expect(metricVersions(metrics)).toEqual(["v1", "v2"]);
  });

  it.each([
    { t: 99, want: null },
    { t: 100, want: 100 },
    { t: 104, want: 100 },
    { t: 105, want: 80 },
    { t: 200, want: 80 },
  ])("stepValueAt($t) = $want", ({ t, want }) => {
    expect(stepValueAt([[100, 100], [105, 80]], t)).toBe(want);
  });

  it("observed shares skip versions that got no requests", () => {
    expect(observedShares(metrics)).toEqual({ v1: 80, v2: 20 });
  });

  it.each([
    { s: 25, want: "25s" },
    { s: 300, want: "5m" },
    { s: 725, want: "12m 5s" },
    { s: 3600, want: "1h" },
    { s: 5400, want: "1h 30m" },
  ])("windowLabel($s) = $want", ({ s, want }) => {
    expect(windowLabel(s)).toBe(want);
  });
});

describe("failures before any version", () => {
  const withUh = {
    ...metrics,
    versions: { v1: { series: { ...none, rps: [[100, 8], [110, 8]] }, current } },
    sourceFailures: { byVersion: {}, beforeAnyVersion: { series: [[100, null], [110, 2]], current: 2, reasons: { UH: 2 } } },
  } as unknown as MetricsResponse;

  it("the rps chart carries them as one more line, on the same grid", () => {
    expect(metricRows(withUh, "rps")).toEqual([
      { t: 100, v1: 8, [FAILED_BEFORE_ANY_VERSION]: null },
      { t: 110, v1: 8, [FAILED_BEFORE_ANY_VERSION]: 2 },
    ]);
    expect(metricRows(withUh, "share").every((r) => !(FAILED_BEFORE_ANY_VERSION in r))).toBe(true);
  });

  it("no line when there were none", () => {
    expect(hasFailuresBeforeAnyVersion(metrics)).toBe(false);
    expect(hasFailuresBeforeAnyVersion(withUh)).toBe(true);
  });

  it("reasons: split combined flags, drop the delay flag, most frequent first", () => {
    expect(failureReasons({ UH: 90, "DI,FI": 10, NR: 10, "UT,DI": 5 })).toEqual([
      { flag: "UH", count: 90 },
      { flag: "FI", count: 10 },
      { flag: "NR", count: 10 },
      { flag: "UT", count: 5 },
    ]);
  });
});
