// The step kinds, durations and the per-strategy check of a spec's `steps`, without zod: the
// strategy registry (bundled by the UI) checks steps through these. PURE.
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import type { MatchRule } from "./match-schema";
import type { Step } from "./steps-schema";

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
