import { describe, expect, it } from "vitest";
import { assembleSourceFailures } from "./source-failures";
import { versionStatuses } from "./version-status";

const none = assembleSourceFailures([100], [], []);
const uhBeforeAnyVersion = assembleSourceFailures(
  [100],
  [],
  [{ labels: { destination_canonical_revision: "latest", response_flags: "UH" }, point: [100, 10] }],
);
const utOnV2 = assembleSourceFailures(
  [100],
  [],
  [{ labels: { destination_canonical_revision: "v2", response_flags: "UT" }, point: [100, 3] }],
);

describe("versionStatuses", () => {
  it("a canary scaled to 0 is 'no-ready-pods', never 'no-traffic' (its requests fail at the callers)", () => {
    expect(
      versionStatuses({
        versions: ["v1", "v2"],
        rpsNow: { v1: 40 },
        failures: uhBeforeAnyVersion,
        pods: { v1: { ready: 2, desired: 2 }, v2: { ready: 0, desired: 0 } },
      }),
    ).toEqual({ v1: "serving", v2: "no-ready-pods" });
  });

  it("no Ready pods wins over stale metrics that still show traffic", () => {
    expect(
      versionStatuses({ versions: ["v2"], rpsNow: { v2: 5 }, failures: none, pods: { v2: { ready: 0, desired: 1 } } }),
    ).toEqual({ v2: "no-ready-pods" });
  });

  it("a version only the callers see failing (timeouts) is 'failing'", () => {
    expect(
      versionStatuses({ versions: ["v2"], rpsNow: {}, failures: utOnV2, pods: { v2: { ready: 1, desired: 1 } } }),
    ).toEqual({ v2: "failing" });
  });

  it("pods Ready and nothing reported: 'no-traffic'; unknown pods (cluster unreadable) judge by metrics only", () => {
    expect(
      versionStatuses({
        versions: ["v1"],
        rpsNow: { v1: null },
        failures: none,
        pods: { v1: { ready: 1, desired: 1 } },
      }),
    ).toEqual({ v1: "no-traffic" });
    expect(versionStatuses({ versions: ["v1"], rpsNow: { v1: 2 }, failures: none, pods: null })).toEqual({
      v1: "serving",
    });
  });
});
