// Replica canary: no router; base and new share one pool of pods behind the Service, and the
// split is their ratio (traffic.weights of the new version -> its share of the pool).
import { splitPool } from "../replicas";
import { checkTwoVersionWeights, defineStrategy, twoWayWeights } from "./common";

export const replicaCanary = defineStrategy({
  name: "replica-canary",
  capabilities: {
    routing: "replicas",
    hasWeights: true,
    hasMatchRules: false,
    hasPreview: false,
    hasVariants: false,
    hasMirror: false,
    hasBatches: false,
    scalesBase: true,
    splitsPods: true,
    slider: "weights",
    advance: "takeover",
  },
  trafficFields: ["weights"],
  stepKinds: ["setWeight", "setReplicas", "pause", "analysis"],
  checkSpec: (spec, issue) => {
    const weights = spec.traffic?.weights;
    if (weights === undefined) issue(["traffic", "weights"], "err.spec.replicaCanaryNeeds");
    else checkTwoVersionWeights(spec, weights, issue);
  },
  initialSplit: (spec, base, refuse) => {
    const nv = spec.newVersion.version;
    const r = spec.newVersion.replicas;
    const weights = twoWayWeights(spec, spec.traffic?.weights ?? {}, base.version, refuse);
    const pool = Math.max(base.replicas, r, 1);
    const split = splitPool(pool, weights[nv] ?? 0);
    return { weights, newReplicas: split.canary, baseTarget: split.base, state: "progressing", replicaPool: pool };
  },
});
