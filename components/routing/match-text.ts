// Words a route's match conditions (sent as data, lib/release/routing.ts) in the reader's
// language; in English it reads exactly as the API's `match` string. PURE.
import type { Translate } from "@/lib/i18n/format";
import type { MatchCondition } from "@/lib/release/routing";

function testText(c: MatchCondition, t: Translate): string {
  switch (c.op) {
    case "exact":
    case "prefix":
    case "regex":
      return t(`routing.op.${c.op}`, { value: c.value ?? "" });
    case "present":
      return t("routing.op.present");
    case "other":
      return t("routing.op.other", { value: c.value ?? "" });
  }
}

/** One condition: `header end-user exact "jason"`, `uri prefix "/api"`. */
export function conditionText(c: MatchCondition, t: Translate): string {
  if (c.field === "other") return t("routing.field.other", { name: c.name ?? "", value: c.value ?? "" });
  return t(`routing.field.${c.field}`, { name: c.name ?? "", test: testText(c, t) });
}

/** A whole match list: entries ORed, conditions of an entry ANDed; nothing (or only empty entries) is any request. */
export function matchText(conditions: readonly (readonly MatchCondition[])[], t: Translate): string {
  if (conditions.length === 0) return t("routing.anyRequest");
  return conditions
    .map((and) =>
      and.length === 0 ? t("routing.anyRequest") : and.map((c) => conditionText(c, t)).join(t("routing.and")),
    )
    .join(t("routing.or"));
}
