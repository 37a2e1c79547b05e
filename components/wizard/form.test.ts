import { describe, expect, it } from "vitest";
import type { RoutingReading, VersionGroup } from "@/lib/release/routing";
import { TaskSpecSchema } from "@/lib/release/spec";
import {
  buildSpec,
  checkBeforeLeaving,
  defaultBaseVersion,
  emptyEnv,
  emptyRule,
  inheritFromBase,
  initialForm,
  rowsOfSteps,
  stepKey,
  stepsOfRows,
  targetsOfRows,
  stepOfPath,
  STEPS,
  suggestNextVersion,
  valueAt,
  valueKey,
  type WizardForm,
} from "./form";

const group = (
  version: string,
  desired: number,
  image = `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.3`,
): VersionGroup => ({
  version,
  deployments: [`reviews-${version}`],
  image,
  replicas: { ready: desired, desired },
});
const reviews = [group("v1", 1), group("v2", 2), group("v3", 1)];
const routing = (weights: Record<string, number>): RoutingReading => ({
  virtualService: "reviews",
  defaultRoute: { weights },
  matchRoutes: [],
});

/** A form filled in the way a user would: service picked, base inherited, name typed. */
function filled(strategy: WizardForm["strategy"], edit: (f: WizardForm) => void = () => {}): WizardForm {
  const f = inheritFromBase(
    { ...initialForm({ namespace: "bookinfo", strategy }), service: "reviews", name: "reviews-rel" },
    reviews[0],
    reviews,
  );
  edit(f);
  return f;
}

describe("defaults from the cluster", () => {
  it.each([
    { why: "the version with most traffic", routing: routing({ v1: 10, v3: 90 }), want: "v3" },
    { why: "ignores subsets that are not versions", routing: routing({ "*": 100 }), want: "v2" },
    { why: "no VirtualService: most replicas", routing: null, want: "v2" },
  ])("$why", ({ routing: r, want }) => {
    expect(defaultBaseVersion(reviews, r)).toBe(want);
  });
  it("no versions: empty", () => {
    expect(defaultBaseVersion([], null)).toBe("");
  });

  it.each([
    { existing: ["v1", "v2", "v3"], want: "v4" },
    { existing: ["v1", "v2-mysql"], want: "v3" },
    { existing: ["stable"], want: "v2" },
    { existing: [], want: "v2" },
  ])("suggestNextVersion($existing) = $want", ({ existing, want }) => {
    expect(suggestNextVersion(existing)).toBe(want);
  });

  it("copies image and replicas from the base until the user edits them", () => {
    const f = inheritFromBase(initialForm({}), reviews[1], reviews);
    expect(f.baseVersion).toBe("v2");
    expect(f.newVersion).toMatchObject({ image: reviews[1]?.image, replicas: "2", version: "v4", imageEdited: false });
    const edited = {
      ...f,
      newVersion: {
        ...f.newVersion,
        image: "example.com/reviews:v9",
        imageEdited: true,
        version: "canary",
        versionEdited: true,
      },
    };
    const again = inheritFromBase(edited, reviews[0], reviews);
    expect(again.newVersion).toMatchObject({ image: "example.com/reviews:v9", version: "canary", replicas: "1" });
  });
});

