// The `steps` of a task spec (zod v4): a release plan walked one step at a time (Argo Rollouts'
// canary steps, Flagger's stepWeights). PURE. Each step is an object with exactly one of the
// kinds below; which kinds a strategy can do is its module's to say (`stepKinds`), checked by
// checkSteps through the module's spec check, so a kind the strategy cannot do is a 400 that
// names the step instead of a setting silently ignored.
import { z } from "zod";
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { matchRules, type MatchRule } from "./match-schema";
import { msg } from "./spec-rules";

/** The step kinds a spec may name (a batch's groups are steps too, derived from batch.groups). */
export const SPEC_STEP_KINDS = ["setWeight", "pause", "analysis", "setMatch", "setMirror", "setReplicas"] as const;
export type SpecStepKind = (typeof SPEC_STEP_KINDS)[number];

/** "30s", "1m", "2h": how long a timed pause or an analysis step lasts. */
export const DURATION = /^([1-9][0-9]{0,5})(s|m|h)$/;
const MAX_DURATION_MS = 24 * 3600 * 1000;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration string, or null when it is not one (or longer than a day). */
export function durationMs(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? "s"] ?? 1000);
  return ms <= MAX_DURATION_MS ? ms : null;
}

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

/** The one kind a (validated) step is. */
export function kindOf(step: Step): SpecStepKind {
  return SPEC_STEP_KINDS.find((k) => step[k] !== undefined) ?? "pause";
}

/** What the step check needs of a spec (a type only: this file must not import spec.ts). */
export interface StepsOfSpec {
  strategy: string;
  steps?: Step[] | undefined;
  traffic?: { match?: MatchRule[] | undefined; weights?: unknown } | undefined;
}

type Issue = (path: (string | number)[], key: ErrorKey, params?: MessageVars) => void;

/**
 * The steps' kinds against what the strategy can do (`kinds`; none: the strategy takes no steps).
 * setMatch needs a match route to widen (traffic.match).
 */
export function checkSteps(spec: StepsOfSpec, kinds: readonly SpecStepKind[], issue: Issue): void {
  if (spec.steps === undefined) return;
  const strategyKey = `err.word.strategy.${spec.strategy}`;
  if (kinds.length === 0) {
    issue(["steps"], "err.steps.notForStrategy", { strategyKey });
    return;
  }
  spec.steps.forEach((step, i) => {
    const kind = kindOf(step);
    if (!kinds.includes(kind))
      issue(["steps", i, kind], "err.steps.kindNotForStrategy", { kind, strategyKey, kinds: kinds.join(", ") });
    else if (kind === "setMatch" && spec.traffic?.match === undefined)
      issue(["steps", i, kind], "err.steps.setMatchNeedsMatch");
  });
}
