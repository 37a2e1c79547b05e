// Abort and rollback are the emergency brakes: they act on the LIVE objects, undo only what the
// task owns, keep every edit others made during the task, and work in any state, drift included.
import { describe, expect, it } from "vitest";
import { detectDrift } from "./drift";
import { opList } from "./testdata/apply";
import { bookinfo, vsBusy } from "./testdata/bookinfo";
import { canaryWeights, makeSpec, Run } from "./testdata/run";
import type { DestinationRule, HTTPRoute, VirtualService } from "./types";

const busyCanary = () =>
  makeSpec("canary", { traffic: { weights: { v1: 80, v2: 20 }, match: [{ kind: "os", value: "ios" }] } });
const internal: HTTPRoute = {
  name: "internal",
  match: [{ uri: { prefix: "/internal" } }],
  route: [{ destination: { host: "reviews", subset: "v1" } }],
};

function edit(run: Run, f: (vs: VirtualService) => void): void {
  const vs = structuredClone(run.cluster.virtualService) as VirtualService;
  f(vs);
  // Another team's write: a new resourceVersion, as the API server would give it.
  vs.metadata.resourceVersion = `${vs.metadata.resourceVersion ?? "0"}9`;
  run.cluster = { ...run.cluster, virtualService: vs };
}

describe("abort restores only what the task owns", () => {
  it("keeps an edit another team made to its own route, and a route it added, during the task", () => {
    const run = new Run(busyCanary(), bookinfo({ virtualService: vsBusy() }));
    run.act({ action: "takeover" });
    edit(run, (vs) => {
      const qa = vs.spec.http?.find((r) => r.name === "qa");
      if (qa) qa.timeout = "3s";
      vs.spec.http?.unshift(internal);
    });
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual(["replace VirtualService/reviews", "drain v2 30s", "delete Deployment/reviews-v2"]);
    const expected = vsBusy().spec;
    const qa = expected.http?.[0];
    if (qa) qa.timeout = "3s";
    expected.http?.unshift(internal);
    expect(run.cluster.virtualService?.spec).toEqual(expected);
  });

  it("works at once on a drifted task: the default route goes back to what was found", () => {
    const run = new Run(canaryWeights(80, 20));
    edit(run, (vs) => {
      const def = vs.spec.http?.[0];
      if (def?.route?.[0] && def.route[1]) [def.route[0].weight, def.route[1].weight] = [10, 90];
    });
    expect(detectDrift(run.plan.status, run.cluster)).not.toBeNull();
    run.act({ action: "abort" });
    expect(run.cluster.virtualService?.spec).toEqual(bookinfo().virtualService?.spec);
    expect(run.cluster.deployments.map((d) => d.metadata.name)).toEqual(["reviews-v1"]);
  });

  it("a VS and DR the task created are kept, minus its parts, when someone added to them", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: null, destinationRule: null }));
    edit(run, (vs) => vs.spec.http?.unshift(internal));
    const dr = structuredClone(run.cluster.destinationRule) as DestinationRule;
    dr.spec.subsets?.push({ name: "v3", labels: { version: "v3" } });
    run.cluster = { ...run.cluster, destinationRule: dr };
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "replace VirtualService/reviews",
      "drain v2 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v2",
    ]);
    expect(run.cluster.virtualService?.spec).toEqual({ hosts: ["reviews"], http: [internal] });
    // The task added v1, but the internal route someone added routes to it: it stays (else 503 NC).
    expect(run.cluster.destinationRule?.spec).toEqual({
      host: "reviews",
      subsets: [
        { name: "v1", labels: { version: "v1" } },
        { name: "v3", labels: { version: "v3" } },
      ],
    });
  });

  it("routes the task moved go back to the base", () => {
    const run = new Run(canaryWeights(0, 100), bookinfo({ virtualService: vsBusy() }));
    run.act({ action: "takeover", moveRoutes: ["reviews/qa"] });
    expect(run.cluster.virtualService?.spec.http?.[0]?.route?.[0]?.destination.subset).toBe("v2");
    run.act({ action: "abort" });
    expect(run.cluster.virtualService?.spec).toEqual(vsBusy().spec);
  });

  it("an owned route someone already deleted is simply gone; nothing throws", () => {
    const run = new Run(busyCanary(), bookinfo({ virtualService: vsBusy() }));
    edit(run, (vs) => {
      vs.spec.http = vs.spec.http?.filter((r) => r.name !== "gc-rel-canary");
    });
    run.act({ action: "abort" });
    expect(run.cluster.virtualService?.spec).toEqual(vsBusy().spec);
  });
});

