// What the server said about the wizard's steps, and what each step's tick means: a step is
// ticked when the server checked exactly the values it now holds and found nothing; a problem
// the server found stays beside its field until that field's value changes or a check of its
// step passes. PURE.
import type { TaskSpecInput } from "@/lib/release/spec";
import type { FieldError } from "@/lib/queries/fetcher";
import { checkBeforeLeaving, stepKey, stepOfPath, valueKey } from "./form";

export interface ServerProblem extends FieldError {
  /** valueKey of the field when the server looked at it. */
  seen: string;
}

/** Fingerprint per step of the values the server last passed (see stepKey). */
export type Verified = Readonly<Record<number, string>>;

export type StepStatus = "verified" | "error" | "unverified";

/** The field problems of an answer, each remembering the value it was about. */
export function problemsOf(details: readonly FieldError[], checked: TaskSpecInput): ServerProblem[] {
  return details.map((d) => ({ ...d, seen: valueKey(checked, d.path) }));
}

/** The problems whose field still holds the value the server refused. */
export function liveProblems(problems: readonly ServerProblem[], spec: TaskSpecInput): ServerProblem[] {
  return problems.filter((p) => valueKey(spec, p.path) === p.seen);
}

/**
 * The problems after the check before leaving `step` answered: the answer's own (`fresh`, empty
 * when it passed) replace every earlier one it covered (the steps through `step`; the full
 * preview covers every field); problems of later steps were not looked at and stay.
 */
export function afterCheck(
  problems: readonly ServerProblem[],
  step: number,
  fresh: readonly ServerProblem[],
): ServerProblem[] {
  const full = checkBeforeLeaving(step)?.kind === "preview";
  return [...problems.filter((p) => !full && stepOfPath(p.path) > step), ...fresh];
}

/** A passed check of the sections through `step` vouches for every step up to it. */
export function verifiedAfterPass(verified: Verified, step: number, checked: TaskSpecInput): Verified {
  const out: Record<number, string> = { ...verified };
  for (let i = 0; i <= step; i++) out[i] = stepKey(checked, i);
  return out;
}

/** The tick state of `step` for the values the form holds now. */
export function stepStatus(
  step: number,
  spec: TaskSpecInput,
  verified: Verified,
  live: readonly ServerProblem[],
): StepStatus {
  if (live.some((p) => stepOfPath(p.path) === step)) return "error";
  return verified[step] === stepKey(spec, step) ? "verified" : "unverified";
}
