// A/B test: several versions (variants) at once, each reached by its match rules or by a weight
// of the default route; the new version is one of them.
import { groupVersions } from "../routing";
import type { TaskSpec } from "../spec";
import { defineStrategy, plainSplit } from "./common";
import type { BaseFacts, IssueAt, Refuse } from "./strategy";

function checkVariants(spec: TaskSpec, issue: IssueAt): void {
  const nv = spec.newVersion.version;
  const variants = spec.traffic?.variants ?? [];
  if (variants.length < 2) {
    issue(["traffic", "variants"], "err.spec.abNeedsTwo");
    return;
  }
  if (!variants.some((v) => v.version === nv)) issue(["traffic", "variants"], "err.spec.abNeedsNew", { version: nv });
  const names = new Set<string>();
  variants.forEach((v, i) => {
    if (names.has(v.name)) issue(["traffic", "variants", i, "name"], "err.spec.duplicateVariant", { name: v.name });
    names.add(v.name);
    if (v.match === undefined && v.weight === undefined) issue(["traffic", "variants", i], "err.spec.variantNeeds");
  });
  const weighted = variants.filter((v) => v.weight !== undefined);
  if (weighted.length > 0) {
    const sum = weighted.reduce((a, v) => a + (v.weight ?? 0), 0);
    if (sum !== 100) issue(["traffic", "variants"], "err.spec.variantSum", { sum });
  }
}

/** The default route's weights: the weighted variants' (all to the base when none is weighted). */
function variantWeights(spec: TaskSpec, base: BaseFacts, refuse: Refuse): Record<string, number> {
  const nv = spec.newVersion.version;
  const variants = spec.traffic?.variants ?? [];
  const known = new Set(groupVersions(base.deployments, spec.service).map((g) => g.version));
  variants.forEach((v, i) => {
    if (v.version !== nv && !known.has(v.version))
      refuse(
        `traffic.variants[${i}].version`,
        "err.plan.noSuchVersion",
        { version: v.version, service: spec.service },
        "not_found",
      );
  });
  const weighted = variants.filter((v) => v.weight !== undefined);
  const w: Record<string, number> = { [base.version]: 0, [nv]: 0 };
  if (weighted.length === 0) w[base.version] = 100;
  for (const v of weighted) w[v.version] = (w[v.version] ?? 0) + (v.weight ?? 0);
  return w;
}

export const abTest = defineStrategy({
  name: "ab-test",
  capabilities: {
    routing: "router",
    hasWeights: false,
    hasMatchRules: false,
    hasPreview: false,
    hasVariants: true,
    hasMirror: false,
    hasBatches: false,
    scalesBase: false,
    splitsPods: false,
    slider: "weights",
    advance: "takeover",
  },
  trafficFields: ["variants"],
  checkSpec: checkVariants,
  initialSplit: (spec, base, refuse) => plainSplit(spec, variantWeights(spec, base, refuse)),
  ownedRoutes: (spec) =>
    (spec.traffic?.variants ?? []).flatMap((v, i) =>
      v.match
        ? [
            {
              purpose: `variant-${v.name}`,
              match: [v.match],
              weights: { [v.version]: 100 },
              fieldPath: `traffic.variants[${i}].match`,
            },
          ]
        : [],
    ),
});
