// The strategy registry: the name a task spec carries -> its module. The one place that lists
// the modules; STRATEGIES (lib/release/types.ts) stays the list the REST contract names, and
// the registry's type makes both agree. PURE.
import { STRATEGIES, type Strategy } from "../types";
import { abTest } from "./ab-test";
import { batch } from "./batch";
import { blueGreen } from "./blue-green";
import { canary } from "./canary";
import { mirror } from "./mirror";
import { replicaCanary } from "./replica-canary";
import type { StrategyCapabilities, StrategyModule } from "./strategy";

export type * from "./strategy";

const REGISTRY: Record<Strategy, StrategyModule> = {
  canary,
  "blue-green": blueGreen,
  "ab-test": abTest,
  mirror,
  batch,
  "replica-canary": replicaCanary,
};

export function strategyOf(name: Strategy): StrategyModule {
  return REGISTRY[name];
}

/** What the UI needs to know about a strategy. */
export function capabilitiesOf(name: Strategy): StrategyCapabilities {
  return REGISTRY[name].capabilities;
}

/** The strategies with a capability (e.g. the ones confirmed group by group), in STRATEGIES order. */
export function strategiesWith(has: (caps: StrategyCapabilities) => boolean): Strategy[] {
  return STRATEGIES.filter((s) => has(REGISTRY[s].capabilities));
}
