"use client";
import { useT } from "@/lib/i18n/client";
import { BROWSER_VALUES, OS_VALUES } from "@/lib/release/match-values";
import { buildMatchRequest } from "@/lib/release/match";
import { matchRequestConditions, type MatchCondition } from "@/lib/release/routing";
import { matchText } from "@/components/routing/match-text";
import { emptyRule, ruleToMatch, type RuleForm, type RuleKind, type StringOp } from "./form";
import { Field, PathError } from "./field";

const KINDS: RuleKind[] = ["header", "cookie", "uri", "os", "browser"];
const OPS: StringOp[] = ["exact", "prefix", "regex"];

/** What Istio will be asked to match, or null while the rules cannot be combined. */
function istioMatch(rules: readonly RuleForm[], path: string): MatchCondition[] | null {
  try {
    return matchRequestConditions(buildMatchRequest(rules.map(ruleToMatch), path));
  } catch {
    return null;
  }
}

/**
 * Match rules for one route, ANDed: header / cookie / URI, plus OS and browser presets that
 * become User-Agent regexes. `path` is the spec path of the list ("traffic.match").
 */
export function RulesEditor({
  rules,
  onChange,
  path,
}: {
  rules: RuleForm[];
  onChange: (rules: RuleForm[]) => void;
  path: string;
}) {
  const t = useT();
  const set = (i: number, patch: Partial<RuleForm>) =>
    onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const match = rules.length > 0 ? istioMatch(rules, path) : null;
  return (
    <div className="space-y-2" data-testid={`rules-${path}`}>
      {rules.length === 0 && <p className="text-sm text-slate-500">{t("wizard.rules.none")}</p>}
      {rules.map((r, i) => {
        const p = `${path}[${i}]`;
        return (
          <div
            key={i}
            className="flex flex-wrap items-start gap-2 rounded-md border border-slate-200 bg-white p-2"
            data-testid={`rule-${p}`}
          >
            <span className="mt-7 w-20 text-xs font-semibold text-slate-600 uppercase">
              {t(`wizard.rules.kind.${r.kind}`)}
            </span>
            {(r.kind === "header" || r.kind === "cookie") && (
              <Field
                path={`${p}.name`}
                label={r.kind === "header" ? t("wizard.rules.headerName") : t("wizard.rules.cookieName")}
                className="w-48"
              >
                {(props) => (
                  <input
                    {...props}
                    className="input"
                    value={r.name}
                    onChange={(e) => set(i, { name: e.target.value })}
                    placeholder={r.kind === "header" ? "end-user" : t("wizard.rules.cookiePlaceholder")}
                  />
                )}
              </Field>
            )}
            {(r.kind === "header" || r.kind === "uri") && (
              <Field path={`${p}.op`} label={t("wizard.rules.op")} className="w-32">
                {(props) => (
                  <select
                    {...props}
                    className="input"
                    value={r.op}
                    onChange={(e) => set(i, { op: e.target.value as StringOp })}
                  >
                    {OPS.map((op) => (
                      <option key={op} value={op}>
                        {t(`wizard.rules.op.${op}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {(r.kind === "header" || r.kind === "cookie" || r.kind === "uri") && (
              <Field path={`${p}.value`} label={t("wizard.rules.value")} className="min-w-48 flex-1">
                {(props) => (
                  <input
                    {...props}
                    className="input font-mono"
                    value={r.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                    placeholder={r.kind === "uri" ? "/api/v2" : "jason"}
                  />
                )}
              </Field>
            )}
            {r.kind === "os" && (
              <Field path={`${p}.value`} label={t("wizard.rules.os")} className="w-48">
                {(props) => (
                  <select
                    {...props}
                    className="input"
                    value={r.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                  >
                    {OS_VALUES.map((v) => (
                      <option key={v} value={v}>
                        {t(`wizard.rules.osValue.${v}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            {r.kind === "browser" && (
              <Field path={`${p}.value`} label={t("wizard.rules.browser")} className="w-48">
                {(props) => (
                  <select
                    {...props}
                    className="input"
                    value={r.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                  >
                    {BROWSER_VALUES.map((v) => (
                      <option key={v} value={v}>
                        {t(`wizard.rules.browserValue.${v}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <button
              type="button"
              className="btn mt-6"
              onClick={() => onChange(rules.filter((_, j) => j !== i))}
              aria-label={t("wizard.rules.remove", { n: i + 1 })}
            >
              ✕
            </button>
            <div className="basis-full">
              <PathError path={p} />
            </div>
          </div>
        );
      })}
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-slate-600">{t("wizard.rules.add")}</span>
        {KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className="btn px-2 py-1 text-xs"
            onClick={() => onChange([...rules, emptyRule(k)])}
            data-testid={`add-rule-${k}-${path}`}
          >
            + {t(`wizard.rules.kind.${k}`)}
          </button>
        ))}
      </div>
      <PathError path={path} />
      {rules.length > 0 && (
        <p className="text-xs text-slate-600" data-testid={`istio-match-${path}`}>
          {t("wizard.rules.allMustMatch")}{" "}
          {match !== null && (
            <span className="font-mono">{t("routing.istioMatch", { match: matchText([match], t) })}</span>
          )}
        </p>
      )}
    </div>
  );
}
