import { describe, expect, it } from "vitest";
import {
  ActionRequestSchema,
  formatZodError,
  imageReferenceProblem,
  regexProblem,
  TaskSpecSchema,
  type TaskSpecInput,
} from "./spec";

const canary = (
  over: Record<string, unknown> = {},
  traffic: Record<string, unknown> = { weights: { v1: 80, v2: 20 } },
): TaskSpecInput =>
  ({
    name: "reviews-v2",
    namespace: "bookinfo",
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2" },
    traffic,
    ...over,
  }) as TaskSpecInput;

function firstError(input: unknown, schema: typeof TaskSpecSchema | typeof ActionRequestSchema = TaskSpecSchema) {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected failure for ${JSON.stringify(input)}`);
  return formatZodError(r.error);
}

describe("TaskSpecSchema accepts", () => {
  it.each([
    ["canary by weights", canary()],
    [
      "canary by header match",
      canary({}, { match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] }),
    ],
    [
      "canary match + weights + matchWeight",
      canary(
        {},
        { weights: { v1: 90, v2: 10 }, match: [{ kind: "cookie", name: "beta", value: "1" }], matchWeight: 50 },
      ),
    ],
    [
      "blue-green with preview header",
      canary({ strategy: "blue-green" }, { previewHeader: { name: "x-preview", value: "1" } }),
    ],
    ["blue-green without traffic", canary({ strategy: "blue-green", traffic: undefined })],
    [
      "blue-green with a preview cookie",
      canary({ strategy: "blue-green" }, { previewCookie: { name: "preview", value: "true" } }),
    ],
    [
      "blue-green with a preview header and cookie",
      canary(
        { strategy: "blue-green" },
        { previewHeader: { name: "end-user", value: "jason" }, previewCookie: { name: "preview", value: "true" } },
      ),
    ],
    [
      "ab-test",
      canary(
        { strategy: "ab-test" },
        {
          variants: [
            { name: "mobile", version: "v2", match: [{ kind: "os", value: "android" }] },
            { name: "control", version: "v1", weight: 100 },
          ],
        },
      ),
    ],
    ["mirror", canary({ strategy: "mirror" }, { mirrorPercent: 12.5 })],
    [
      "batch",
      canary({
        strategy: "batch",
        traffic: undefined,
        batch: { groups: 3, betaGroup: true },
        newVersion: { version: "v2", image: "reviews:2", replicas: 3 },
      }),
    ],
    ["replica-canary", canary({ strategy: "replica-canary" })],
    // Any Kubernetes label value names a new version: its subset and Deployment names are derived.
    [
      "new version v2.1",
      canary({ newVersion: { version: "v2.1", image: "r:1" } }, { weights: { v1: 80, "v2.1": 20 } }),
    ],
    [
      "new version 1.4.0-rc1",
      canary({ newVersion: { version: "1.4.0-rc1", image: "r:1" } }, { weights: { v1: 80, "1.4.0-rc1": 20 } }),
    ],
    [
      "new version V2_rc",
      canary({ newVersion: { version: "V2_rc", image: "r:1" } }, { weights: { v1: 80, V2_rc: 20 } }),
    ],
    [
      "new version of 63 characters",
      canary({ newVersion: { version: "v".repeat(63), image: "r:1" } }, { weights: { v1: 80, ["v".repeat(63)]: 20 } }),
    ],
    ["rollout timings, drain 0 allowed", canary({ rollout: { readyTimeoutSeconds: 3600, drainSeconds: 0 } })],
    ["gateway routes followed (the default, said)", canary({ routing: { entryRoutes: "follow" } })],
    ["gateway routes left alone", canary({ routing: { entryRoutes: "ignore" } })],
    [
      "pod template annotations (kwok delay, prefixed and plain keys)",
      canary({
        newVersion: {
          version: "v2",
          image: "r:1",
          annotations: { "pod-ready.stage.kwok.x-k8s.io/delay": "20s", "team.io/owner": "a", note: "" },
        },
      }),
    ],
    [
      "full newVersion",
      canary({
        newVersion: {
          version: "v2",
          image: `registry.local:5000/team/reviews@sha256:${"a".repeat(64)}`,
          replicas: 3,
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: 1, memory: "1Gi" } },
          env: [
            { name: "A", value: "1" },
            { name: "B", secretKeyRef: { name: "s", key: "k" } },
            { name: "C", configMapKeyRef: { name: "cm", key: "k" } },
          ],
          readinessProbe: { httpGet: { path: "/health", port: 9080 }, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port: "http" }, failureThreshold: 3 },
          command: ["/bin/app"],
          args: ["--v"],
        },
      }),
    ],
  ])("%s", (_label, input) => {
    const r = TaskSpecSchema.safeParse(input);
    expect(r.success ? null : formatZodError(r.error)).toBeNull();
  });

  it("defaults replicas to 1 and pauseBetweenGroups to true, lowercases header names", () => {
    const spec = TaskSpecSchema.parse(canary({ strategy: "batch", traffic: undefined, batch: { groups: 1 } }));
    expect(spec.newVersion.replicas).toBe(1);
    expect(spec.batch?.pauseBetweenGroups).toBe(true);
    const m = TaskSpecSchema.parse(
      canary({}, { match: [{ kind: "header", name: "End-User", op: "exact", value: "jason" }] }),
    );
    expect(m.traffic?.match?.[0]).toMatchObject({ name: "end-user" });
  });
});

describe("TaskSpecSchema rejects, naming the field", () => {
  it.each([
    ["weights sum 90", canary({}, { weights: { v1: 70, v2: 20 } }), "traffic.weights", /sum to 100 \(got 90\)/],
    ["negative weight", canary({}, { weights: { v1: 110, v2: -10 } }), "traffic.weights.v1", /between 0 and 100/],
    ["weight > 100", canary({}, { weights: { v1: 0, v2: 101 } }), "traffic.weights.v2", /between 0 and 100/],
    ["weights as text", canary({}, { weights: { v1: "80", v2: "20" } }), "traffic.weights.v1", /between 0 and 100/],
    ["fractional weight", canary({}, { weights: { v1: 79.5, v2: 20.5 } }), "traffic.weights.v1", /integer/],
    [
      "version ending in '.'",
      canary({ newVersion: { version: "v2.", image: "reviews:2" } }),
      "newVersion.version",
      /Kubernetes label value/,
    ],
    [
      "version starting with '-'",
      canary({ newVersion: { version: "-v2", image: "reviews:2" } }),
      "newVersion.version",
      /starting and ending with a letter or digit/,
    ],
    [
      "version with a space",
      canary({ newVersion: { version: "v 2", image: "reviews:2" } }),
      "newVersion.version",
      /Kubernetes label value/,
    ],
    [
      "version with a '/'",
      canary({ newVersion: { version: "v2/1", image: "reviews:2" } }),
      "newVersion.version",
      /Kubernetes label value/,
    ],
    [
      "empty version",
      canary({ newVersion: { version: "", image: "reviews:2" } }),
      "newVersion.version",
      /must not be empty/,
    ],
    [
      "too long version",
      canary({ newVersion: { version: "v".repeat(64), image: "reviews:2" } }),
      "newVersion.version",
      /at most 63/,
    ],
    [
      "image with space",
      canary({ newVersion: { version: "v2", image: "reviews :2" } }),
      "newVersion.image",
      /whitespace/,
    ],
    [
      "image uppercase repo",
      canary({ newVersion: { version: "v2", image: "docker.io/Istio/reviews:2" } }),
      "newVersion.image",
      /image reference/,
    ],
    ["image empty", canary({ newVersion: { version: "v2", image: "" } }), "newVersion.image", /empty/],
    [
      "image bad tag",
      canary({ newVersion: { version: "v2", image: "reviews:-bad" } }),
      "newVersion.image",
      /image reference/,
    ],
    [
      "image bad digest",
      canary({ newVersion: { version: "v2", image: "reviews@sha256:abc" } }),
      "newVersion.image",
      /image reference/,
    ],
    [
      "image short sha256",
      canary({ newVersion: { version: "v2", image: `reviews@sha256:${"a".repeat(40)}` } }),
      "newVersion.image",
      /64 hex/,
    ],
    [
      "regex lookahead",
      canary({}, { match: [{ kind: "header", name: "end-user", op: "regex", value: "(?=jason).*" }] }),
      "traffic.match[0].value",
      /lookaround/,
    ],
    [
      "regex that does not compile",
      canary({}, { match: [{ kind: "uri", op: "regex", value: "/api/(v1" }] }),
      "traffic.match[0].value",
      /does not compile/,
    ],
    [
      "replicas > 100",
      canary({ newVersion: { version: "v2", image: "r:1", replicas: 101 } }),
      "newVersion.replicas",
      /between 0 and 100/,
    ],
    [
      "bad quantity",
      canary({ newVersion: { version: "v2", image: "r:1", resources: { limits: { memory: "1GB" } } } }),
      "newVersion.resources.limits.memory",
      /quantity/,
    ],
    [
      "probe with two handlers",
      canary({
        newVersion: {
          version: "v2",
          image: "r:1",
          readinessProbe: { tcpSocket: { port: 1 }, exec: { command: ["x"] } },
        },
      }),
      "newVersion.readinessProbe",
      /exactly one/,
    ],
    ["bad name", canary({ name: "Reviews_V2" }), "name", /DNS-1123/],
    ["canary without weights or match", canary({}, {}), "traffic", /weights.*match/],
    [
      "canary with three weights",
      canary({}, { weights: { v1: 50, v2: 25, v3: 25 } }),
      "traffic.weights",
      /exactly the base version/,
    ],
    [
      "canary weights without new version",
      canary({}, { weights: { v1: 50, v3: 50 } }),
      "traffic.weights",
      /exactly the base version/,
    ],
    [
      "canary weights vs baseVersion",
      canary({ baseVersion: "v1" }, { weights: { v3: 50, v2: 50 } }),
      "traffic.weights",
      /base version v1/,
    ],
    ["blue-green with weights", canary({ strategy: "blue-green" }), "traffic.weights", /not used by the blue-green/],
    [
      "ab-test with one variant",
      canary({ strategy: "ab-test" }, { variants: [{ name: "a", version: "v2", weight: 100 }] }),
      "traffic.variants",
      /at least 2/,
    ],
    [
      "ab-test without new version",
      canary(
        { strategy: "ab-test" },
        {
          variants: [
            { name: "a", version: "v1", weight: 50 },
            { name: "b", version: "v3", weight: 50 },
          ],
        },
      ),
      "traffic.variants",
      /new version v2/,
    ],
    [
      "ab-test weights not 100",
      canary(
        { strategy: "ab-test" },
        {
          variants: [
            { name: "a", version: "v1", weight: 50 },
            { name: "b", version: "v2", weight: 40 },
          ],
        },
      ),
      "traffic.variants",
      /sum to 100/,
    ],
    ["mirror without percent", canary({ strategy: "mirror" }, {}), "traffic.mirrorPercent", /mirrorPercent/],
    [
      "mirror percent > 100",
      canary({ strategy: "mirror" }, { mirrorPercent: 150 }),
      "traffic.mirrorPercent",
      /between 0 and 100/,
    ],
    [
      "batch groups > replicas",
      canary({
        strategy: "batch",
        traffic: undefined,
        batch: { groups: 5 },
        newVersion: { version: "v2", image: "r:1", replicas: 3 },
      }),
      "batch.groups",
      /groups must be <= newVersion.replicas/,
    ],
    ["batch without batch", canary({ strategy: "batch", traffic: undefined }), "batch", /batch.groups/],
    ["replica-canary without weights", canary({ strategy: "replica-canary" }, {}), "traffic.weights", /needs weights/],
    [
      "replica-canary with match",
      canary({ strategy: "replica-canary" }, { weights: { v1: 50, v2: 50 }, match: [{ kind: "os", value: "ios" }] }),
      "traffic.match",
      /not used/,
    ],
    [
      "newVersion equals baseVersion",
      canary({ baseVersion: "v2" }, { weights: { v2: 100 } }),
      "newVersion.version",
      /differ from baseVersion/,
    ],
    ["unknown strategy", canary({ strategy: "rainbow" }), "strategy", /must be one of/],
    ["unknown os", canary({}, { match: [{ kind: "os", value: "beos" }] }), "traffic.match[0].value", /./],
    [
      "unknown field",
      canary({ newVersion: { version: "v2", image: "r:1", replica: 2 } }),
      "newVersion.replica",
      /not a known field/,
    ],
    ["unknown match kind", canary({}, { match: [{ kind: "ip", value: "1.2.3.4" }] }), "traffic.match[0].kind", /./],
    [
      "ready timeout 0",
      canary({ rollout: { readyTimeoutSeconds: 0 } }),
      "rollout.readyTimeoutSeconds",
      /between 1 and 3600/,
    ],
    ["drain over an hour", canary({ rollout: { drainSeconds: 3601 } }), "rollout.drainSeconds", /between 0 and 3600/],
    ["fractional drain", canary({ rollout: { drainSeconds: 1.5 } }), "rollout.drainSeconds", /integer/],
    ["unknown rollout field", canary({ rollout: { pauseSeconds: 1 } }), "rollout.pauseSeconds", /not a known field/],
    [
      "unknown entry route mode",
      canary({ routing: { entryRoutes: "mirror" } }),
      "routing.entryRoutes",
      /must be one of follow, ignore/,
    ],
    ["unknown routing field", canary({ routing: { gateways: [] } }), "routing.gateways", /not a known field/],
    [
      "annotation key with a space",
      canary({ newVersion: { version: "v2", image: "r:1", annotations: { "bad key": "1" } } }),
      "newVersion.annotations.bad key",
      /annotation key "bad key": the name must be/,
    ],
    [
      "annotation key with an uppercase prefix",
      canary({ newVersion: { version: "v2", image: "r:1", annotations: { "Kwok.io/delay": "1" } } }),
      "newVersion.annotations.Kwok.io/delay",
      /prefix must be a DNS-1123 subdomain/,
    ],
    [
      "annotation value not a string",
      canary({ newVersion: { version: "v2", image: "r:1", annotations: { delay: 20 } } }),
      "newVersion.annotations.delay",
      /./,
    ],
    [
      "cookie value with ;",
      canary({}, { match: [{ kind: "cookie", name: "a", value: "1;b=2" }] }),
      "traffic.match[0].value",
      /';'/,
    ],
    [
      "preview cookie on a canary",
      canary({}, { weights: { v1: 90, v2: 10 }, previewCookie: { name: "preview", value: "true" } }),
      "traffic.previewCookie",
      /not used by the canary strategy/,
    ],
    [
      "preview cookie without a value",
      canary({ strategy: "blue-green" }, { previewCookie: { name: "preview", value: "" } }),
      "traffic.previewCookie.value",
      /must not be empty/,
    ],
    [
      "preview cookie name with a space",
      canary({ strategy: "blue-green" }, { previewCookie: { name: "pre view", value: "1" } }),
      "traffic.previewCookie.name",
      /cookie name/,
    ],
  ])("%s", (_label, input, path, message) => {
    const err = firstError(input);
    expect(err.details[0]?.path).toBe(path);
    expect(err.message.startsWith(`${path}: `)).toBe(true);
    expect(err.message).toMatch(message);
  });
});

describe("ActionRequestSchema", () => {
  it.each([
    [{ action: "setTraffic", weights: { v1: 50, v2: 50 } }],
    [{ action: "setTraffic", mirrorPercent: 30 }],
    [{ action: "takeover" }],
    [{ action: "switch" }],
    [{ action: "rollback" }],
    [{ action: "retireOld" }],
    [{ action: "pause" }],
    [{ action: "resume" }],
    [{ action: "confirm" }],
    [{ action: "abort" }],
    [{ action: "resync" }],
    [{ action: "acceptDrift" }],
    [{ action: "retireOld", moveRoutes: ["reviews/internal", "reviews-gw/http[0]"] }],
    [{ action: "confirm", moveRoutes: ["reviews/internal"] }],
    [{ action: "takeover", moveRoutes: ["reviews/internal"] }],
    [{ action: "switch", moveRoutes: ["reviews/internal"] }],
    [{ action: "setTraffic", weights: { v1: 0, v2: 100 }, moveRoutes: ["reviews/internal"] }],
    [{ action: "confirm", weights: "keep" }],
    [{ action: "confirm", weights: "replicas", moveRoutes: ["reviews/internal"] }],
  ])("accepts %j", (input) => {
    expect(ActionRequestSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    [{ action: "setTraffic", weights: { v1: 50, v2: 40 } }, "weights", /sum to 100 \(got 90\)/],
    [{ action: "setTraffic", weights: { v1: -10, v2: 110 } }, "weights.v1", /between 0 and 100/],
    [{ action: "setTraffic", weights: { v1: "50", v2: 50 } }, "weights.v1", /between 0 and 100/],
    [{ action: "setTraffic" }, "weights", /weights or mirrorPercent/],
    [{ action: "setTraffic", mirrorPercent: -1 }, "mirrorPercent", /between 0 and 100/],
    [{ action: "explode" }, "action", /./],
    [{ action: "retireOld", moveRoutes: ["internal"] }, "moveRoutes[0]", /<virtualService>\/<route name or http\[i\]>/],
    [{ action: "confirm", moveRoutes: [] }, "moveRoutes", /at least one route/],
    [{ action: "abort", moveRoutes: ["reviews/internal"] }, "moveRoutes", /not a known field/],
    [{ action: "confirm", weights: "ratio" }, "weights", /"replicas" or "keep"/],
    [{ action: "confirm", weights: { v1: 50, v2: 50 } }, "weights", /"replicas" or "keep"/],
    [{ action: "takeover", weights: "keep" }, "weights", /not a known field/],
  ])("rejects %j naming %s", (input, path, message) => {
    const err = firstError(input, ActionRequestSchema);
    expect(err.details[0]?.path).toBe(path);
    expect(err.message).toMatch(message);
  });
});

describe("imageReferenceProblem", () => {
  it.each([
    ["nginx", null],
    ["nginx:1.27-alpine", null],
    ["docker.io/library/nginx:latest", null],
    ["localhost:5000/a/b_c__d-e:tag", null],
    ["[::1]:5000/x:1", null],
    [`ghcr.io/org/app@sha256:${"0".repeat(64)}`, null],
    [`ghcr.io/org/app:1.0@sha256:${"0".repeat(64)}`, null],
    ["Nginx", "not a valid"],
    ["nginx:", "not a valid"],
    ["nginx:tag:tag", "not a valid"],
    ["/nginx", "not a valid"],
    ["nginx/", "not a valid"],
    ["a..b/c", "not a valid"],
    [`nginx:${"t".repeat(129)}`, "not a valid"],
    // The repository must be lowercase; a first component is a registry host only with a '.' or
    // ':' or as localhost (distribution's FIXME "Uppercase/lowercase:tag" passes its grammar).
    ["UPPER/case:1", "repository must be lowercase"],
    ["Uppercase/lowercase:tag", "repository must be lowercase"],
    ["LOCALHOST/app:1", "repository must be lowercase"],
    ["test:5000/Uppercase/lowercase:tag", "not a valid"],
    ["Registry.Example.com/team/app:1", null],
    ["localhost/app:1", null],
    ["lowercase:Uppercase", null],
  ])("%s", (ref, problem) => {
    const p = imageReferenceProblem(ref);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });
});

describe("regexProblem", () => {
  it.each([
    [".*Chrome.*", null],
    ["^(.*?;\\s*)?a=b(;.*)?$", null],
    ["(?:a|b)+", null],
    // RE2 (Istio's regex dialect): inline flags are valid, lookarounds and JS-only escapes are not.
    ["(?i)jason", null],
    ["(?=x)", /lookaround/],
    ["\\Z", /RE2/],
    ["a{1001}", /RE2/],
    ["(?!x)", /lookaround/],
    ["(?<=x)a", /lookaround/],
    ["(a)\\1", /backreference/],
    ["[", /compile/],
    ["", /empty/],
  ])("%s", (re, problem) => {
    const p = regexProblem(re);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });
});
