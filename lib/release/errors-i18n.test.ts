// Every server message the engine builds has a catalog key, its English is what the API says,
// and its Chinese has no English word in it. The grep test keeps new literal messages out.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { makeTranslate } from "@/lib/i18n/format";
import { english, isErrorKey, renderFrom } from "@/lib/i18n/localized";
import { untranslatedWords } from "@/lib/i18n/latin-words";
import { errorsEn } from "@/lib/i18n/messages/errors-en";
import { errorsZhCN } from "@/lib/i18n/messages/errors-zh-CN";
import { placeholders } from "@/lib/i18n/format";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { ActionRequestSchema, formatZodError, TaskSpecSchema } from "./spec";
import { refusal, refusalText } from "./state-machine";
import { planCreate, PlanError } from "./planner";
import { bookinfo, NS, reviewsDeployment } from "./testdata/bookinfo";
import { IMAGE, makeSpec } from "./testdata/run";
import { ACTIONS, STRATEGIES, TASK_STATES } from "./types";

const root = path.resolve(__dirname, "../..");
const zh = makeTranslate(zhCN);

/** Names the messages below carry as params: not words to translate. */
const NAMES = new Set([
  "reviews",
  "bookinfo",
  "rel",
  "v1",
  "v2",
  "v9",
  "reviews-v1",
  "reviews-v2",
  ...STRATEGIES,
  ...ACTIONS.map((a) => a.toLowerCase()),
  "follow",
  "ignore",
]);

function zhText(key: string, params: Record<string, string | number> = {}): string {
  return renderFrom(zhCN as Record<string, string>, { key, params }) ?? `<no zh-CN text for ${key}>`;
}