describe("rollback acts on the live objects", () => {
  it("works on a drifted task and keeps foreign edits", () => {
    const run = new Run(busyCanary(), bookinfo({ virtualService: vsBusy() }));
    edit(run, (vs) => {
      vs.spec.http?.unshift(internal);
      const def = vs.spec.http?.find((r) => r.name === "default");
      if (def?.route?.[0]) def.route[0].weight = 5;
    });
    run.act({ action: "rollback" });
    const http = run.cluster.virtualService?.spec.http ?? [];
    expect(http.map((r) => r.name)).toEqual(["internal", "qa", "legacy-api", "default"]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 100, v2: 0 });
    expect(run.replicas("reviews-v2")).toBe(1);
  });

  it("puts back a deleted VS with all traffic on the base instead of refusing", () => {
    const run = new Run(canaryWeights(50, 50));
    run.cluster = { ...run.cluster, virtualService: null };
    const back = run.act({ action: "rollback" });
    expect(opList(back)).toEqual(["create VirtualService/reviews"]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 100, v2: 0 });
  });
});

describe("rollback when the live objects were edited beyond rendering", () => {
  it("a relabelled DR subset: traffic still goes back to the base, the DR is left alone and the summary says why", () => {
    const run = new Run(canaryWeights(50, 50));
    const dr = structuredClone(run.cluster.destinationRule) as DestinationRule;
    const v2 = dr.spec.subsets?.find((x) => x.name === "v2");
    if (v2) v2.labels = { version: "v9" };
    run.cluster = { ...run.cluster, destinationRule: dr };
    const back = run.act({ action: "rollback" });
    expect(opList(back)).toEqual(["replace VirtualService/reviews"]);
    // Read through the relabelled DR, the task's subset v2 now reads as version v9.
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 100, v9: 0 });
    expect(back.summary).toMatch(/DestinationRule left as it is \(DestinationRule subset v2 selects version=v9/);
  });

  it("a foreign catch-all in front of a removed default route: nothing to write, and no throw", () => {
    const run = new Run(canaryWeights(50, 50));
    edit(run, (vs) => {
      vs.spec.http = [{ name: "all-elsewhere", route: [{ destination: { host: "ratings", subset: "v1" } }] }];
    });
    const back = run.act({ action: "rollback" });
    expect(back.ops).toEqual([]);
    expect(back.summary).toMatch(
      /VirtualService\/DestinationRule left as they are \(VirtualService reviews sends all remaining traffic elsewhere at http\[0\]/,
    );
  });
});

describe("resync puts back only the task's parts", () => {
  it("re-applies the default route and keeps a foreign route added since", () => {
    const run = new Run(busyCanary(), bookinfo({ virtualService: vsBusy() }));
    const applied = structuredClone(run.cluster.virtualService?.spec);
    edit(run, (vs) => {
      vs.spec.http?.unshift(internal);
      const def = vs.spec.http?.find((r) => r.name === "default");
      if (def?.route?.[0]) def.route[0].weight = 5;
    });
    expect(opList(run.act({ action: "resync" }))).toEqual(["replace VirtualService/reviews"]);
    expect(run.cluster.virtualService?.spec).toEqual({ ...applied, http: [internal, ...(applied?.http ?? [])] });
    expect(detectDrift(run.plan.status, run.cluster)).toBeNull();
  });

  it("puts back a deleted owned subset and keeps a subset someone added", () => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = dr.spec.subsets?.filter((x) => x.name === "v1");
    const run = new Run(canaryWeights(80, 20), bookinfo({ destinationRule: dr }));
    const live = structuredClone(run.cluster.destinationRule) as DestinationRule;
    live.spec.subsets = [
      { name: "v1", labels: { version: "v1" } },
      { name: "x", labels: { track: "x" } },
    ];
    run.cluster = { ...run.cluster, destinationRule: live };
    run.act({ action: "resync" });
    expect(run.cluster.destinationRule?.spec.subsets?.map((x) => x.name)).toEqual(["v1", "x", "v2"]);
  });
});
