// The `steps` of a task spec (zod v4): a release plan walked one step at a time (Argo Rollouts'
// canary steps, Flagger's stepWeights). PURE. Each step is an object with exactly one of the
// kinds below; which kinds a strategy can do is its module's to say (`stepKinds`), checked by
// checkSteps (steps-check.ts) through the module's spec check, so a kind the strategy cannot do
// is a 400 that names the step instead of a setting silently ignored.
import { z } from "zod";
import { matchRules } from "./match-schema";
import { msg } from "./spec-rules";
import { durationMs, SPEC_STEP_KINDS } from "./steps-check";

export { checkSteps, durationMs, kindOf, SPEC_STEP_KINDS, type SpecStepKind } from "./steps-check";

const duration = z.string().refine((s) => durationMs(s) !== null, { error: msg("err.steps.duration") });
const intBetween = (min: number, max: number) =>
  z
    .number({ error: msg("err.spec.intBetween", { min, max }) })
    .int({ error: msg("err.spec.intBetween", { min, max }) })
    .min(min, { error: msg("err.spec.intBetween", { min, max }) })
    .max(max, { error: msg("err.spec.intBetween", { min, max }) });

export const StepSchema = z
  .object({
    /** Percent of the traffic (content canary: of the matched requests) on the new version. */
    setWeight: intBetween(0, 100).optional(),
    /** Wait: for `duration`, or (no duration) until someone promotes. */
    pause: z.object({ duration: duration.optional() }).strict().optional(),
    /** Measure the new version for `duration` (the analysis gate decides whether the step passes). */
    analysis: z.object({ duration }).strict().optional(),
    /** Content canary: the match rules of its route, replaced (e.g. widened) from this step on. */
    setMatch: matchRules.optional(),
    /** Mirror: percent of live traffic copied to the new version. */
    setMirror: intBetween(0, 100).optional(),
    /** Replica canary: pods of the new version in the shared pool. */
    setReplicas: intBetween(0, 1000).optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const kinds = SPEC_STEP_KINDS.filter((k) => step[k] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({
        code: "custom",
        message: msg("err.steps.oneKind", { kinds: SPEC_STEP_KINDS.join(", ") }),
        input: undefined,
      });
  });
export type Step = z.infer<typeof StepSchema>;

export const StepsSchema = z
  .array(StepSchema)
  .min(1, { error: msg("err.steps.atLeastOne") })
  .max(50, { error: msg("err.steps.atMost", { max: 50 }) })
  .describe(
    'Release steps, walked in order: {"setWeight": n} | {"pause": {"duration"?: "30s"}} | {"analysis": {"duration": "60s"}} | {"setMatch": [rules]} | {"setMirror": n} | {"setReplicas": n}. Which kinds a strategy accepts is its own (batch: pause and analysis between its groups).',
  );
