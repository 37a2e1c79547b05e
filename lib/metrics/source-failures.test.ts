import { describe, expect, it } from "vitest";
import { assembleFailureCounts, assembleSourceFailures, failingNow, failureVersion } from "./source-failures";

const timestamps = [100, 105, 110];
const l = (revision: string, flags: string) => ({ destination_canonical_revision: revision, response_flags: flags });

describe("failureVersion: what Istio's labels attribute", () => {
  it.each([
    // No upstream answered (UH, NR, NC, FI): istio_stats writes revision "latest".
    [l("latest", "UH"), null],
    [l("unknown", "NR"), null],
    [{ response_flags: "NC" }, null],
    // A pod was picked (UT from its endpoint metadata, URX from its last answer).
    [l("v2", "UT"), "v2"],
    [l("v1.0", "URX"), "v1.0"],
  ])("%j -> %s", (labels, want) => expect(failureVersion(labels)).toBe(want));
});

describe("assembleSourceFailures", () => {
  const f = assembleSourceFailures(
    timestamps,
    [
      {
        labels: l("latest", "UH"),
        points: [
          [100, 2],
          [105, 3],
          [110, 4],
        ],
      },
      { labels: l("latest", "NR"), points: [[110, 1]] },
      { labels: l("v2", "UT"), points: [[105.0000001, 0.5]] },
    ],
    [
      { labels: l("latest", "UH"), point: [112, 4.5] },
      { labels: l("latest", "NR"), point: [112, 0.5] },
      { labels: l("v2", "UT"), point: [112, 0] },
    ],
  );

  it("sums the unattributed reasons into one 'before any version' series for the service", () => {
    expect(f.beforeAnyVersion.series).toEqual([
      [100, 2],
      [105, 3],
      [110, 5],
    ]);
    expect(f.beforeAnyVersion.current).toBe(5);
    expect(f.beforeAnyVersion.reasons).toEqual({ UH: 4.5, NR: 0.5 });
    expect(f.beforeAnyVersion.rangeFlags).toEqual(["UH", "NR"]);
  });

  it("keeps attributed failures under their version, current null when 0 now", () => {
    expect(Object.keys(f.byVersion)).toEqual(["v2"]);
    expect(f.byVersion.v2).toEqual({
      series: [
        [100, null],
        [105, 0.5],
        [110, null],
      ],
      current: null,
      reasons: {},
      rangeFlags: ["UT"],
    });
    expect(failingNow(f)).toBe(true);
  });

  it("nothing reported -> an empty 'before any version' series, not failing", () => {
    const none = assembleSourceFailures(timestamps, [], []);
    expect(none).toEqual({
      byVersion: {},
      beforeAnyVersion: {
        series: [
          [100, null],
          [105, null],
          [110, null],
        ],
        current: null,
        reasons: {},
        rangeFlags: [],
      },
    });
    expect(failingNow(none)).toBe(false);
  });
});

describe("assembleFailureCounts", () => {
  it("rounds increase() to whole requests, per version and reason", () => {
    expect(
      assembleFailureCounts([
        { labels: l("latest", "UH"), value: 299.7 },
        { labels: l("latest", "DI,FI"), value: 10.2 },
        { labels: l("v3", "URX"), value: 4.4 },
        { labels: l("v3", "UT"), value: null },
      ]),
    ).toEqual({
      total: 314,
      byVersion: { v3: { requests: 4, reasons: { URX: 4 } } },
      beforeAnyVersion: { requests: 310, reasons: { UH: 300, "DI,FI": 10 } },
    });
  });
});