describe("buildSpec", () => {
  it("canary: weights split between base and new", () => {
    const spec = buildSpec(filled("canary", (f) => (f.traffic.weight = 25)));
    expect(spec).toEqual({
      name: "reviews-rel",
      namespace: "bookinfo",
      service: "reviews",
      strategy: "canary",
      baseVersion: "v1",
      newVersion: { version: "v4", image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3", replicas: 1 },
      traffic: { weights: { v1: 75, v4: 25 } },
    });
    expect(TaskSpecSchema.safeParse(spec).success).toBe(true);
  });

  it("canary with rules: match and a partial matchWeight", () => {
    const spec = buildSpec(
      filled("canary", (f) => {
        f.traffic.useMatch = true;
        f.traffic.rules = [{ ...emptyRule("header"), name: "End-User", value: "jason" }, emptyRule("os")];
        f.traffic.matchWeight = 50;
      }),
    );
    expect(spec.traffic).toEqual({
      weights: { v1: 90, v4: 10 },
      match: [
        { kind: "header", name: "End-User", op: "exact", value: "jason" },
        { kind: "os", value: "android" },
      ],
      matchWeight: 50,
    });
    expect(TaskSpecSchema.safeParse(spec).success).toBe(true);
  });

  it.each([
    // Bookinfo's reviews: the header productpage forwards, not x-preview (which never reaches it).
    { strategy: "blue-green" as const, want: { traffic: { previewHeader: { name: "end-user", value: "jason" } } } },
    { strategy: "mirror" as const, want: { traffic: { mirrorPercent: 100 } } },
    { strategy: "replica-canary" as const, want: { traffic: { weights: { v1: 90, v4: 10 } } } },
    { strategy: "batch" as const, want: { batch: { groups: 3, betaGroup: true, pauseBetweenGroups: true } } },
  ])("$strategy sends only its own fields", ({ strategy, want }) => {
    const spec = buildSpec(filled(strategy, (f) => (f.newVersion.replicas = "3")));
    const { traffic, batch } = spec as { traffic?: unknown; batch?: unknown };
    expect({ ...(traffic ? { traffic } : {}), ...(batch ? { batch } : {}) }).toEqual(want);
    expect(TaskSpecSchema.safeParse(spec).error?.issues ?? []).toEqual([]);
  });

  it("blue-green with the cookie rule sends previewCookie beside (or instead of) the header", () => {
    const both = buildSpec(filled("blue-green", (f) => (f.traffic.previewCookieEnabled = true)));
    expect(both.traffic).toEqual({
      previewHeader: { name: "end-user", value: "jason" },
      previewCookie: { name: "preview", value: "true" },
    });
    expect(TaskSpecSchema.safeParse(both).success).toBe(true);
    const cookieOnly = buildSpec(
      filled("blue-green", (f) =>
        Object.assign(f.traffic, {
          previewEnabled: false,
          previewCookieEnabled: true,
          previewCookieName: " beta ",
          previewCookieValue: "on",
        }),
      ),
    );
    expect(cookieOnly.traffic).toEqual({ previewCookie: { name: "beta", value: "on" } });
  });

  it("the preview header default follows the service until the user edits it", () => {
    expect(initialForm({}).traffic).toMatchObject({ previewName: "x-preview", previewValue: "true" });
    const other = inheritFromBase({ ...initialForm({}), service: "cart" }, group("v1", 1, "example.com/cart:1"), [
      group("v1", 1, "example.com/cart:1"),
    ]);
    expect(other.traffic).toMatchObject({ previewName: "x-preview", previewValue: "true" });
    const edited = filled("blue-green", (f) =>
      Object.assign(f.traffic, { previewName: "x-tester", previewValue: "green", previewEdited: true }),
    );
    expect(inheritFromBase(edited, reviews[1], reviews).traffic).toMatchObject({
      previewName: "x-tester",
      previewValue: "green",
    });
  });

  it("blue-green without preview sends no traffic at all", () => {
    expect(buildSpec(filled("blue-green", (f) => (f.traffic.previewEnabled = false))).traffic).toBeUndefined();
  });

  it("ab-test: variants with rules and/or weights", () => {
    const spec = buildSpec(
      filled("ab-test", (f) => {
        f.traffic.variants = [
          { name: "a", version: "v1", useMatch: false, rules: [], useWeight: true, weight: "100" },
          {
            name: "b",
            version: "v4",
            useMatch: true,
            rules: [{ ...emptyRule("cookie"), name: "group", value: "b" }],
            useWeight: false,
            weight: "",
          },
        ];
      }),
    );
    expect(spec.traffic).toEqual({
      variants: [
        { name: "a", version: "v1", weight: 100 },
        { name: "b", version: "v4", match: [{ kind: "cookie", name: "group", value: "b" }] },
      ],
    });
    expect(TaskSpecSchema.safeParse(spec).success).toBe(true);
  });

  it("new-version details: resources, env from three sources, probes, command/args", () => {
    const spec = buildSpec(
      filled("canary", (f) => {
        Object.assign(f.newVersion, {
          cpuRequest: "100m",
          memoryLimit: "256Mi",
          command: "/app\n",
          args: "--port\n9080\n\n",
        });
        f.newVersion.env = [
          { ...emptyEnv(), name: "LOG_LEVEL", value: "debug" },
          { ...emptyEnv(), name: "TOKEN", source: "secret", refName: "reviews-secrets", refKey: "token" },
          { ...emptyEnv(), name: "COLOR", source: "configMap", refName: "reviews-config", refKey: "color" },
          emptyEnv(),
        ];
        f.newVersion.readinessProbe = {
          type: "httpGet",
          path: "/health",
          port: "9080",
          command: "",
          initialDelaySeconds: "5",
          periodSeconds: "",
        };
        f.newVersion.livenessProbe = {
          type: "tcpSocket",
          path: "/",
          port: "http",
          command: "",
          initialDelaySeconds: "",
          periodSeconds: "10",
        };
      }),
    );
    expect(spec.newVersion).toMatchObject({
      resources: { requests: { cpu: "100m" }, limits: { memory: "256Mi" } },
      env: [
        { name: "LOG_LEVEL", value: "debug" },
        { name: "TOKEN", secretKeyRef: { name: "reviews-secrets", key: "token" } },
        { name: "COLOR", configMapKeyRef: { name: "reviews-config", key: "color" } },
      ],
      readinessProbe: { httpGet: { path: "/health", port: 9080 }, initialDelaySeconds: 5 },
      livenessProbe: { tcpSocket: { port: "http" }, periodSeconds: 10 },
      command: ["/app"],
      args: ["--port", "9080"],
    });
    expect(TaskSpecSchema.safeParse(spec).success).toBe(true);
  });

  it("non-numeric replicas reach the schema as an error, not as a silent default", () => {
    const spec = buildSpec(filled("canary", (f) => (f.newVersion.replicas = "two")));
    const r = TaskSpecSchema.safeParse(spec);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join("."))).toContain("newVersion.replicas");
  });
});

