import { describe, expect, it } from "vitest";
import { detectDrift } from "./drift";
import { diffJson } from "./json";
import { planCreate } from "./planner";
import { TaskSpecSchema } from "./spec";
import { applyPlan } from "./testdata/apply";
import { bookinfo, NS } from "./testdata/bookinfo";
import type { ServiceClusterState, VirtualService } from "./types";

const spec = TaskSpecSchema.parse({
  name: "rel",
  namespace: NS,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: "reviews:2" },
  traffic: { weights: { v1: 80, v2: 20 }, match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] },
});
const plan = planCreate(spec, bookinfo());
const applied = applyPlan(bookinfo(), plan);

function tamper(f: (vs: VirtualService) => void): ServiceClusterState {
  const vs = structuredClone(applied.virtualService) as VirtualService;
  f(vs);
  return { ...applied, virtualService: vs };
}

describe("detectDrift", () => {
  it.each([
    ["nothing changed", applied, null],
    [
      "someone edited a weight",
      tamper((vs) => {
        const r = vs.spec.http?.[1]?.route?.[0];
        if (r) r.weight = 70;
      }),
      { virtualService: [{ path: "http[1].route[0].weight", expected: 80, actual: 70 }] },
    ],
    [
      "someone changed the match header value",
      tamper((vs) => {
        const h = vs.spec.http?.[0]?.match?.[0]?.headers?.["end-user"];
        if (h) h.exact = "kim";
      }),
      { virtualService: [{ path: 'http[0].match[0].headers["end-user"].exact', expected: "jason", actual: "kim" }] },
    ],
    [
      "someone appended a route",
      tamper((vs) => vs.spec.http?.push({ route: [{ destination: { host: "reviews", subset: "v3" } }] })),
      { virtualService: [{ path: "http[2]", actual: { route: [{ destination: { host: "reviews", subset: "v3" } }] } }] },
    ],
    [
      "someone removed a field",
      tamper((vs) => {
        delete vs.spec.hosts;
      }),
      { virtualService: [{ path: "hosts", expected: ["reviews"] }] },
    ],
    [
      "route order swapped is drift (arrays are ordered)",
      tamper((vs) => vs.spec.http?.reverse()),
      "some",
    ],
    ["VirtualService deleted", { ...applied, virtualService: null }, { virtualService: [{ path: "", expected: plan.status.lastApplied.virtualServiceSpec, actual: null }] }],
    [
      "DestinationRule subset removed",
      { ...applied, destinationRule: { ...applied.destinationRule!, spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] } } },
      {
        destinationRule: [
          { path: "subsets[1]", expected: { name: "v2", labels: { version: "v2" } } },
          { path: "subsets[2]", expected: { name: "v3", labels: { version: "v3" } } },
        ],
      },
    ],
  ])("%s", (_label, cluster, expected) => {
    const drift = detectDrift(plan.status, cluster);
    if (expected === "some") expect(drift?.virtualService?.length).toBeGreaterThan(0);
    else expect(drift).toEqual(expected);
  });

  it("ignores object key order and server metadata", () => {
    const vs = structuredClone(applied.virtualService) as VirtualService;
    vs.spec = { http: vs.spec.http, hosts: vs.spec.hosts };
    vs.metadata.resourceVersion = "999999";
    expect(detectDrift(plan.status, { ...applied, virtualService: vs })).toBeNull();
  });

  it("tasks without mesh objects never drift", () => {
    expect(detectDrift({ ...plan.status, lastApplied: { virtualServiceSpec: null, destinationRuleSpec: null } }, { virtualService: null, destinationRule: null })).toBeNull();
  });
});

describe("diffJson", () => {
  it.each([
    [{ a: 1 }, { a: 1 }, []],
    [{ a: [1, 2] }, { a: [2, 1] }, [{ path: "a[0]", expected: 1, actual: 2 }, { path: "a[1]", expected: 2, actual: 1 }]],
    [{ "x-y": { z: 1 } }, { "x-y": { z: "1" } }, [{ path: '["x-y"].z', expected: 1, actual: "1" }]],
    [{ a: {} }, { a: null }, [{ path: "a", expected: {}, actual: null }]],
  ])("%j vs %j", (a, b, expected) => {
    expect(diffJson(a, b)).toEqual(expected);
  });
});
