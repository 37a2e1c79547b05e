import { describe, expect, it } from "vitest";
import { detectDrift } from "./drift";
import { diffJson } from "./json";
import { planCreate } from "./planner";
import { TaskSpecSchema } from "./spec";
import { applyPlan } from "./testdata/apply";
import { bookinfo, NS, vsBusy } from "./testdata/bookinfo";
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
      "a foreign route someone added in front is not drift",
      tamper((vs) =>
        vs.spec.http?.unshift({
          name: "internal",
          match: [{ uri: { prefix: "/internal" } }],
          route: [{ destination: { host: "reviews", subset: "v3" } }],
        }),
      ),
      null,
    ],
    [
      "a field the task does not own (hosts) is not drift",
      tamper((vs) => {
        vs.spec.hosts = ["reviews", "reviews.example.com"];
      }),
      null,
    ],
    [
      "the owned route moved behind the default route is drift (it would never match)",
      tamper((vs) => vs.spec.http?.reverse()),
      {
        virtualService: [
          { path: "http[1]", expected: "before the default route", actual: "after the default route http[0]" },
        ],
      },
    ],
    [
      "the owned route deleted",
      tamper((vs) => vs.spec.http?.shift()),
      { virtualService: [{ path: "http[0]", expected: plan.status.lastApplied.virtualServiceSpec?.http?.[0] }] },
    ],
    [
      "VirtualService deleted",
      { ...applied, virtualService: null },
      { virtualService: [{ path: "", expected: plan.status.lastApplied.virtualServiceSpec, actual: null }] },
    ],
    [
      "DestinationRule subset removed",
      {
        ...applied,
        destinationRule: {
          ...applied.destinationRule!,
          spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] },
        },
      },
      {
        // v3 is nobody's business of this task: only its own subsets (v1, v2) count.
        destinationRule: [{ path: "subsets[1]", expected: { name: "v2", labels: { version: "v2" } } }],
      },
    ],
    [
      "a foreign subset edited is not drift",
      {
        ...applied,
        destinationRule: {
          ...applied.destinationRule!,
          spec: {
            ...applied.destinationRule!.spec,
            subsets: [
              ...(applied.destinationRule!.spec.subsets ?? []).slice(0, 2),
              { name: "v3", labels: { version: "v3", track: "x" } },
            ],
          },
        },
      },
      null,
    ],
  ])("%s", (_label, cluster, expected) => {
    expect(detectDrift(plan.status, cluster)).toEqual(expected);
  });

  it("moving a foreign route off the base (vsBusy's qa route) is not drift", () => {
    const busyPlan = planCreate(spec, bookinfo({ virtualService: vsBusy() }));
    const busy = applyPlan(bookinfo({ virtualService: vsBusy() }), busyPlan);
    const vs = structuredClone(busy.virtualService) as VirtualService;
    const qa = vs.spec.http?.find((r) => r.name === "qa");
    const dest = qa?.route?.[0]?.destination;
    if (!dest) throw new Error("fixture");
    dest.subset = "v2";
    expect(detectDrift(busyPlan.status, { ...busy, virtualService: vs })).toBeNull();
    const def = vs.spec.http?.find((r) => r.name === "default");
    if (def) def.timeout = "1s";
    expect(detectDrift(busyPlan.status, { ...busy, virtualService: vs })?.virtualService).toEqual([
      { path: "http[3].timeout", expected: "10s", actual: "1s" },
    ]);
  });

  it("ignores object key order and server metadata", () => {
    const vs = structuredClone(applied.virtualService) as VirtualService;
    vs.spec = { http: vs.spec.http, hosts: vs.spec.hosts };
    vs.metadata.resourceVersion = "999999";
    expect(detectDrift(plan.status, { ...applied, virtualService: vs })).toBeNull();
  });

  it("tasks without mesh objects never drift", () => {
    expect(
      detectDrift(
        { ...plan.status, lastApplied: { virtualServiceSpec: null, destinationRuleSpec: null } },
        { virtualService: null, destinationRule: null },
      ),
    ).toBeNull();
  });
});

describe("diffJson", () => {
  it.each([
    [{ a: 1 }, { a: 1 }, []],
    [
      { a: [1, 2] },
      { a: [2, 1] },
      [
        { path: "a[0]", expected: 1, actual: 2 },
        { path: "a[1]", expected: 2, actual: 1 },
      ],
    ],
    [{ "x-y": { z: 1 } }, { "x-y": { z: "1" } }, [{ path: '["x-y"].z', expected: 1, actual: "1" }]],
    [{ a: {} }, { a: null }, [{ path: "a", expected: {}, actual: null }]],
  ])("%j vs %j", (a, b, expected) => {
    expect(diffJson(a, b)).toEqual(expected);
  });
});
