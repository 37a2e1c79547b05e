// Client-side validation with the server's own schema, so "Next" refuses exactly what the
// API would refuse, with the same messages and the same field paths. PURE.
import { TaskSpecSchema, formatZodError, type FieldError } from "@/lib/release/spec";
import { buildMatchRequest } from "@/lib/release/match";
import { PlanError } from "@/lib/release/errors";
import { capabilitiesOf } from "@/lib/release/strategies";
import { buildSpec, ruleToMatch, stepOfPath, type RuleForm, type WizardForm } from "./form";
import { fieldErrorText } from "@/lib/i18n/error-text";
import type { Translate } from "@/lib/i18n/format";

export type FieldErrors = Record<string, string>;

/** First message per path: in the reader's language when given their `t`, else the English. */
export function toFieldErrors(details: readonly FieldError[], t?: Translate): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) if (!(d.path in out)) out[d.path] = t ? fieldErrorText(d, t) : d.message;
  return out;
}

/**
 * Rules the schema accepts one by one but Istio cannot combine (two uri rules, a header
 * tested three times): the planner's own translator finds them and names the rule.
 */
function matchProblems(rules: readonly RuleForm[], fieldPath: string): FieldError[] {
  if (rules.length === 0) return [];
  try {
    buildMatchRequest(rules.map(ruleToMatch), fieldPath);
    return [];
  } catch (e) {
    if (!(e instanceof PlanError)) return [];
    const path = (e.details as { path?: unknown } | undefined)?.path;
    const where = typeof path === "string" ? path : fieldPath;
    return [
      {
        path: where,
        message: e.message.replace(`${where}: `, ""),
        ...(e.text ? { key: e.text.key, params: e.text.params } : {}),
      },
    ];
  }
}

/** Every problem of the whole form. */
export function validateForm(form: WizardForm): FieldError[] {
  const result = TaskSpecSchema.safeParse(buildSpec(form));
  const details = result.success ? [] : formatZodError(result.error).details;
  const extra: FieldError[] = [];
  const caps = capabilitiesOf(form.strategy);
  if (caps.hasMatchRules && form.traffic.useMatch) extra.push(...matchProblems(form.traffic.rules, "traffic.match"));
  if (caps.hasVariants)
    form.traffic.variants.forEach((v, i) => {
      if (v.useMatch) extra.push(...matchProblems(v.rules, `traffic.variants[${i}].match`));
    });
  return [...details, ...extra];
}

/** Problems that belong to `step` (the fields it shows), worded with `t` when given. */
export function validateStep(form: WizardForm, step: number, t?: Translate): FieldErrors {
  const errors = validateForm(form).filter((d) => stepOfPath(d.path) === step);
  return toFieldErrors(errors, t);
}
