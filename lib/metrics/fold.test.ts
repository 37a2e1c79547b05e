import { describe, expect, it } from "vitest";
import { OTHER_TRAFFIC, foldFailureCounts, foldSourceFailures } from "./fold";
import type { SourceFailures } from "./source-failures";

describe("folding the callers' failures of other versions", () => {
  const f: SourceFailures = {
    byVersion: {
      v2: {
        series: [
          [100, 1],
          [110, null],
        ],
        current: 1,
        reasons: { UT: 1 },
        rangeFlags: ["UT"],
      },
      v3: {
        series: [
          [100, 2],
          [110, null],
        ],
        current: null,
        reasons: {},
        rangeFlags: ["URX"],
      },
      v4: {
        series: [
          [100, null],
          [110, 3],
        ],
        current: 0.5,
        reasons: { UT: 0.5 },
        rangeFlags: ["UT"],
      },
    },
    beforeAnyVersion: {
      series: [
        [100, 4],
        [110, 4],
      ],
      current: 4,
      reasons: { UH: 4 },
      rangeFlags: ["UH"],
    },
  };

  it("keeps the task's versions, sums the rest point by point, leaves 'before any version' alone", () => {
    expect(foldSourceFailures(f, ["v1", "v2"])).toEqual({
      byVersion: {
        v2: f.byVersion.v2,
        [OTHER_TRAFFIC]: {
          series: [
            [100, 2],
            [110, 3],
          ],
          current: 0.5,
          reasons: { UT: 0.5 },
          rangeFlags: ["URX", "UT"],
        },
      },
      beforeAnyVersion: f.beforeAnyVersion,
    });
  });

  it("counts fold the same way", () => {
    const counts = {
      total: 16,
      byVersion: {
        v1: { requests: 1, reasons: { UT: 1 } },
        v3: { requests: 5, reasons: { URX: 5 } },
        v4: { requests: 2, reasons: { URX: 1, UT: 1 } },
      },
      beforeAnyVersion: { requests: 8, reasons: { UH: 8 } },
    };
    expect(foldFailureCounts(counts, ["v1", "v2"])).toEqual({
      total: 16,
      byVersion: {
        v1: { requests: 1, reasons: { UT: 1 } },
        [OTHER_TRAFFIC]: { requests: 7, reasons: { URX: 6, UT: 1 } },
      },
      beforeAnyVersion: { requests: 8, reasons: { UH: 8 } },
    });
  });
});