describe("the server catalogs", () => {
  it("errors-zh-CN has exactly the keys of errors-en, with the same placeholders", () => {
    expect(Object.keys(errorsZhCN).sort()).toEqual(Object.keys(errorsEn).sort());
    const mismatched = Object.keys(errorsEn).filter(
      (k) =>
        placeholders(errorsEn[k as keyof typeof errorsEn]).join() !==
        placeholders(errorsZhCN[k as keyof typeof errorsZhCN]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it("has a word for every action, state and strategy a message may name", () => {
    const words = [
      ...ACTIONS.map((a) => `err.word.action.${a}`),
      ...TASK_STATES.map((s) => `err.word.state.${s}`),
      ...STRATEGIES.map((s) => `err.word.strategy.${s}`),
    ];
    expect(words.filter((w) => !isErrorKey(w))).toEqual([]);
  });
});

/** Source files of `dir` (recursively), tests and test data excluded. */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "testdata" ? [] : sources(rel);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

describe("no literal server message is left", () => {
  it("lib/release and lib/tasks build PlanErrors only through lib/release/errors.ts (planError, fieldErrorOf)", () => {
    const files = [...sources("lib/release"), ...sources("lib/tasks")].filter((f) => f !== "lib/release/errors.ts");
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) =>
      /new PlanError\(|\bfieldError\(/.test(readFileSync(path.join(root, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("lib/ builds ApiErrors from the catalog (ApiError.of / invalid / notFound / conflict with localized text)", () => {
    const files = sources("lib").filter((f) => f !== "lib/api/errors.ts" && f !== "lib/queries/fetcher.ts");
    // A string literal as the message (the third argument) or as the text of the helpers.
    const literal = /new ApiError\(\s*\d+,\s*"[a-z_]+",\s*["`]|ApiError\.(of|invalid|notFound|conflict)\(\s*["`]/;
    const offenders = files.filter((f) => literal.test(readFileSync(path.join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});

/** The zod error of `input` against `schema`. */
function zodError(schema: z.ZodType, input: unknown): z.ZodError {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return r.error;
}

const spec = (over: Record<string, unknown>) => ({
  name: "rel",
  namespace: NS,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: IMAGE },
  traffic: { weights: { v1: 90, v2: 10 } },
  ...over,
});

describe("schema errors as catalog keys", () => {
  it.each([
    ["a bad name", TaskSpecSchema, spec({ name: "Bad_Name" }), "name", "err.spec.dnsLabel"],
    ["a long name", TaskSpecSchema, spec({ name: "x".repeat(64) }), "name", "err.spec.maxChars"],
    [
      "weights summing to 90",
      TaskSpecSchema,
      spec({ traffic: { weights: { v1: 80, v2: 10 } } }),
      "traffic.weights",
      "err.spec.weightsSum",
    ],
    [
      "a weight over 100",
      ActionRequestSchema,
      { action: "setTraffic", weights: { v1: 0, v2: 101 } },
      "weights.v2",
      "err.spec.intBetween",
    ],
    [
      "an image with spaces",
      TaskSpecSchema,
      spec({ newVersion: { version: "v2", image: "a b" } }),
      "newVersion.image",
      "err.spec.image.whitespace",
    ],
    ["an unknown strategy", TaskSpecSchema, spec({ strategy: "yolo" }), "strategy", "err.spec.oneOf"],
    [
      "a field the strategy does not use",
      TaskSpecSchema,
      spec({ traffic: { weights: { v1: 90, v2: 10 }, mirrorPercent: 5 } }),
      "traffic.mirrorPercent",
      "err.spec.notUsedByStrategy",
    ],
    ["an unknown field", TaskSpecSchema, spec({ colour: "red" }), "colour", "err.zod.unknownField"],
    [
      "text for a number",
      ActionRequestSchema,
      { action: "setTraffic", mirrorPercent: "5" },
      "mirrorPercent",
      "err.spec.numberBetween",
    ],
    ["an object for the name", TaskSpecSchema, spec({ name: {} }), "name", "err.zod.invalidType"],
    [
      "too many match rules",
      TaskSpecSchema,
      spec({ traffic: { match: Array.from({ length: 17 }, () => ({ kind: "os", value: "ios" })) } }),
      "traffic.match",
      "err.zod.tooBig.array",
    ],
    ["an unknown action", ActionRequestSchema, { action: "explode" }, "action", "err.zod.invalidDiscriminator"],
    [
      "a lookaround regex",
      TaskSpecSchema,
      spec({ traffic: { match: [{ kind: "uri", op: "regex", value: "(?=x)" }] } }),
      "traffic.match[0].value",
      "err.spec.regex.lookaround",
    ],
  ] as const)("%s", (_why, schema, input, pathWanted, key) => {
    const { message, details, text } = formatZodError(zodError(schema, input));
    const d = details.find((x) => x.path === pathWanted);
    expect(d, JSON.stringify(details)).toBeDefined();
    expect(d?.key).toBe(key);
    // Our messages say in English exactly what the catalog says; zod's own keep zod's words.
    if (!key.startsWith("err.zod.") || key === "err.zod.unknownField")
      expect(d?.message).toBe(english({ key, params: d?.params ?? {} }));
    expect(untranslatedWords(zhText(key, d?.params), NAMES)).toEqual([]);
    if (details[0] === d) {
      expect(message).toBe(`${pathWanted}: ${d?.message}`);
      expect(text).toEqual({ key, params: d?.params ?? {}, path: pathWanted });
    }
  });
});

describe("planner errors as catalog keys", () => {
  it.each([
    [
      "weights that leave out the base",
      () => planCreate(makeSpec("canary", { traffic: { weights: { v3: 90, v2: 10 } } }), bookinfo()),
    ],
    [
      "a variant on a version nobody runs",
      () =>
        planCreate(
          makeSpec("ab-test", {
            traffic: {
              variants: [
                { name: "a", version: "v9", weight: 50 },
                { name: "b", version: "v2", weight: 50 },
              ],
            },
          }),
          bookinfo(),
        ),
    ],
    [
      "no Deployment of the service",
      () => planCreate(makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } } }), bookinfo({ deployments: [] })),
    ],
    [
      "two versions and no route",
      () =>
        planCreate(
          makeSpec("canary", { traffic: { weights: { v1: 90, v2: 10 } } }),
          bookinfo({ virtualService: null, deployments: [reviewsDeployment("v1"), reviewsDeployment("v3")] }),
        ),
    ],
  ])("%s: English from errors-en, Chinese without English words", (_why, plan) => {
    let err: unknown;
    try {
      plan();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    const pe = err as PlanError;
    expect(pe.text).toBeDefined();
    const text = pe.text!;
    expect(pe.message).toBe(text.path ? `${text.path}: ${english(text)}` : english(text));
    expect(untranslatedWords(zhText(text.key, text.params), new Set([...NAMES, "v3"]))).toEqual([]);
  });
});

describe("refused transitions", () => {
  const status = { newVersion: "v2", weights: { v1: 90, v2: 10 }, batch: null, routing: "istio" as const };
  it("say 'cannot <action>: <reason>' in English and name the action and state as words in Chinese", () => {
    let checked = 0;
    for (const strategy of STRATEGIES)
      for (const state of TASK_STATES)
        for (const action of ACTIONS) {
          const key = refusal(strategy, state, action, status);
          if (key === null) continue;
          const text = refusalText(key, action, state);
          expect(english(text).startsWith(`cannot ${action}: `) || key === "err.state.noBatchProgress").toBe(true);
          const chinese = zh(text.key, {
            ...text.params,
            action: zh(`err.word.action.${action}`),
            state: zh(`err.word.state.${state}`),
          });
          expect(untranslatedWords(chinese), `${strategy}/${state}/${action}: ${chinese}`).toEqual([]);
          checked++;
        }
    expect(checked).toBeGreaterThan(100);
  });
});
