// A foreign route in words, for the action dialogs: where it is, which requests it takes, where
// it sends them. PURE (takes the translate function), table-tested with the English catalog.
import type { ForeignRoute } from "@/lib/api/contracts";
import type { MatchCondition } from "@/lib/release/foreign-routes";
import type { Translate } from "@/lib/i18n/format";
import type { MessageKey } from "@/lib/i18n/messages/en";

const CONDITION_KEYS: Record<string, MessageKey> = {
  header: "foreignRoutes.cond.header",
  query: "foreignRoutes.cond.query",
  withoutHeader: "foreignRoutes.cond.withoutHeader",
  uri: "foreignRoutes.cond.uri",
  method: "foreignRoutes.cond.method",
  scheme: "foreignRoutes.cond.scheme",
  authority: "foreignRoutes.cond.authority",
  port: "foreignRoutes.cond.port",
  sourceLabel: "foreignRoutes.cond.sourceLabel",
  gateway: "foreignRoutes.cond.gateway",
};

/** "header end-user equals jason". */
export function conditionText(c: MatchCondition, t: Translate): string {
  const op = c.op === null ? "" : t(`foreignRoutes.op.${c.op}`, { value: c.value ?? "" });
  const key = CONDITION_KEYS[c.field];
  if (!key) return t("foreignRoutes.cond.other", { name: c.name ?? c.field, value: c.value ?? "" });
  return t(key, { name: c.name ?? "", op, value: c.value ?? "" });
}

/** "Route jason of VirtualService reviews" / "Route 1 of VirtualService reviews (unnamed, http[0])", with its gateways. */
export function routeTitle(r: ForeignRoute, t: Translate): string {
  const where =
    r.name !== null
      ? t("foreignRoutes.named", { name: r.name, vs: r.virtualService })
      : t("foreignRoutes.unnamed", { position: r.index + 1, index: r.index, vs: r.virtualService });
  const gateways = r.gateways.filter((g) => g !== "mesh");
  return gateways.length > 0 ? `${where}, ${t("foreignRoutes.viaGateways", { gateways: gateways.join(", ") })}` : where;
}

export function routeMatchText(r: ForeignRoute, t: Translate): string {
  if (r.match.length === 0) return t("foreignRoutes.matchesAll");
  const conditions = r.match
    .map((all) => all.map((c) => conditionText(c, t)).join(t("foreignRoutes.and")))
    .join(t("foreignRoutes.or"));
  return t("foreignRoutes.matches", { conditions });
}

/** Where a destination leads: this service's version, else the host and subset. */
function place(d: { host: string; subset: string | null; version: string | null }, t: Translate): string {
  if (d.version !== null) return d.version;
  if (d.subset !== null) return t("foreignRoutes.placeOther", { host: d.host, subset: d.subset });
  return t("foreignRoutes.placeAll", { host: d.host });
}

/** "Sends 100% to v1." plus the mirror, when it has one. */
export function routeSendsText(r: ForeignRoute, t: Translate): string {
  const destinations = r.destinations
    .map((d) => t("foreignRoutes.dest", { weight: d.weight, place: place(d, t) }))
    .join(", ");
  const sends = r.destinations.length > 0 ? t("foreignRoutes.sends", { destinations }) : "";
  const mirror = r.mirror ? t("foreignRoutes.mirror", { percent: r.mirror.percent, target: place(r.mirror, t) }) : "";
  return [sends, mirror].filter((s) => s !== "").join(" ");
}
