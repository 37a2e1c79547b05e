import { describe, expect, it } from "vitest";
import { formatZodError, TaskSpecSchema } from "./spec";
import { durationMs, kindOf, StepSchema } from "./steps-schema";
import { IMAGE } from "./testdata/run";

const spec = (strategy: string, extra: Record<string, unknown>) => ({
  name: "rel",
  namespace: "bookinfo",
  service: "reviews",
  strategy,
  newVersion: { version: "v2", image: IMAGE, replicas: 3 },
  ...extra,
});

/** The field errors of a spec, as "path: message". */
function problems(input: unknown): string[] {
  const r = TaskSpecSchema.safeParse(input);
  if (r.success) return [];
  return formatZodError(r.error).details.map((f) => `${f.path}: ${f.message}`);
}

describe("durations", () => {
  it.each<[string, number | null]>([
    ["10s", 10_000],
    ["1m", 60_000],
    ["2h", 7_200_000],
    ["24h", 86_400_000],
    ["25h", null],
    ["0s", null],
    ["10", null],
    ["1.5m", null],
    ["10ms", null],
    ["", null],
  ])("%s -> %s ms", (text, ms) => expect(durationMs(text)).toBe(ms));
});

describe("one step", () => {
  it.each<[unknown, string | null]>([
    [{ setWeight: 20 }, "setWeight"],
    [{ pause: {} }, "pause"],
    [{ pause: { duration: "30s" } }, "pause"],
    [{ analysis: { duration: "60s" } }, "analysis"],
    [{ setMirror: 50 }, "setMirror"],
    [{ setReplicas: 2 }, "setReplicas"],
    [{ setMatch: [{ kind: "header", name: "x-canary", op: "exact", value: "on" }] }, "setMatch"],
    [{ setWeight: 101 }, null],
    [{ setWeight: -1 }, null],
    [{ setWeight: 2.5 }, null],
    [{ setMirror: 101 }, null],
    [{ pause: { duration: "soon" } }, null],
    [{ analysis: {} }, null],
    [{}, null],
    [{ setWeight: 10, pause: {} }, null],
    [{ wait: 3 }, null],
  ])("%j is %s", (input, kind) => {
    const r = StepSchema.safeParse(input);
    expect(r.success ? kindOf(r.data) : null).toBe(kind);
  });
});

describe("steps per strategy (through the strategy modules)", () => {
  const steps = [{ setWeight: 20 }, { pause: { duration: "5s" } }, { analysis: { duration: "1m" } }, { pause: {} }];
  it.each<[string, string, Record<string, unknown>, string[]]>([
    ["canary takes weights, pauses and analyses", "canary", { steps }, []],
    ["canary needs no starting weights with steps", "canary", { steps: [{ setWeight: 10 }] }, []],
    [
      "content canary widens its rules",
      "canary",
      {
        traffic: { match: [{ kind: "header", name: "x-beta", op: "exact", value: "1" }] },
        steps: [{ setWeight: 50 }, { setMatch: [{ kind: "uri", op: "prefix", value: "/" }] }],
      },
      [],
    ],
    [
      "setMatch without a match route",
      "canary",
      { steps: [{ setMatch: [{ kind: "uri", op: "prefix", value: "/" }] }] },
      ["steps[0].setMatch: setMatch widens the match route: it needs traffic.match"],
    ],
    [
      "canary cannot mirror",
      "canary",
      { steps: [{ setMirror: 10 }] },
      [
        "steps[0].setMirror: setMirror is not a step the canary strategy can do (it can: setWeight, pause, analysis, setMatch)",
      ],
    ],
    ["mirror mirrors", "mirror", { traffic: { mirrorPercent: 10 }, steps: [{ setMirror: 50 }, { pause: {} }] }, []],
    [
      "mirror cannot set weights",
      "mirror",
      { traffic: { mirrorPercent: 10 }, steps: [{ setWeight: 50 }] },
      ["steps[0].setWeight: setWeight is not a step the mirror strategy can do (it can: setMirror, pause, analysis)"],
    ],
    [
      "replica canary sets replicas",
      "replica-canary",
      { traffic: { weights: { v1: 100, v2: 0 } }, steps: [{ setReplicas: 1 }, { pause: {} }, { setReplicas: 3 }] },
      [],
    ],
    [
      "batch pauses and analyses between groups",
      "batch",
      { batch: { groups: 3 }, steps: [{ analysis: { duration: "30s" } }] },
      [],
    ],
    [
      "batch groups are its weights",
      "batch",
      { batch: { groups: 3 }, steps: [{ setWeight: 30 }] },
      ["steps[0].setWeight: setWeight is not a step the batch strategy can do (it can: pause, analysis)"],
    ],
    [
      "blue-green takes no steps",
      "blue-green",
      { steps: [{ pause: {} }] },
      ["steps: the blue-green strategy takes no steps"],
    ],
    ["no empty plan", "canary", { steps: [] }, ["steps: must list at least one step"]],
    [
      "a bad duration is named",
      "canary",
      { steps: [{ pause: { duration: "5 minutes" } }] },
      ["steps[0].pause.duration: must be a duration like 10s, 1m or 1h (at most 24h)"],
    ],
  ])("%s", (_, strategy, extra, expected) => {
    expect(problems(spec(strategy, extra))).toEqual(expected);
  });
});
