import { describe, expect, it } from "vitest";
import type { RangeSeries } from "./prometheus";
import { assembleFailureCounts, assembleSourceFailures } from "./source-failures";
import { assembleSummary, assembleVersionMetrics, METRIC_NAMES, timeGrid, type MetricValues } from "./version-metrics";

describe("timeGrid", () => {
  it.each([
    // now, range, step -> start, end, points
    [1000, 60, 15, 930, 990, 5], // end aligned down to the step
    [1007.9, 60, 15, 945, 1005, 5],
    [1000, 0, 10, 1000, 1000, 1],
    [1000, 25, 10, 980, 1000, 3], // range is cut to whole steps
  ])("now=%s range=%s step=%s -> [%s, %s] with %s points", (now, range, step, start, end, n) => {
    const g = timeGrid(now, range, step);
    expect(g.start).toBe(start);
    expect(g.end).toBe(end);
    expect(g.timestamps).toHaveLength(n);
    expect(g.timestamps.at(-1)).toBe(end);
    expect(end % step).toBe(0);
  });

  it("refuses grids Prometheus would refuse", () => {
    expect(() => timeGrid(1e9, 3600 * 24 * 30, 1)).toThrow(/more than Prometheus allows/);
    expect(() => timeGrid(1e9, 60, 0)).toThrow(RangeError);
  });
});

const grid = { start: 100, end: 110, timestamps: [100, 105, 110] };
function results(over: Partial<MetricValues<RangeSeries[]>>): MetricValues<RangeSeries[]> {
  const base = Object.fromEntries(METRIC_NAMES.map((m) => [m, [] as RangeSeries[]])) as MetricValues<RangeSeries[]>;
  return { ...base, ...over };
}
const s = (version: string, points: [number, number | null][]): RangeSeries => ({
  labels: { destination_version: version },
  points,
});

describe("assembleVersionMetrics", () => {
  it("aligns every metric of every version on the grid, null where Prometheus had nothing", () => {
    const m = assembleVersionMetrics(
      grid,
      5,
      results({
        rps: [
          s("v1", [
            [100, 8],
            [105, 8],
            [110, 7.5],
          ]),
          s("v2", [
            [105, 2],
            [110, 2.5],
          ]),
        ],
        share: [
          s("v1", [
            [100, 100],
            [105, 80],
            [110, 75],
          ]),
          s("v2", [
            [105, 20],
            [110, 25],
          ]),
        ],
        successRate: [
          s("v1", [
            [100, 100],
            [105, 100],
            [110, 99.5],
          ]),
          s("v2", [
            [105, 90],
            [110, 95],
          ]),
        ],
        p99Ms: [s("v1", [[110, 48]]), s("v2", [[110, 420]])],
      }),
    );
    expect(m.noTraffic).toBe(false);
    expect(m.range).toEqual({ start: 100, end: 110 });
    expect(m.step).toBe(5);
    expect(Object.keys(m.versions)).toEqual(["v1", "v2"]);
    expect(m.versions.v2?.series.rps).toEqual([
      [100, null],
      [105, 2],
      [110, 2.5],
    ]);
    expect(m.versions.v2?.series.p50Ms).toEqual([
      [100, null],
      [105, null],
      [110, null],
    ]);
    expect(m.versions.v1?.current).toEqual({
      rps: 7.5,
      share: 75,
      successRate: 99.5,
      p50Ms: null,
      p90Ms: null,
      p99Ms: 48,
    });
    expect(m.versions.v2?.current).toMatchObject({ rps: 2.5, share: 25, successRate: 95, p99Ms: 420 });
  });

  it("headline rps and share come from the instant (irate) values at the real now when given", () => {
    const m = assembleVersionMetrics(
      grid,
      5,
      results({
        rps: [s("v1", [[110, 8]]), s("v2", [[110, 2]])],
        share: [s("v1", [[110, 80]]), s("v2", [[110, 20]])],
        p99Ms: [s("v2", [[110, 70]])],
      }),
      [],
      {
        rps: [
          { labels: { destination_version: "v1" }, point: [112, 5] },
          { labels: { destination_version: "v2" }, point: [112, 5] },
        ],
        share: [
          { labels: { destination_version: "v1" }, point: [112, 50] },
          { labels: { destination_version: "v2" }, point: [112, 50] },
        ],
      },
    );
    expect(m.versions.v2?.current).toMatchObject({ rps: 5, share: 50, p99Ms: 70 });
    expect(m.versions.v2?.series.share.at(-1)).toEqual([110, 20]);
  });

  it("no traffic at all: noTraffic and nulls, never 0% or NaN", () => {
    const m = assembleVersionMetrics(grid, 5, results({}), ["v1", "v2"]);
    expect(m.noTraffic).toBe(true);
    for (const v of ["v1", "v2"]) {
      for (const name of METRIC_NAMES) {
        expect(m.versions[v]?.current[name]).toBeNull();
        expect(m.versions[v]?.series[name].every(([, x]) => x === null)).toBe(true);
      }
    }
  });

  it("traffic that stopped: history kept, current values null (rate 0, share NaN->null)", () => {
    const m = assembleVersionMetrics(
      grid,
      5,
      results({
        rps: [
          s("v1", [
            [100, 5],
            [105, 0],
            [110, 0],
          ]),
        ],
        share: [
          s("v1", [
            [100, 100],
            [105, null],
            [110, null],
          ]),
        ],
      }),
    );
    expect(m.noTraffic).toBe(true);
    expect(m.versions.v1?.series.rps).toEqual([
      [100, 5],
      [105, 0],
      [110, 0],
    ]);
    expect(m.versions.v1?.current).toEqual({
      rps: null,
      share: null,
      successRate: null,
      p50Ms: null,
      p90Ms: null,
      p99Ms: null,
    });
  });

  it("a known version without traffic next to one with traffic: 0% share is real, the rest null", () => {
    const m = assembleVersionMetrics(
      grid,
      5,
      results({ rps: [s("v1", [[110, 10]])], share: [s("v1", [[110, 100]])] }),
      ["v1", "v3"],
    );
    expect(m.noTraffic).toBe(false);
    expect(m.versions.v3?.current).toEqual({
      rps: null,
      share: null,
      successRate: null,
      p50Ms: null,
      p90Ms: null,
      p99Ms: null,
    });
    expect(m.versions.v1?.current.share).toBe(100);
  });

  it("matches float timestamps to the grid", () => {
    const m = assembleVersionMetrics(grid, 5, results({ rps: [s("v1", [[110.0000001, 3]])] }));
    expect(m.versions.v1?.current.rps).toBe(3);
  });
});

