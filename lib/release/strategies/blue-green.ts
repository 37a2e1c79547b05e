// Blue-green: the new version runs beside the base with no share of live traffic (only a preview
// route, by header or cookie, reaches it) until the switch moves all traffic at once.
import type { MatchRule } from "../spec";
import { defineStrategy, movable, plainSplit } from "./common";

export const blueGreen = defineStrategy({
  name: "blue-green",
  capabilities: {
    routing: "router",
    hasWeights: false,
    hasMatchRules: false,
    hasPreview: true,
    hasVariants: false,
    hasMirror: false,
    hasBatches: false,
    scalesBase: false,
    splitsPods: false,
    slider: "none",
    advance: "switch",
  },
  trafficFields: ["previewHeader", "previewCookie"],
  initialSplit: (spec, base) => plainSplit(spec, { [base.version]: 100, [spec.newVersion.version]: 0 }),
  ownedRoutes: (spec, status) => {
    const t = spec.traffic ?? {};
    // The header and the cookie are alternatives: either one reaches the preview.
    const match: MatchRule[][] = [];
    if (t.previewHeader)
      match.push([{ kind: "header", name: t.previewHeader.name, op: "exact", value: t.previewHeader.value }]);
    if (t.previewCookie) match.push([{ kind: "cookie", name: t.previewCookie.name, value: t.previewCookie.value }]);
    if (match.length === 0) return [];
    return [{ purpose: "preview", match, weights: { [status.newVersion]: 100 }, fieldPath: "traffic" }];
  },
  // The preview stays after the switch and after a rollback: testers keep reaching the new version.
  keptOnAllTraffic: ["preview"],
  refusals: {
    switch: (state) => movable(state),
    setTraffic: () => "err.state.blueGreenTraffic",
  },
});
