import { describe, expect, it } from "vitest";
import { bookinfo } from "../testdata/bookinfo";
import { actionTable, intentStatus, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { abTest } from "./ab-test";

const jason = [{ kind: "header", name: "end-user", op: "exact", value: "jason" }];

describe("ab-test: its traffic part of the spec", () => {
  it.each([
    {
      name: "by match and weight",
      variants: [
        { name: "a", version: "v1", weight: 100 },
        { name: "b", version: "v2", match: jason },
      ],
      want: [],
    },
    {
      name: "one variant",
      variants: [{ name: "b", version: "v2", weight: 100 }],
      want: ["traffic.variants: err.spec.abNeedsTwo"],
    },
    {
      name: "without the new version",
      variants: [
        { name: "a", version: "v1", weight: 50 },
        { name: "b", version: "v3", weight: 50 },
      ],
      want: ["traffic.variants: err.spec.abNeedsNew"],
    },
    {
      name: "a name twice",
      variants: [
        { name: "a", version: "v1", weight: 50 },
        { name: "a", version: "v2", weight: 50 },
      ],
      want: ["traffic.variants[1].name: err.spec.duplicateVariant"],
    },
    {
      name: "neither match nor weight",
      variants: [
        { name: "a", version: "v1", weight: 100 },
        { name: "b", version: "v2" },
      ],
      want: ["traffic.variants[1]: err.spec.variantNeeds"],
    },
    {
      name: "weights not 100",
      variants: [
        { name: "a", version: "v1", weight: 50 },
        { name: "b", version: "v2", weight: 20 },
      ],
      want: ["traffic.variants: err.spec.variantSum"],
    },
  ])("$name", ({ variants, want }) => {
    expect(specIssues("ab-test", { traffic: { variants } })).toEqual(want);
  });
});

describe("ab-test: the routing it asks for", () => {
  const spec = specOf("ab-test", {
    traffic: {
      variants: [
        { name: "a", version: "v1", weight: 100 },
        { name: "b", version: "v2", match: jason },
        { name: "c", version: "v3", match: [{ kind: "browser", value: "firefox" }] },
      ],
    },
  });
  const routes = [
    { purpose: "variant-b", match: [jason], weights: { v2: 100 }, fieldPath: "traffic.variants[1].match" },
    {
      purpose: "variant-c",
      match: [[{ kind: "browser", value: "firefox" }]],
      weights: { v3: 100 },
      fieldPath: "traffic.variants[2].match",
    },
  ];
  it("create: a route per matched variant; every variant's version addressed", () => {
    const intent = abTest.intent(spec, intentStatus({ weights: { v1: 100, v2: 0 } }), "create");
    expect(intent.owned).toEqual(routes);
    expect(intent.versions).toEqual(["v1", "v2", "v3"]);
  });
  it("take-over drops the variant routes", () => {
    expect(
      abTest.intent(spec, intentStatus({ ownedRoutes: ["gc-rel-variant-b", "gc-rel-variant-c"] }), "allTraffic").owned,
    ).toEqual([]);
  });
  it.each([
    {
      name: "weighted variants split the default route",
      variants: [
        { name: "a", version: "v1", weight: 70 },
        { name: "b", version: "v2", weight: 30 },
      ],
      want: { v1: 70, v2: 30 },
    },
    {
      name: "none weighted: all on the base",
      variants: [
        { name: "a", version: "v1", match: jason },
        { name: "b", version: "v2", match: jason },
      ],
      want: { v1: 100, v2: 0 },
    },
  ])("initial split: $name", ({ variants, want }) => {
    const s = specOf("ab-test", { traffic: { variants } });
    const split = abTest.initialSplit(s, { version: "v1", replicas: 1, deployments: bookinfo().deployments }, () => {
      throw new Error("refused");
    });
    expect(split.weights).toEqual(want);
  });
  it("a variant of a version the service does not run is refused", () => {
    const s = specOf("ab-test", {
      traffic: {
        variants: [
          { name: "a", version: "v9", weight: 50 },
          { name: "b", version: "v2", weight: 50 },
        ],
      },
    });
    const refusals: string[] = [];
    const refuse = (path: string, key: string): never => {
      refusals.push(`${path}: ${key}`);
      throw new Error(key);
    };
    expect(() =>
      abTest.initialSplit(s, { version: "v1", replicas: 1, deployments: bookinfo().deployments }, refuse),
    ).toThrow();
    expect(refusals).toEqual(["traffic.variants[0].version: err.plan.noSuchVersion"]);
  });
  it("moves forward by take-over, like a canary", () => {
    expect(actionTable(abTest, transitionStatus()).progressing).toEqual([
      "setTraffic",
      "takeover",
      "rollback",
      "pause",
      "abort",
      "resync",
      "acceptDrift",
    ]);
    expect(abTest.capabilities).toMatchObject({ hasVariants: true, advance: "takeover" });
  });
});
