import { describe, expect, it } from "vitest";
import { checkCreateThrough } from "./planner";
import { parseThrough, problemsThrough, sectionOfPath, sectionsThrough } from "./spec-sections";
import { bookinfo, NS, reviewsDeployment } from "./testdata/bookinfo";
import { expectPlanError, IMAGE } from "./testdata/run";
import type { Deployment } from "./types";

describe("sectionOfPath: the wizard section that shows a field", () => {
  it.each([
    ["name", "basic"],
    ["namespace", "basic"],
    ["strategy", "basic"],
    ["service", "service"],
    ["baseVersion", "service"],
    ["newVersion", "version"],
    ["newVersion.version", "version"],
    ["newVersion.env[0].name", "version"],
    ["traffic", "traffic"],
    ["traffic.previewCookie.value", "traffic"],
    ["traffic.variants[1].weight", "traffic"],
    ["batch.groups", "traffic"],
    ["rollout.drainSeconds", null],
    ["", null],
    ["names", null],
  ])("%s -> %s", (path, section) => {
    expect(sectionOfPath(path)).toBe(section);
  });

  it("sectionsThrough lists the sections filled by then", () => {
    expect(sectionsThrough("basic")).toEqual(["basic"]);
    expect(sectionsThrough("version")).toEqual(["basic", "service", "version"]);
  });
});

/** What the wizard sends after step 1: later fields are still empty. */
const afterBasic = {
  name: "reviews-v2",
  namespace: NS,
  strategy: "canary",
  service: "",
  newVersion: { version: "", image: "" },
};
const afterVersion = {
  ...afterBasic,
  service: "reviews",
  baseVersion: "v1",
  newVersion: { version: "v2", image: IMAGE, replicas: 1 },
};

describe("problemsThrough: the schema's problems of the sections filled so far", () => {
  it("ignores the empty fields of later sections", () => {
    expect(problemsThrough(afterBasic, "basic")).toEqual([]);
    expect(problemsThrough(afterVersion, "version")).toEqual([]);
  });

  it("reports the filled sections' problems with their paths", () => {
    const paths = problemsThrough({ ...afterBasic, name: "Bad Name" }, "basic").map((p) => p.path);
    expect(paths).toEqual(["name"]);
    expect(problemsThrough(afterBasic, "service").map((p) => p.path)).toEqual(["service"]);
  });

  it("keeps cross-field rules of a filled section (new version = base version)", () => {
    const same = { ...afterVersion, newVersion: { version: "v1", image: IMAGE } };
    expect(problemsThrough(same, "version")).toMatchObject([
      { path: "newVersion.version", message: "must differ from baseVersion (v1)" },
    ]);
  });

  it("parseThrough returns only the typed fields through the section", () => {
    expect(parseThrough(afterBasic, "basic")).toEqual({ name: "reviews-v2", namespace: NS, strategy: "canary" });
    expect(parseThrough(afterVersion, "version")).toMatchObject({
      service: "reviews",
      baseVersion: "v1",
      newVersion: { version: "v2", replicas: 1 },
    });
  });
});

describe("checkCreateThrough: planCreate's checks before the traffic step", () => {
  const withV2 = bookinfo({ deployments: [reviewsDeployment("v1"), reviewsDeployment("v2")] });

  it("passes the service step when the base is found, whatever versions run", () => {
    expect(() => checkCreateThrough(parseThrough(afterVersion, "service"), withV2)).not.toThrow();
  });

  it("refuses, at the version step, a version that already runs, as a keyed field error", () => {
    const err = expectPlanError(
      () => checkCreateThrough(parseThrough(afterVersion, "version"), withV2),
      "conflict",
      /^newVersion\.version: version v2 already exists as Deployment reviews-v2$/,
    );
    expect(err.details).toMatchObject({
      path: "newVersion.version",
      key: "err.versionExists",
      params: { version: "v2", kind: "Deployment", name: "reviews-v2" },
    });
  });

  it("passes the version step for a free version", () => {
    const v3 = { ...afterVersion, newVersion: { ...afterVersion.newVersion, version: "v3" } };
    expect(() => checkCreateThrough(parseThrough(v3, "version"), withV2)).not.toThrow();
  });

  it.each([
    [
      "another version",
      { app: "reviews", version: "v9" },
      "err.versionNameTaken.version",
      { other: "v9" },
      /runs version v9; choose another version label$/,
    ],
    [
      "another app",
      { app: "ratings", version: "v2" },
      "err.versionNameTaken.app",
      { app: "ratings" },
      /runs pods of app ratings;/,
    ],
    ["no app label", { version: "v2" }, "err.versionNameTaken.otherApp", {}, /runs pods of another app;/],
    [
      "no version label",
      { app: "reviews" },
      "err.versionNameTaken.unlabelled",
      {},
      /runs pods without a version label;/,
    ],
  ])("names what holds the derived Deployment name: %s", (_label, labels, key, extra, message) => {
    const holder: Deployment = { ...reviewsDeployment("v9", { name: "reviews-v2" }) };
    holder.spec = { ...holder.spec, template: { ...holder.spec.template, metadata: { labels } } };
    const err = expectPlanError(
      () =>
        checkCreateThrough(
          parseThrough(afterVersion, "version"),
          bookinfo({ deployments: [reviewsDeployment("v1"), holder] }),
        ),
      "conflict",
      message,
    );
    expect(err.details).toMatchObject({
      path: "newVersion.version",
      key,
      params: { version: "v2", name: "reviews-v2", ...extra },
    });
  });

  it("refuses, at the service step, a base version no Deployment runs", () => {
    const spec = parseThrough({ ...afterVersion, baseVersion: "v7" }, "service");
    expectPlanError(
      () => checkCreateThrough(spec, bookinfo()),
      "not_found",
      /^baseVersion: no Deployment with app=reviews, version=v7/,
    );
  });
});
