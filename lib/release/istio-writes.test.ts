// Every VS/DR write of a plan passes istiod's rules and the console's own two (weights sum to 100
// on the task's routes; every subset routed to exists in the DR, at every step), or the plan is
// refused naming the object and the field.
import { describe, expect, it } from "vitest";
import { PlanError } from "./errors";
import {
  introducedObjectProblem,
  missingSubsetProblems,
  percentProblems,
  refuseInvalidIstioWrites,
} from "./istio-writes";
import { planCreate } from "./planner";
import { replacement } from "./mesh";
import type { PlanOp } from "./ops";
import { bookinfo, NS, reviewsDestinationRule, vsAllV1 } from "./testdata/bookinfo";
import { canaryWeights, Run } from "./testdata/run";
import type { DestinationRule, HTTPRoute, VirtualService } from "./types";

const dest = (subset: string, weight?: number) => ({
  destination: { host: "reviews", subset },
  ...(weight === undefined ? {} : { weight }),
});
const withHttp = (http: HTTPRoute[]): VirtualService => ({ ...vsAllV1(), spec: { hosts: ["reviews"], http } });
const replaceVs = (http: HTTPRoute[]): PlanOp => ({
  op: "replace",
  object: replacement(vsAllV1(), { hosts: ["reviews"], http }),
  before: vsAllV1(),
});
const replaceDr = (subsets: DestinationRule["spec"]["subsets"]): PlanOp => {
  const live = reviewsDestinationRule();
  return { op: "replace", object: replacement(live, { host: "reviews", subsets }), before: live };
};
const scope = planCreate(canaryWeights(80, 20), bookinfo()).status;

