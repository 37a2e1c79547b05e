import { describe, expect, it } from "vitest";
import { actionTable, intentStatus, specIssues, specOf, transitionStatus } from "../testdata/strategy";
import { blueGreen } from "./blue-green";

describe("blue-green: its traffic part of the spec", () => {
  it.each([
    { name: "no preview", traffic: undefined, want: [] },
    { name: "a preview header", traffic: { previewHeader: { name: "X-Preview", value: "1" } }, want: [] },
    { name: "a preview cookie", traffic: { previewCookie: { name: "preview", value: "yes" } }, want: [] },
    {
      name: "weights",
      traffic: { weights: { v1: 90, v2: 10 } },
      want: ["traffic.weights: err.spec.notUsedByStrategy"],
    },
    { name: "variants", traffic: { variants: [] }, want: ["traffic.variants: err.spec.notUsedByStrategy"] },
  ])("$name", ({ traffic, want }) => {
    expect(specIssues("blue-green", traffic ? { traffic } : {})).toEqual(want);
  });
});

describe("blue-green: the routing it asks for", () => {
  const spec = specOf("blue-green", {
    traffic: { previewHeader: { name: "X-Preview", value: "1" }, previewCookie: { name: "preview", value: "yes" } },
  });
  const preview = {
    purpose: "preview",
    // Header and cookie are alternatives (ORed), each one rule.
    match: [
      [{ kind: "header", name: "x-preview", op: "exact", value: "1" }],
      [{ kind: "cookie", name: "preview", value: "yes" }],
    ],
    weights: { v2: 100 },
    fieldPath: "traffic",
  };
  const start = intentStatus({ weights: { v1: 100, v2: 0 } });

  it("create: all traffic on the base, the preview to the new version", () => {
    expect(blueGreen.intent(spec, start, "create")).toEqual({
      defaultRoute: { weights: { v1: 100, v2: 0 } },
      mirror: undefined,
      owned: [preview],
      versions: ["v1", "v2"],
    });
  });
  it.each([
    {
      name: "switch keeps the preview",
      status: intentStatus({ weights: { v1: 0, v2: 100 }, ownedRoutes: ["gc-rel-preview"] }),
      want: [preview],
    },
    {
      name: "a preview dropped by drift stays dropped",
      status: intentStatus({ weights: { v1: 0, v2: 100 } }),
      want: [],
    },
  ])("allTraffic: $name", ({ status, want }) => {
    expect(blueGreen.intent(spec, status, "allTraffic").owned).toEqual(want);
  });
  it("no preview asked: no owned route", () => {
    expect(blueGreen.ownedRoutes(specOf("blue-green"), start)).toEqual([]);
  });
});

describe("blue-green: actions per state", () => {
  it("switches, never splits", () => {
    expect(actionTable(blueGreen, transitionStatus({ weights: { v1: 100, v2: 0 } }))).toEqual({
      progressing: ["takeover", "switch", "rollback", "pause", "abort", "resync", "acceptDrift"],
      "awaiting-confirmation": ["rollback", "pause", "abort", "resync", "acceptDrift"],
      paused: ["rollback", "resume", "abort", "resync", "acceptDrift"],
      completed: [],
      "rolled-back": ["takeover", "switch", "abort", "resync", "acceptDrift"],
      aborted: [],
      failed: ["takeover", "switch", "rollback", "abort", "resync", "acceptDrift"],
    });
    expect(blueGreen.refusal("progressing", "setTraffic", transitionStatus())).toBe("err.state.blueGreenTraffic");
  });
  it("moves forward by switch; the slider is read-only", () => {
    expect(blueGreen.capabilities).toMatchObject({ advance: "switch", slider: "none", hasPreview: true });
    expect(blueGreen.buttons("progressing")).toEqual(["switch", "retireOld", "rollback", "abort"]);
    expect(blueGreen.nextState("progressing", "switch", transitionStatus())).toBe("progressing");
  });
});
