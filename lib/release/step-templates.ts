// Step plan templates (zod v4): the wizard's ready plans, built in or saved per namespace. PURE.
// A template carries the spec's `steps` and, when it measures, the spec's `analysis` block as
// written (metric analysis validates that block itself when a task is created from it).
import { z } from "zod";
import { dnsLabel, msg } from "./spec-rules";
import { StepsSchema, type Step } from "./steps-schema";

/** Names of built-in templates start with this; a saved template may not. */
export const BUILT_IN_PREFIX = "builtin-";

const TemplateAnalysis = z
  .record(z.string(), z.unknown())
  .describe("the spec's `analysis` block the template sets (interval, metrics, limits)");

export const StepTemplateRequest = z
  .object({
    name: dnsLabel.refine((n) => !n.startsWith(BUILT_IN_PREFIX), {
      error: msg("err.stepTemplates.reservedName", { prefix: BUILT_IN_PREFIX }),
    }),
    steps: StepsSchema,
    analysis: TemplateAnalysis.nullable().optional(),
  })
  .strict()
  .meta({ id: "StepTemplateRequest" });
export type StepTemplateRequest = z.infer<typeof StepTemplateRequest>;

export const StepTemplateView = z
  .object({
    name: z.string(),
    namespace: z.string().nullable().describe("null for a built-in template"),
    builtIn: z.boolean(),
    steps: z.array(z.record(z.string(), z.unknown())),
    analysis: TemplateAnalysis.nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string().nullable(),
  })
  .meta({ id: "StepTemplate" });
export type StepTemplateView = z.infer<typeof StepTemplateView>;

export const StepTemplateResponse = z.object({ template: StepTemplateView }).meta({ id: "StepTemplateResponse" });
export type StepTemplateResponse = z.infer<typeof StepTemplateResponse>;

export const StepTemplatesResponse = z
  .object({ templates: z.array(StepTemplateView).describe("built-in templates first, then the namespace's by name") })
  .meta({ id: "StepTemplatesResponse" });
export type StepTemplatesResponse = z.infer<typeof StepTemplatesResponse>;

const minuteAnalysis = {
  interval: "10s",
  metrics: [
    { name: "success-rate", min: 99 },
    { name: "latency-p99", max: 500 },
  ],
};

function builtIn(name: string, steps: Step[], analysis: Record<string, unknown> | null): StepTemplateView {
  return { name, namespace: null, builtIn: true, steps, analysis, createdBy: null, createdAt: null };
}

/**
 * "10% -> 30% -> 50% -> 100%, 1 min each, success >= 99%, p99 <= 500 ms" (canary), and
 * EDAS-style batches: each group measured for a minute before the next (batch).
 */
export const BUILT_IN_TEMPLATES: readonly StepTemplateView[] = [
  builtIn(
    `${BUILT_IN_PREFIX}canary-10-30-50-100`,
    [10, 30, 50]
      .flatMap((w): Step[] => [{ setWeight: w }, { analysis: { duration: "1m" } }])
      .concat([{ setWeight: 100 }]),
    minuteAnalysis,
  ),
  builtIn(`${BUILT_IN_PREFIX}batches-with-analysis`, [{ analysis: { duration: "1m" } }], minuteAnalysis),
];