describe("stepOfPath", () => {
  it.each([
    { path: "name", want: 0 },
    { path: "namespace", want: 0 },
    { path: "strategy", want: 0 },
    { path: "service", want: 1 },
    { path: "baseVersion", want: 1 },
    { path: "newVersion.image", want: 2 },
    { path: "newVersion.env[0].name", want: 2 },
    { path: "traffic", want: 3 },
    { path: "traffic.variants[1].match[0].value", want: 3 },
    { path: "batch.groups", want: 3 },
    { path: "", want: 4 },
    { path: "nameX", want: 4 },
  ])("$path -> step $want", ({ path, want }) => {
    expect(stepOfPath(path)).toBe(want);
  });
});

describe("the server check before leaving each step", () => {
  it("steps 1-3 check their sections, the traffic step is the full preview, the review asks nothing", () => {
    expect(STEPS.map((_, i) => checkBeforeLeaving(i))).toEqual([
      { kind: "check", section: "basic" },
      { kind: "check", section: "service" },
      { kind: "check", section: "version" },
      { kind: "preview" },
      null,
    ]);
  });

  it("a field the server names leads to the step that shows it, and that step's check covers it", () => {
    for (const path of ["name", "service", "baseVersion", "newVersion.version", "traffic.previewCookie.value"]) {
      const check = checkBeforeLeaving(stepOfPath(path));
      expect(check, path).not.toBeNull();
    }
    expect(checkBeforeLeaving(stepOfPath("newVersion.version"))).toEqual({ kind: "check", section: "version" });
    expect(checkBeforeLeaving(stepOfPath("name"))).toEqual({ kind: "check", section: "basic" });
  });
});

describe("fingerprints of what the server checked", () => {
  const spec = buildSpec(filled("canary", (f) => (f.newVersion.env = [{ ...emptyEnv(), name: "A", value: "1" }])));

  it("valueAt reads dotted and indexed paths", () => {
    expect(valueAt(spec, "newVersion.version")).toBe("v4");
    expect(valueAt(spec, "newVersion.env[0].name")).toBe("A");
    expect(valueAt(spec, "traffic.weights.v1")).toBe(90);
    expect(valueAt(spec, "newVersion.nothing.here")).toBeUndefined();
    expect(valueAt(spec, "")).toBe(spec);
  });

  it("valueKey changes when the field changes, and only then", () => {
    const v3 = buildSpec(filled("canary", (f) => (f.newVersion.version = "v3")));
    const renamed = buildSpec(filled("canary", (f) => (f.name = "other")));
    expect(valueKey(v3, "newVersion.version")).not.toBe(valueKey(spec, "newVersion.version"));
    expect(valueKey(renamed, "newVersion.version")).toBe(valueKey(buildSpec(filled("canary")), "newVersion.version"));
  });

  it("stepKey covers the sections through the step: a name change unchecks every step, an image change only version and later", () => {
    const base = buildSpec(filled("canary"));
    const renamed = buildSpec(filled("canary", (f) => (f.name = "other")));
    const reimaged = buildSpec(filled("canary", (f) => (f.newVersion.image = "example.com/reviews:9")));
    const reweighted = buildSpec(filled("canary", (f) => (f.traffic.weight = 50)));
    const changed = (other: typeof base) => [0, 1, 2, 3].filter((i) => stepKey(other, i) !== stepKey(base, i));
    expect(changed(renamed)).toEqual([0, 1, 2, 3]);
    expect(changed(reimaged)).toEqual([2, 3]);
    expect(changed(reweighted)).toEqual([3]);
  });
});

describe("steps and notification rows", () => {
  it("a setMatch step round-trips through the rules editor's rows, every rule kind included", () => {
    const steps = [
      { setWeight: 20 },
      {
        setMatch: [
          { kind: "header", name: "end-user", op: "exact", value: "jason" },
          { kind: "cookie", name: "beta", value: "1" },
          { kind: "uri", op: "prefix", value: "/api" },
          { kind: "os", value: "ios" },
          { kind: "browser", value: "firefox" },
        ],
      },
      { pause: { duration: "30s" } },
      { pause: {} },
    ];
    expect(stepsOfRows(rowsOfSteps(steps))).toEqual(steps);
  });

  it("notification rows: URLs and secrets trimmed, a blank secret is no secret", () => {
    expect(
      targetsOfRows([
        { type: "dingtalk", url: " https://oapi.dingtalk.com/robot/send?access_token=x ", secret: " SEC1 " },
        { type: "slack", url: "https://hooks.slack.com/services/T/B/C", secret: "  " },
      ]),
    ).toEqual([
      { type: "dingtalk", url: "https://oapi.dingtalk.com/robot/send?access_token=x", secret: "SEC1" },
      { type: "slack", url: "https://hooks.slack.com/services/T/B/C" },
    ]);
  });
});