describe("assembleSummary", () => {
  const l = (v: string) => ({ destination_version: v });
  it("rounds increase() to whole requests and computes percentages", () => {
    const sum = assembleSummary(
      600,
      1000,
      [
        { labels: l("v1"), value: 8999.6 },
        { labels: l("v2"), value: 1000.4 },
      ],
      [{ labels: l("v2"), value: 50.2 }],
    );
    expect(sum).toEqual({
      sinceSeconds: 600,
      at: 1000,
      total: 10000,
      failures: { total: 0, byVersion: {}, beforeAnyVersion: { requests: 0, reasons: {} } },
      noTraffic: false,
      versions: {
        v1: { requests: 9000, errors: 0, percent: 90, errorPercent: 0 },
        v2: { requests: 1000, errors: 50, percent: 10, errorPercent: 5 },
      },
    });
  });

  it("no requests: noTraffic and null percentages for the known versions", () => {
    expect(assembleSummary(60, 1, [], [], ["v1", "v2"])).toEqual({
      sinceSeconds: 60,
      at: 1,
      total: 0,
      failures: { total: 0, byVersion: {}, beforeAnyVersion: { requests: 0, reasons: {} } },
      noTraffic: true,
      versions: {
        v1: { requests: 0, errors: 0, percent: null, errorPercent: null },
        v2: { requests: 0, errors: 0, percent: null, errorPercent: null },
      },
    });
  });

  it("treats NaN (null) increases as zero", () => {
    expect(assembleSummary(60, 1, [{ labels: l("v1"), value: null }], []).versions.v1?.requests).toBe(0);
  });
});

describe("a service whose callers fail is never 'no traffic'", () => {
  const uh = { labels: { destination_canonical_revision: "latest", response_flags: "UH" } };

  it("every version silent, callers getting UH now -> noTraffic false, the failures kept", () => {
    const failures = assembleSourceFailures(
      grid.timestamps,
      [{ ...uh, points: [[110, 4]] }],
      [{ ...uh, point: [112, 5] }],
    );
    const m = assembleVersionMetrics(grid, 5, results({}), ["v1", "v2"], undefined, failures);
    expect(m.noTraffic).toBe(false);
    expect(m.versions.v2?.current.rps).toBeNull();
    expect(m.sourceFailures.beforeAnyVersion).toMatchObject({ current: 5, reasons: { UH: 5 } });
  });

  it("the summary window with only failed requests is not 'no traffic' either", () => {
    const sum = assembleSummary(
      300,
      1,
      [],
      [],
      ["v1", "v2"],
      assembleFailureCounts([{ labels: uh.labels, value: 1499.6 }]),
    );
    expect(sum.noTraffic).toBe(false);
    expect(sum.total).toBe(0);
    expect(sum.failures).toEqual({
      total: 1500,
      byVersion: {},
      beforeAnyVersion: { requests: 1500, reasons: { UH: 1500 } },
    });
  });
});
