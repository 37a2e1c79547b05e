// The `analysis` section of a task spec and `onFailure` (zod v4). PURE. Field names are the
// issue's (13 §1); what each means is said in `.describe()` so the OpenAPI document carries it.
import { z } from "zod";
import { localized } from "@/lib/i18n/localized";
import { msg, textIssue } from "./spec-rules";

import { DURATION, durationMs } from "./steps-check";

export { DURATION };

/** Seconds of a duration the schema accepted ("30s" -> 30); the spelling is the steps' (steps-check.ts). */
export function durationSeconds(text: string): number {
  const ms = durationMs(text);
  if (ms === null) throw new RangeError(`not a duration: ${text}`);
  return ms / 1000;
}

export const MIN_INTERVAL_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 3600;

const duration = z.string().regex(DURATION, { error: msg("err.analysis.duration") });
const interval = duration.refine(
  (d) =>
    !DURATION.test(d) || (durationSeconds(d) >= MIN_INTERVAL_SECONDS && durationSeconds(d) <= MAX_INTERVAL_SECONDS),
  { error: msg("err.analysis.intervalRange", { min: MIN_INTERVAL_SECONDS, max: MAX_INTERVAL_SECONDS }) },
);
const count = (min: number, max: number) =>
  z
    .number({ error: msg("err.spec.intBetween", { min, max }) })
    .int({ error: msg("err.spec.intBetween", { min, max }) })
    .min(min, { error: msg("err.spec.intBetween", { min, max }) })
    .max(max, { error: msg("err.spec.intBetween", { min, max }) });
const bound = z.number({ error: msg("err.analysis.number") }).refine(Number.isFinite, {
  error: msg("err.analysis.number"),
});

export const BUILTIN_METRICS = ["success-rate", "latency-p99"] as const;
export type BuiltinMetric = (typeof BUILTIN_METRICS)[number];

/** The placeholders a custom query may use; anything else in {{...}} is refused. */
export const QUERY_PLACEHOLDERS = ["namespace", "service", "version", "baseVersion", "interval"] as const;
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export const AnalysisMetricSchema = z
  .object({
    name: z
      .string()
      .min(1, { error: msg("err.spec.notEmpty") })
      .max(63, { error: msg("err.spec.maxChars", { max: 63 }) })
      .describe('"success-rate" (percent of non-5xx), "latency-p99" (ms), or a name of your own with `query`'),
    query: z
      .string()
      .min(1, { error: msg("err.spec.notEmpty") })
      .max(4000, { error: msg("err.spec.maxChars", { max: 4000 }) })
      .optional()
      .describe(
        "PromQL returning one number for the new version; {{namespace}} {{service}} {{version}} {{baseVersion}} {{interval}} are filled in",
      ),
    min: bound.optional().describe("the measurement fails below this"),
    max: bound.optional().describe("the measurement fails above this"),
    compare: z
      .literal("base", { error: msg("err.spec.oneOf", { values: "base" }) })
      .optional()
      .describe("compare with the base version's measurement instead of fixed bounds"),
    tolerance: z
      .number({ error: msg("err.spec.numberBetween", { min: 0, max: 1000 }) })
      .min(0, { error: msg("err.spec.numberBetween", { min: 0, max: 1000 }) })
      .max(1000, { error: msg("err.spec.numberBetween", { min: 0, max: 1000 }) })
      .optional()
      .describe(
        'with compare "base": how far the new version may be worse, in the metric\'s unit (percentage points, ms)',
      ),
  })
  .strict()
  .superRefine((m, ctx) => {
    const issue = (key: Parameters<typeof localized>[0], path: string, params = {}) =>
      ctx.addIssue(textIssue(localized(key, params), [path]));
    const builtin = (BUILTIN_METRICS as readonly string[]).includes(m.name);
    if (!builtin && m.query === undefined) issue("err.analysis.queryNeeded", "query", { name: m.name });
    if (builtin && m.query !== undefined) issue("err.analysis.builtinNoQuery", "query", { name: m.name });
    if (m.compare === undefined && m.min === undefined && m.max === undefined) issue("err.analysis.boundNeeded", "min");
    if (m.min !== undefined && m.max !== undefined && m.min > m.max) issue("err.analysis.minAboveMax", "min");
    if (m.tolerance !== undefined && m.compare === undefined) issue("err.analysis.toleranceNeedsCompare", "tolerance");
    for (const [, name] of (m.query ?? "").matchAll(PLACEHOLDER))
      if (!(QUERY_PLACEHOLDERS as readonly string[]).includes(name!))
        issue("err.analysis.placeholder", "query", { name: name!, names: QUERY_PLACEHOLDERS.join(", ") });
  });
export type AnalysisMetric = z.infer<typeof AnalysisMetricSchema>;

export const AnalysisSchema = z
  .object({
    interval: interval.default("10s").describe("how often the metrics are measured, over the last interval"),
    failureLimit: count(1, 100).default(2).describe("failed runs before onFailure"),
    inconclusiveLimit: count(1, 100)
      .default(3)
      .describe('inconclusive runs in a row before a pause ("not enough traffic")'),
    minRequests: count(0, 1_000_000).default(20).describe("fewer requests to the new version in a run: inconclusive"),
    background: z.boolean().default(false).describe("measure throughout the task, not only in analysis steps"),
    metrics: z
      .array(AnalysisMetricSchema)
      .min(1, { error: msg("err.spec.atLeastOneElement") })
      .max(10)
      .superRefine((ms, ctx) => {
        const seen = new Set<string>();
        for (const [i, m] of ms.entries()) {
          if (seen.has(m.name))
            ctx.addIssue(textIssue(localized("err.analysis.duplicateMetric", { name: m.name }), [i, "name"]));
          seen.add(m.name);
        }
      }),
  })
  .strict();
export type Analysis = z.infer<typeof AnalysisSchema>;

export const ON_FAILURE = ["rollback", "pause"] as const;
export type OnFailure = (typeof ON_FAILURE)[number];
export const OnFailureSchema = z
  .enum(ON_FAILURE, { error: msg("err.spec.oneOf", { values: ON_FAILURE.join(", ") }) })
  .describe('what a failed analysis does: "rollback" (default: 100% to the base at once) or "pause"');
