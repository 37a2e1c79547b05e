import { describe, expect, it } from "vitest";
import { dnsLabelOf, findVersionSubset, newSubsetName, subsetOf, versionOfSubset } from "./subsets";
import type { Subset } from "./types";

const subset = (name: string, labels: Record<string, string>): Subset => ({ name, labels });
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe("dnsLabelOf: version label -> DNS-1123 label", () => {
  it.each([
    ["v1", "v1"],
    ["v1.0", "v1-0"],
    ["v2.1", "v2-1"],
    ["1.4.0-rc1", "1-4-0-rc1"],
    ["V2_rc", "v2-rc"],
    ["v2-mysql", "v2-mysql"],
    ["release_2024.05", "release-2024-05"],
    ["A", "a"],
    // Label values start and end alphanumeric, but '_'/'.' next to the ends still leave no '-' there.
    ["x_.y", "x--y"],
    ["a".repeat(63), "a".repeat(63)],
    // Cut to 63, then no '-' left at the end.
    [`${"a".repeat(62)}.b`, "a".repeat(62)],
  ])("%s -> %s", (version, label) => {
    expect(dnsLabelOf(version)).toBe(label);
    expect(label).toMatch(DNS1123_LABEL);
    expect(label.length).toBeLessThanOrEqual(63);
  });
});

describe("newSubsetName: the DNS label, suffixed while the DR already holds the name", () => {
  it.each([
    ["an empty DR", "v1.0", [], "v1-0"],
    ["a free name", "v2", [subset("v1", { version: "v1" })], "v2"],
    ["v2 selecting other pods", "v2", [subset("v2", { version: "v1" })], "v2-2"],
    ["v2 and v2-2 taken", "v2", [subset("v2", { version: "v1" }), subset("v2-2", { track: "x" })], "v2-3"],
    ["v1-0 held by a version literally called v1-0", "v1.0", [subset("v1-0", { version: "v1-0" })], "v1-0-2"],
    ["a 63-character name: the suffix still fits", "a".repeat(63), [subset("a".repeat(63), {})], `${"a".repeat(61)}-2`],
  ])("%s", (_label, version, subsets: Subset[], name) => {
    expect(newSubsetName(version, subsets)).toBe(name);
  });
});

describe("findVersionSubset: an existing subset selecting the version's pods, whatever its name", () => {
  const pods = (version: string) => ({ app: "reviews", version });
  it.each([
    [
      "Bookinfo's v1",
      [subset("v1", { version: "v1" }), subset("v2", { version: "v2" })],
      "v1",
      pods("v1"),
      undefined,
      "v1",
    ],
    ["named otherwise (stable)", [subset("stable", { version: "v1.0" })], "v1.0", pods("v1.0"), undefined, "stable"],
    [
      "the derived name before others",
      [subset("stable", { version: "v1.0" }), subset("v1-0", { version: "v1.0" })],
      "v1.0",
      pods("v1.0"),
      undefined,
      "v1-0",
    ],
    [
      "the task's own name before the derived one",
      [subset("v1-0", { version: "v1.0" }), subset("old", { version: "v1.0" })],
      "v1.0",
      pods("v1.0"),
      "old",
      "old",
    ],
    [
      "named like the version but selecting other pods",
      [subset("v2", { version: "v1" })],
      "v2",
      pods("v2"),
      undefined,
      null,
    ],
    [
      "asking for a label the pods lack",
      [subset("v2", { version: "v2", track: "canary" })],
      "v2",
      pods("v2"),
      undefined,
      null,
    ],
    [
      "pods unknown: the version label alone",
      [subset("v2", { version: "v2", track: "canary" })],
      "v2",
      null,
      undefined,
      "v2",
    ],
    ["no version label", [subset("v2", { app: "reviews" })], "v2", pods("v2"), undefined, null],
    [
      "named by the raw label, which istiod refuses",
      [subset("v1.0", { version: "v1.0" })],
      "v1.0",
      pods("v1.0"),
      undefined,
      null,
    ],
  ])("%s", (_label, subsets: Subset[], version, podLabels, known, found) => {
    expect(findVersionSubset(subsets, version, podLabels, known)).toBe(found);
  });
});

describe("subsetOf / versionOfSubset: the API speaks versions, the VS subsets", () => {
  it("maps through the task's map, then the DR's labels", () => {
    expect(subsetOf({ "v1.0": "stable" }, "v1.0")).toBe("stable");
    expect(subsetOf({}, "v1.0")).toBe("v1-0");
    expect(versionOfSubset("stable", { "v1.0": "stable" }, [])).toBe("v1.0");
    expect(versionOfSubset("v1-0", {}, [subset("v1-0", { version: "v1.0" })])).toBe("v1.0");
    expect(versionOfSubset("gone", {}, [])).toBe("gone");
  });
});
