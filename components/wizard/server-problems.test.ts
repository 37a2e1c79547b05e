import { describe, expect, it } from "vitest";
import type { VersionGroup } from "@/lib/release/routing";
import { buildSpec, inheritFromBase, initialForm, type WizardForm } from "./form";
import { afterCheck, liveProblems, problemsOf, stepStatus, verifiedAfterPass } from "./server-problems";

const v1: VersionGroup = {
  version: "v1",
  deployments: ["reviews-v1"],
  image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.2",
  replicas: { ready: 1, desired: 1 },
};
const v2: VersionGroup = { ...v1, version: "v2", deployments: ["reviews-v2"] };
const form = (edit: (f: WizardForm) => void = () => {}): WizardForm => {
  const f = inheritFromBase(
    { ...initialForm({ namespace: "bookinfo", strategy: "canary" }), service: "reviews", name: "rel" },
    v1,
    [v1, v2],
  );
  f.newVersion = { ...f.newVersion, version: "v2", versionEdited: true };
  edit(f);
  return f;
};
const conflict = {
  path: "newVersion.version",
  message: "version v2 already exists as Deployment reviews-v2",
  key: "err.versionExists",
  params: { version: "v2", kind: "Deployment", name: "reviews-v2" },
};

describe("a problem the server found", () => {
  const checked = buildSpec(form());
  const problems = problemsOf([conflict], checked);

  it("stays while its field holds the refused value, whatever else changes", () => {
    expect(liveProblems(problems, checked)).toHaveLength(1);
    expect(liveProblems(problems, buildSpec(form((f) => (f.newVersion.image = "example.com/r:9"))))).toHaveLength(1);
  });

  it("goes away when its field changes (v2 -> v3)", () => {
    expect(liveProblems(problems, buildSpec(form((f) => (f.newVersion.version = "v3"))))).toEqual([]);
  });

  it("is replaced by the next check of its step, and kept by a check of an earlier step", () => {
    expect(afterCheck(problems, 2, [])).toEqual([]);
    expect(afterCheck(problems, 0, [])).toEqual(problems);
    const name = problemsOf([{ path: "name", message: "taken" }], checked);
    expect(afterCheck(problems, 0, name)).toEqual([...problems, ...name]);
  });

  it("is cleared by a passed full preview (the traffic step's check), even about a field no step shows", () => {
    const stray = problemsOf([{ path: "rollout.drainSeconds", message: "too long" }], checked);
    expect(afterCheck([...problems, ...stray], 3, [])).toEqual([]);
  });
});

describe("stepStatus: the tick", () => {
  const checked = buildSpec(form((f) => (f.newVersion.version = "v3")));
  const verified = verifiedAfterPass({}, 2, checked);

  it("a passed check ticks every step through it", () => {
    expect([0, 1, 2, 3].map((i) => stepStatus(i, checked, verified, []))).toEqual([
      "verified",
      "verified",
      "verified",
      "unverified",
    ]);
  });

  it("a server problem takes the tick of its step", () => {
    const spec = buildSpec(form());
    const live = liveProblems(problemsOf([conflict], spec), spec);
    expect(stepStatus(2, spec, verified, live)).toBe("error");
    expect(stepStatus(1, spec, verified, live)).toBe("verified");
  });

  it("changing a checked value unticks its step and the later ones; changing it back ticks them again", () => {
    const changed = buildSpec(form((f) => (f.newVersion.version = "v4")));
    expect([0, 1, 2].map((i) => stepStatus(i, changed, verified, []))).toEqual(["verified", "verified", "unverified"]);
    expect(stepStatus(2, checked, verified, [])).toBe("verified");
  });
});
