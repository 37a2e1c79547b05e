// The Istio form of an owned route of a routing intent: its match alternatives as ORed
// HTTPMatchRequests, its destinations in a fixed order whatever the version labels look like.
import { describe, expect, it } from "vitest";
import { istioOwnedRoute } from "./mesh";
import type { TaskStatus } from "./status";

const status = (base: string, next: string) =>
  ({
    task: "rel",
    baseVersion: base,
    newVersion: next,
    destinationHost: "reviews",
    destinationPort: null,
    subsets: { [base]: `s${base}`, [next]: `s${next}` },
  }) as unknown as TaskStatus;

describe("istioOwnedRoute", () => {
  it.each<{ name: string; base: string; next: string; weights: Record<string, number>; want: unknown[] }>([
    {
      name: "one version: no weight, as Istio's samples write it",
      base: "v1",
      next: "v2",
      weights: { v2: 100 },
      want: [{ destination: { host: "reviews", subset: "sv2" } }],
    },
    {
      name: "a split: the new version first",
      base: "v1",
      next: "v2",
      weights: { v1: 40, v2: 60 },
      want: [
        { destination: { host: "reviews", subset: "sv2" }, weight: 60 },
        { destination: { host: "reviews", subset: "sv1" }, weight: 40 },
      ],
    },
    {
      // Integer-like keys iterate in numeric order in JS objects: the order must not come from the object.
      name: "numeric version labels keep that order",
      base: "2",
      next: "1",
      weights: { "2": 30, "1": 70 },
      want: [
        { destination: { host: "reviews", subset: "s1" }, weight: 70 },
        { destination: { host: "reviews", subset: "s2" }, weight: 30 },
      ],
    },
  ])("$name", ({ base, next, weights, want }) => {
    const route = istioOwnedRoute(
      {
        purpose: "canary",
        match: [[{ kind: "uri", op: "prefix", value: "/api" }]],
        weights,
        fieldPath: "traffic.match",
      },
      status(base, next),
    );
    expect(route.route).toEqual(want);
  });

  it("each alternative is one HTTPMatchRequest; a cookie is a regex over the Cookie header", () => {
    const route = istioOwnedRoute(
      {
        purpose: "preview",
        match: [
          [{ kind: "header", name: "x-preview", op: "exact", value: "1" }],
          [{ kind: "cookie", name: "preview", value: "yes" }],
        ],
        weights: { v2: 100 },
        fieldPath: "traffic",
      },
      status("v1", "v2"),
    );
    expect(route.name).toBe("gc-rel-preview");
    expect(route.match).toEqual([
      { headers: { "x-preview": { exact: "1" } } },
      { headers: { cookie: { regex: "^(.*?;\\s*)?preview=yes(;.*)?$" } } },
    ]);
  });
});
