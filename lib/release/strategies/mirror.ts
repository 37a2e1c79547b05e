// Mirror: live traffic stays on the base; a copy of mirrorPercent of it goes to the new version,
// whose answers are dropped. Take-over, rollback and retire stop the mirror.
import type { ActionName } from "../types";
import { defineStrategy, mirrorStopped, plainSplit } from "./common";

const STOPS_MIRROR: readonly ActionName[] = ["takeover", "switch", "promoteFull", "rollback", "retireOld"];

export const mirror = defineStrategy({
  name: "mirror",
  capabilities: {
    routing: "router",
    hasWeights: false,
    hasMatchRules: false,
    hasPreview: false,
    hasVariants: false,
    hasMirror: true,
    hasBatches: false,
    scalesBase: false,
    splitsPods: false,
    slider: "mirror",
    advance: "takeover",
  },
  trafficFields: ["mirrorPercent"],
  checkSpec: (spec, issue) => {
    if (spec.traffic?.mirrorPercent === undefined) issue(["traffic", "mirrorPercent"], "err.spec.mirrorNeeds");
  },
  initialSplit: (spec, base) => ({
    ...plainSplit(spec, { [base.version]: 100, [spec.newVersion.version]: 0 }),
    mirrorPercent: spec.traffic?.mirrorPercent ?? 0,
  }),
  stepKinds: ["setMirror", "pause", "analysis"],
  statusAfter: (action, status) => (STOPS_MIRROR.includes(action) ? mirrorStopped(status) : status),
});
