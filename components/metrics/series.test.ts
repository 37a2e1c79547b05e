import { describe, expect, it } from "vitest";
import type { MetricsResponse } from "@/lib/api/contracts";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import {
  chartData,
  chartSeries,
  failedFlags,
  failureReasons,
  FAILED_BEFORE_ANY_VERSION,
  hasFailuresBeforeAnyVersion,
  maxValue,
  metricVersions,
  observedShares,
  stepValueAt,
  summaryVersions,
  windowLabel,
} from "./series";

const metricRows = (m: Parameters<typeof chartData>[0], metric: Parameters<typeof chartData>[1]) =>
  chartData(m, metric).rows;

const none = { rps: [], share: [], successRate: [], p50Ms: [], p90Ms: [], p99Ms: [] };
const current = { rps: null, share: null, successRate: null, p50Ms: null, p90Ms: null, p99Ms: null };

const metrics = {
  range: { start: 100, end: 130 },
  step: 10,
  versions: {
    v2: {
      series: {
        ...none,
        share: [
          [100, null],
          [110, 18.5],
          [120, 21],
          [130, 20],
        ],
      },
      current,
    },
    v1: {
      series: {
        ...none,
        share: [
          [100, 100],
          [110, 81.5],
          [120, 79],
          [130, 80],
        ],
      },
      current,
    },
  },
  noTraffic: false,
  configured: {
    v1: [
      [100, 100],
      [105, 80],
      [130, 80],
    ],
    v2: [
      [100, 0],
      [105, 20],
      [130, 20],
    ],
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
    expect(chartSeries(metrics, "rps").map((s) => s.kind)).toEqual(["observed", "observed"]);
  });

  it("a version never given a weight gets no configured line and no legend entry", () => {
    const v3 = {
      ...metrics,
      versions: { ...metrics.versions, v3: metrics.versions.v1!, unknown: metrics.versions.v1! },
    } as MetricsResponse;
    expect(chartSeries(v3, "share").map((s) => s.key)).toEqual([
      "unknown",
      "v1",
      "v1__configured",
      "v2",
      "v2__configured",
      "v3",
    ]);
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
    expect(
      stepValueAt(
        [
          [100, 100],
          [105, 80],
        ],
        t,
      ),
    ).toBe(want);
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
    versions: {
      v1: {
        series: {
          ...none,
          rps: [
            [100, 8],
            [110, 8],
          ],
        },
        current,
      },
    },
    sourceFailures: {
      byVersion: {},
      beforeAnyVersion: {
        series: [
          [100, null],
          [110, 2],
        ],
        current: 2,
        reasons: { UH: 2 },
        rangeFlags: ["UH", "NR,URX", "DI,FI"],
      },
    },
  } as unknown as MetricsResponse;

  it("the rps chart carries them as one more line, on the same grid", () => {
    expect(metricRows(withUh, "rps")).toEqual([
      { t: 100, v1: 8, [FAILED_BEFORE_ANY_VERSION]: null },
      { t: 110, v1: 8, [FAILED_BEFORE_ANY_VERSION]: 2 },
    ]);
    expect(chartSeries(withUh, "rps").at(-1)).toEqual({
      key: FAILED_BEFORE_ANY_VERSION,
      version: FAILED_BEFORE_ANY_VERSION,
      kind: "failed",
    });
    expect(metricRows(withUh, "share").every((r) => !(FAILED_BEFORE_ANY_VERSION in r))).toBe(true);
  });

  it("no line when there were none", () => {
    expect(hasFailuresBeforeAnyVersion(metrics)).toBe(false);
    expect(hasFailuresBeforeAnyVersion(withUh)).toBe(true);
  });

  it("the line names its reasons: the range's flags, split, without the delay flag", () => {
    expect(failedFlags(withUh)).toEqual(["UH", "NR", "URX", "FI"]);
    expect(
      failedFlags({
        sourceFailures: {
          byVersion: {},
          beforeAnyVersion: { series: [], current: 3, reasons: { NC: 1, UH: 2 }, rangeFlags: [] },
        },
      }),
    ).toEqual(["UH", "NC"]);
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

describe("a task's charts: its versions, other traffic, failures", () => {
  const series = (points: [number, number | null][]) => ({
    ...none,
    rps: points,
    share: points.map(([t, v]) => [t, v === null ? null : v / 2]),
  });
  // reviews with v1 (base), v2 (new) and v3 of another release, folded by the API into OTHER_TRAFFIC.
  const task = {
    range: { start: 100, end: 120 },
    step: 10,
    task: { baseVersion: "v1", newVersion: "v2", startedAt: 105 },
    versions: {
      v1: {
        series: series([
          [100, 60],
          [110, 50],
          [120, 40],
        ]),
        current,
      },
      v2: {
        series: series([
          [100, null],
          [110, 10],
          [120, 20],
        ]),
        current,
      },
      [OTHER_TRAFFIC]: {
        series: series([
          [100, 40],
          [110, 40],
          [120, 40],
        ]),
        current,
      },
    },
    configured: {
      v1: [
        [100, 100],
        [110, 50],
        [120, 50],
      ],
      v2: [
        [100, 0],
        [110, 50],
        [120, 50],
      ],
    },
    sourceFailures: {
      byVersion: {},
      beforeAnyVersion: {
        series: [
          [100, null],
          [110, 5],
          [120, 5],
        ],
        current: 5,
        reasons: { UH: 5 },
        rangeFlags: ["UH"],
      },
    },
  } as unknown as MetricsResponse;

  it.each([
    { metric: "rps" as const, want: ["v1", "v2", OTHER_TRAFFIC, FAILED_BEFORE_ANY_VERSION] },
    { metric: "share" as const, want: ["v1", "v1__configured", "v2", "v2__configured", OTHER_TRAFFIC] },
    { metric: "successRate" as const, want: ["v1", "v2"] },
  ])("$metric: only the task's versions, other traffic and the failures before any version", ({ metric, want }) => {
    expect(chartSeries(task, metric).map((s) => s.key)).toEqual(want);
  });

  it("every series' version is the base, the new version, other traffic or the failures", () => {
    for (const metric of ["rps", "share", "successRate", "p99Ms"] as const) {
      for (const s of chartSeries(task, metric))
        expect(["v1", "v2", OTHER_TRAFFIC, FAILED_BEFORE_ANY_VERSION]).toContain(s.version);
    }
  });

  it("no 'other traffic' line when no other version had any", () => {
    const alone = {
      ...task,
      versions: { v1: task.versions.v1, v2: task.versions.v2, [OTHER_TRAFFIC]: { series: none, current } },
    } as unknown as MetricsResponse;
    expect(chartSeries(alone, "rps").map((s) => s.key)).toEqual(["v1", "v2", FAILED_BEFORE_ANY_VERSION]);
  });

  it("the base and new versions stay in the legend even before they have data", () => {
    const quiet = { ...task, versions: {}, sourceFailures: undefined } as unknown as MetricsResponse;
    expect(chartSeries(quiet, "p99Ms").map((s) => s.key)).toEqual(["v1", "v2"]);
  });

  it("rows carry exactly the series, on the grid", () => {
    const data = chartData(task, "rps");
    expect(data.rows).toEqual([
      { t: 100, v1: 60, v2: null, [OTHER_TRAFFIC]: 40, [FAILED_BEFORE_ANY_VERSION]: null },
      { t: 110, v1: 50, v2: 10, [OTHER_TRAFFIC]: 40, [FAILED_BEFORE_ANY_VERSION]: 5 },
      { t: 120, v1: 40, v2: 20, [OTHER_TRAFFIC]: 40, [FAILED_BEFORE_ANY_VERSION]: 5 },
    ]);
    expect(maxValue(data)).toBe(60);
  });

  it("summary rows: versions in order, other traffic last", () => {
    expect(summaryVersions({ [OTHER_TRAFFIC]: 1, v10: 2, v2: 3 }).map(([v]) => v)).toEqual([
      "v2",
      "v10",
      OTHER_TRAFFIC,
    ]);
  });
});
