import { describe, expect, it } from "vitest";
import type { VersionGroup } from "@/lib/release/routing";
import { emptyRule, inheritFromBase, initialForm, type WizardForm } from "./form";
import { validateForm, validateStep } from "./validate";

const v1: VersionGroup = {
  version: "v1",
  deployments: ["reviews-v1"],
  image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3",
  replicas: { ready: 1, desired: 1 },
};

function form(edit: (f: WizardForm) => void = () => {}): WizardForm {
  const f = inheritFromBase(
    { ...initialForm({ namespace: "bookinfo" }), service: "reviews", name: "reviews-canary" },
    v1,
    [v1],
  );
  edit(f);
  return f;
}

describe("validateStep", () => {
  it("a complete canary form has no problems on any step", () => {
    expect(validateForm(form())).toEqual([]);
    for (const step of [0, 1, 2, 3]) expect(validateStep(form(), step)).toEqual({});
  });

  it.each([
    { why: "bad release name", step: 0, edit: (f: WizardForm) => (f.name = "Reviews_Canary"), path: "name" },
    { why: "no namespace", step: 0, edit: (f: WizardForm) => (f.namespace = ""), path: "namespace" },
    { why: "no service", step: 1, edit: (f: WizardForm) => (f.service = ""), path: "service" },
    {
      why: "bad image",
      step: 2,
      edit: (f: WizardForm) => (f.newVersion.image = "Not An Image"),
      path: "newVersion.image",
    },
    {
      why: "version equal to base",
      step: 2,
      edit: (f: WizardForm) => (f.newVersion.version = "v1"),
      path: "newVersion.version",
    },
    {
      why: "bad CPU quantity",
      step: 2,
      edit: (f: WizardForm) => (f.newVersion.cpuRequest = "lots"),
      path: "newVersion.resources.requests.cpu",
    },
    {
      why: "http probe path",
      step: 2,
      edit: (f: WizardForm) =>
        (f.newVersion.readinessProbe = {
          type: "httpGet",
          path: "health",
          port: "9080",
          command: "",
          initialDelaySeconds: "",
          periodSeconds: "",
        }),
      path: "newVersion.readinessProbe.httpGet.path",
    },
    {
      why: "header rule without a value",
      step: 3,
      edit: (f: WizardForm) => {
        f.traffic.useMatch = true;
        f.traffic.rules = [{ ...emptyRule("header"), name: "end-user" }];
      },
      path: "traffic.match[0].value",
    },
    {
      why: "two uri rules cannot be combined (planner's rule, named by index)",
      step: 3,
      edit: (f: WizardForm) => {
        f.traffic.useMatch = true;
        f.traffic.rules = [emptyRule("uri"), { ...emptyRule("uri"), value: "/api" }];
      },
      path: "traffic.match[1]",
    },
    {
      why: "batch groups above replicas",
      step: 3,
      edit: (f: WizardForm) => {
        f.strategy = "batch";
        f.batch.groups = "5";
      },
      path: "batch.groups",
    },
  ])("$why -> $path on step $step", ({ step, edit, path }) => {
    const f = form(edit);
    const errors = validateStep(f, step);
    expect(Object.keys(errors)).toContain(path);
    expect(errors[path]).toBeTruthy();
    // The problem belongs to this step only: earlier steps still let the user through.
    for (let s = 0; s < step; s++) expect(validateStep(f, s)).toEqual({});
  });
});