function refusal(ops: PlanOp[], cluster = bookinfo()): PlanError {
  try {
    refuseInvalidIstioWrites(ops, cluster, scope);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("console rule: the task's routes split 100 percent", () => {
  it.each([
    ["90 percent", [dest("v1", 80), dest("v2", 10)], ["http[0].route: weights sum to 90, not 100"]],
    ["110 percent", [dest("v1", 100), dest("v2", 10)], ["http[0].route: weights sum to 110, not 100"]],
    ["a destination without weight counts 0", [dest("v1", 100), dest("v2")], []],
    ["one destination needs no weight", [dest("v1")], []],
  ])("%s", (_label, route, expected) => {
    expect(percentProblems(withHttp([{ route }]).spec, [0]).map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
  });

  it("refuses the write naming the object and the field", () => {
    const err = refusal([replaceVs([{ route: [dest("v1", 80), dest("v2", 10)] }])]);
    expect(err.code).toBe("invalid");
    expect(err.message).toBe("VirtualService reviews http[0].route: weights sum to 90, not 100");
    expect(err.details).toEqual({
      object: "VirtualService reviews",
      path: "http[0].route",
      step: "replace VirtualService/reviews",
    });
  });

  it("leaves others' routes to istiod's rule: 1:3 is a valid split since Istio 1.15", () => {
    const foreign: HTTPRoute = {
      name: "team-a",
      match: [{ headers: { team: { exact: "a" } } }],
      route: [dest("v1", 1), dest("v2", 3)],
    };
    expect(() =>
      refuseInvalidIstioWrites([replaceVs([foreign, { route: [dest("v1", 80), dest("v2", 20)] }])], bookinfo(), scope),
    ).not.toThrow();
  });
});

describe("console rule: every subset routed to exists in the DestinationRule", () => {
  it("names the destination", () => {
    const problems = missingSubsetProblems(
      withHttp([{ route: [dest("v1", 50), dest("v9", 50)], mirror: { host: "reviews", subset: "v8" } }]).spec,
      reviewsDestinationRule(),
      "reviews",
      NS,
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "http[0].route[1].destination.subset: subset v9 is not defined in DestinationRule reviews",
      "http[0].mirror.subset: subset v8 is not defined in DestinationRule reviews",
    ]);
  });

  it("ignores other services' subsets", () => {
    const ratings: HTTPRoute = { route: [{ destination: { host: "ratings", subset: "v9" } }] };
    expect(missingSubsetProblems(withHttp([ratings]).spec, reviewsDestinationRule(), "reviews", NS)).toEqual([]);
  });

  it("refuses a VS routing to a subset before the DR has it (make before break, checked step by step)", () => {
    const vs = replaceVs([{ route: [dest("v1", 90), dest("v2-1", 10)] }]);
    const dr = replaceDr([
      ...(reviewsDestinationRule().spec.subsets ?? []),
      { name: "v2-1", labels: { version: "v2.1" } },
    ]);
    const err = refusal([vs, dr]);
    expect(err.code).toBe("conflict");
    expect(err.message).toBe(
      "VirtualService reviews http[0].route[1].destination.subset: subset v2-1 is not defined in DestinationRule reviews",
    );
    expect(() => refuseInvalidIstioWrites([dr, vs], bookinfo(), scope)).not.toThrow();
  });

  it("refuses a DR write that removes a subset a route still uses", () => {
    const err = refusal([replaceDr([{ name: "v2", labels: { version: "v2" } }])]);
    expect(err.message).toBe(
      "VirtualService reviews http[0].route[0].destination.subset: subset v1 is not defined in DestinationRule reviews",
    );
  });
});

describe("istiod's rules on every write", () => {
  it("refuses a version label as a subset name", () => {
    const err = refusal([
      replaceDr([...(reviewsDestinationRule().spec.subsets ?? []), { name: "v1.0", labels: { version: "v1.0" } }]),
    ]);
    expect(err.message).toBe("DestinationRule reviews subsets[3].name: subset name is invalid: v1.0");
  });

  it("refuses a regex RE2 cannot compile", () => {
    const err = refusal([
      replaceVs([
        { name: "gc-rel-canary", match: [{ headers: { "end-user": { regex: "(?=jason)" } } }], route: [dest("v2")] },
        { route: [dest("v1", 80), dest("v2", 20)] },
      ]),
    ]);
    expect(err.message).toMatch(
      /^VirtualService reviews http\[0\]\.match\[0\]\.headers\["end-user"\]: "headers": regex must not use lookarounds/,
    );
  });

  it("refuses a mirror percentage over 100", () => {
    const err = refusal([
      replaceVs([
        {
          route: [dest("v1", 100), dest("v2", 0)],
          mirror: { host: "reviews", subset: "v2" },
          mirrorPercentage: { value: 120 },
        },
      ]),
    ]);
    expect(err.message).toBe(
      "VirtualService reviews http[0].mirrorPercentage: mirror_percentage must have a max value of 100 (it has 120)",
    );
  });
});

describe("problems the objects already had are not the plan's", () => {
  // A cluster without istiod's webhook (the local one) keeps whatever someone stored.
  const broken: HTTPRoute = {
    name: "broken",
    match: [{ headers: { "x-b": { prefix: "" } } }],
    route: [{ destination: { host: "reviews", subset: "gone" } }],
  };
  const start = () =>
    bookinfo({
      virtualService: { ...vsAllV1(), spec: { hosts: ["reviews"], http: [broken, ...(vsAllV1().spec.http ?? [])] } },
    });

  it("a task starts, acts and aborts around someone else's broken route", () => {
    const run = new Run(canaryWeights(80, 20), start());
    run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } });
    run.act({ action: "abort" });
    expect(run.cluster.virtualService?.spec).toEqual(start().virtualService?.spec);
  });

  it("but a route the write changes must pass whole", () => {
    const cluster = start();
    const err = refusal(
      [
        replaceVs([
          { ...broken, route: [{ destination: { host: "reviews", subset: "v1" } }] },
          { route: [dest("v1")] },
        ]),
      ],
      cluster,
    );
    expect(err.message).toBe(
      'VirtualService reviews http[0].match[0].headers["x-b"]: "headers": prefix string match should not be empty',
    );
  });

  it("rebase: a merged object is checked against the live one only", () => {
    const live = vsAllV1();
    expect(introducedObjectProblem(withHttp([{ route: [dest("v1")] }]), live)).toBeNull();
    expect(introducedObjectProblem(withHttp([{ route: [dest("v1", -1)] }]), live)).toBe(
      "VirtualService reviews http[0].route[0].weight: weight -1 < 0",
    );
  });
});
