// Canary: a share of the traffic (traffic.weights) and/or the requests that match rules
// (traffic.match, of which matchWeight percent) go to the new version; take-over moves the rest.
import { defaultStepEffect } from "../steps";
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
    // Steps may start from nothing: the first setWeight sets the split.
    if (t.weights === undefined && t.match === undefined && spec.steps === undefined)
      issue(["traffic"], "err.spec.canaryNeeds");
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
    // A content canary's steps widen its rules (setMatch) and its share of matched requests (setWeight).
    const match = status.stepMatch ?? t.match;
    const mw = status.stepMatchWeight ?? t.matchWeight ?? 100;
    const weights =
      mw === 100 ? { [status.newVersion]: 100 } : { [status.newVersion]: mw, [status.baseVersion]: 100 - mw };
    return [{ purpose: "canary", match: [match], weights, fieldPath: "traffic.match" }];
  },
  stepKinds: ["setWeight", "pause", "analysis", "setMatch"],
  // A content canary (match rules, no weights) moves the matched requests; else the default route.
  stepEffect: (spec, status, step) =>
    defaultStepEffect(step, {
      splitsDefault: spec.traffic?.weights !== undefined || spec.traffic?.match === undefined,
      pool: status.replicaPool,
    }),
});
