import { describe, expect, it } from "vitest";
import { ANY_SUBSET } from "@/lib/release/routing";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import {
  BASE_COLOUR,
  FAILED_BEFORE_VERSION,
  FAILED_COLOUR,
  NEW_COLOUR,
  OTHER_TRAFFIC_COLOUR,
  OTHER_VERSION_PALETTE,
  colourOf,
  serviceColours,
  versionColours,
} from "./version-colours";

const [P0, P1, P2] = OTHER_VERSION_PALETTE;

describe("versionColours + colourOf: one colour per version, by role", () => {
  // Bookinfo reviews: v1 (base), v2 (the task's new version), v3 of another release.
  const task = versionColours({ versions: ["v3", "v1", "v2"], base: "v1", next: "v2" });

  it.each([
    { key: "v1", want: BASE_COLOUR },
    { key: "v2", want: NEW_COLOUR },
    { key: "v3", want: P0 },
    { key: OTHER_TRAFFIC, want: OTHER_TRAFFIC_COLOUR },
    { key: FAILED_BEFORE_VERSION, want: FAILED_COLOUR },
    { key: ANY_SUBSET, want: OTHER_TRAFFIC_COLOUR },
    { key: "ratings.other/v1", want: OTHER_TRAFFIC_COLOUR },
    { key: "v9", want: OTHER_TRAFFIC_COLOUR },
  ])("task v1 -> v2 on reviews: $key is $want", ({ key, want }) => {
    expect(colourOf(task, key)).toBe(want);
  });

  it("the roles decide, not the position: v2 is green whichever versions a panel lists", () => {
    for (const versions of [["v2"], ["v1", "v2"], ["v0", "v1", "v2", "v3"], ["v3", "v10", "v2", "unknown"]]) {
      const c = versionColours({ versions, base: "v1", next: "v2" });
      expect(colourOf(c, "v2")).toBe(NEW_COLOUR);
      expect(colourOf(c, "v1")).toBe(BASE_COLOUR);
    }
  });

  it("a new version that sorts before the base still gets the new colour", () => {
    const c = versionColours({ versions: ["v2", "v1.0"], base: "v2", next: "v1.0" });
    expect(colourOf(c, "v2")).toBe(BASE_COLOUR);
    expect(colourOf(c, "v1.0")).toBe(NEW_COLOUR);
  });

  it("other versions take the palette by natural sorted name, whatever order they come in", () => {
    const a = versionColours({ versions: ["v10", "v3", "v1", "v2", "v4"], base: "v1", next: "v2" });
    const b = versionColours({ versions: ["v4", "v2", "v10", "v1", "v3"], base: "v1", next: "v2" });
    expect(["v3", "v4", "v10"].map((v) => colourOf(a, v))).toEqual([P0, P1, P2]);
    expect(["v3", "v4", "v10"].map((v) => colourOf(b, v))).toEqual([P0, P1, P2]);
  });

  it("the palette has none of the role colours and repeats past its end", () => {
    for (const reserved of [BASE_COLOUR, NEW_COLOUR, OTHER_TRAFFIC_COLOUR, FAILED_COLOUR])
      expect(OTHER_VERSION_PALETTE).not.toContain(reserved);
    const many = Array.from({ length: OTHER_VERSION_PALETTE.length + 1 }, (_, i) => `x${i}`);
    const c = versionColours({ versions: many });
    expect(colourOf(c, `x${OTHER_VERSION_PALETTE.length}`)).toBe(P0);
  });
});

describe("serviceColours: a service page", () => {
  it.each<{
    name: string;
    weights: Record<string, number>;
    active: { base: string; next: string } | null;
    want: Record<string, string>;
  }>([
    {
      name: "all traffic on v1: v1 is the base",
      weights: { v1: 100 },
      active: null,
      want: { v1: BASE_COLOUR, v2: P0, v3: P1 },
    },
    {
      name: "v3 serves most: v3 is the base",
      weights: { v1: 10, v3: 90 },
      active: null,
      want: { v1: P0, v2: P1, v3: BASE_COLOUR },
    },
    { name: "no routing: the first by name", weights: {}, active: null, want: { v1: BASE_COLOUR, v2: P0, v3: P1 } },
    {
      name: "a release v1 -> v2 runs: the task page's colours",
      weights: { v1: 80, v2: 20 },
      active: { base: "v1", next: "v2" },
      want: { v1: BASE_COLOUR, v2: NEW_COLOUR, v3: P0 },
    },
  ])("$name", ({ weights, active, want }) => {
    const c = serviceColours(["v1", "v2", "v3"], weights, active);
    expect(Object.fromEntries(["v1", "v2", "v3"].map((v) => [v, colourOf(c, v)]))).toEqual(want);
  });
});
