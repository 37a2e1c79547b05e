// Canary: a share of the traffic (traffic.weights) and/or the requests that match rules
// (traffic.match, of which matchWeight percent) go to the new version; take-over moves the rest.
import { checkTwoVersionWeights, defineStrategy, plainSplit, twoWayWeights } from "./common";

export const canary = defineStrategy({
  name: "canary",
  capabilities: {
    routing: "router",
    hasWeights: true,
    hasMatchRules: true,
    hasPreview: false,
    hasVariants: false,
    hasMirror: false,
    hasBatches: false,
    scalesBase: false,
    splitsPods: false,
    slider: "weights",
    advance: "takeover",
  },
  trafficFields: ["weights", "match", "matchWeight"],
  checkSpec: (spec, issue) => {
    const t = spec.traffic ?? {};
    if (t.weights === undefined && t.match === undefined) issue(["traffic"], "err.spec.canaryNeeds");
    if (t.weights) checkTwoVersionWeights(spec, t.weights, issue);
    if (t.matchWeight !== undefined && t.match === undefined)
      issue(["traffic", "matchWeight"], "err.spec.matchWeightNeedsMatch");
  },
  initialSplit: (spec, base, refuse) => {
    const t = spec.traffic ?? {};
    const nv = spec.newVersion.version;
    return plainSplit(
      spec,
      t.weights ? twoWayWeights(spec, t.weights, base.version, refuse) : { [base.version]: 100, [nv]: 0 },
    );
  },
  ownedRoutes: (spec, status) => {
    const t = spec.traffic ?? {};
    if (!t.match) return [];
    const mw = t.matchWeight ?? 100;
    const weights =
      mw === 100 ? { [status.newVersion]: 100 } : { [status.newVersion]: mw, [status.baseVersion]: 100 - mw };
    return [{ purpose: "canary", match: [t.match], weights, fieldPath: "traffic.match" }];
  },
});
