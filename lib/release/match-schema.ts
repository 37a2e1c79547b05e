// Match rules (header, cookie, uri, os, browser) and weights, as request schemas (zod v4). PURE.
import { re2CompileError } from "./re2/compile";
import { z } from "zod";
import { english, localized, type Localized } from "@/lib/i18n/localized";
import { msg, textIssue, versionRef } from "./spec-rules";

// ---------- match rules ----------

/** Why `re` cannot be used as an Istio (RE2) regex, or null when it can. */
export function regexIssue(re: string): Localized | null {
  if (re.length === 0) return localized("err.spec.regex.empty");
  // RE2 has no lookarounds and no backreferences: name them, since they are what people try.
  if (/\(\?(=|!|<=|<!)/.test(re)) return localized("err.spec.regex.lookaround");
  if (/\\[1-9]/.test(re)) return localized("err.spec.regex.backreference");
  // re2js ports RE2/J, itself a port of Go's regexp: the parser istiod validates StringMatch.regex
  // with (Go's regexp.Compile) and the syntax Envoy's RE2 runs. So `(?i)jason` is fine here.
  const reason = re2CompileError(re);
  return reason === null ? null : localized("err.spec.regex.compile", { reason });
}
/** regexIssue in English (istiod's validation words it the same way). */
export function regexProblem(re: string): string | null {
  const issue = regexIssue(re);
  return issue ? english(issue) : null;
}

const stringOp = z.enum(["exact", "prefix", "regex"]);
// HTTP header names are case-insensitive and Istio requires them lowercase, so lowercasing keeps meaning.
export const headerName = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_]*$/, { error: msg("err.spec.headerName") })
  .transform((v) => v.toLowerCase());
export const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export const COOKIE_VALUE = /^[^\s;,"\\]*$/;

const headerRule = z
  .object({
    kind: z.literal("header"),
    name: headerName,
    op: stringOp,
    value: z.string().min(1, { error: msg("err.spec.notEmpty") }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const issue = regexIssue(r.value);
      if (issue) ctx.addIssue(textIssue(issue, ["value"]));
    }
  });
const cookieRule = z
  .object({
    kind: z.literal("cookie"),
    name: z.string().regex(COOKIE_NAME, { error: msg("err.spec.cookieName") }),
    value: z.string().regex(COOKIE_VALUE, { error: msg("err.spec.cookieValue") }),
  })
  .strict();
const uriRule = z
  .object({ kind: z.literal("uri"), op: stringOp, value: z.string().min(1, { error: msg("err.spec.notEmpty") }) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const issue = regexIssue(r.value);
      if (issue) ctx.addIssue(textIssue(issue, ["value"]));
    } else if (!r.value.startsWith("/")) {
      ctx.addIssue(textIssue(localized("err.spec.startsWithSlash"), ["value"]));
    }
  });
export { OS_VALUES, BROWSER_VALUES } from "./match-values";
import { OS_VALUES, BROWSER_VALUES } from "./match-values";
const osRule = z.object({ kind: z.literal("os"), value: z.enum(OS_VALUES) }).strict();
const browserRule = z.object({ kind: z.literal("browser"), value: z.enum(BROWSER_VALUES) }).strict();

export const MatchRuleSchema = z.discriminatedUnion("kind", [headerRule, cookieRule, uriRule, osRule, browserRule]);
export type MatchRule = z.infer<typeof MatchRuleSchema>;
export const matchRules = z
  .array(MatchRuleSchema)
  .min(1, { error: msg("err.spec.atLeastOneRule") })
  .max(16);

// ---------- weights ----------

export const weightValue = z
  .number({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .int({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .min(0, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .max(100, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) });
export const WeightsSchema = z.record(versionRef, weightValue).superRefine((w, ctx) => {
  const values = Object.values(w);
  if (values.length === 0) {
    ctx.addIssue(textIssue(localized("err.spec.weightsEmpty")));
    return;
  }
  if (values.every((v) => Number.isInteger(v))) {
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum !== 100) ctx.addIssue(textIssue(localized("err.spec.weightsSum", { sum })));
  }
});
export type Weights = z.infer<typeof WeightsSchema>;
