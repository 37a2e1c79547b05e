// The none routing backend: no router at all. The Service load-balances over every pod that
// matches its selector, so a version's share of traffic is its share of Ready pods (what
// replica-canary and batch without a mesh do with replica counts). It writes nothing, owns
// nothing and cannot match or mirror requests: the API refuses intents that need that. PURE.
import type { RoutingBackend, RoutingCapabilities, RoutingScope } from "./backend";

export interface NoRoutingStatus extends RoutingScope {
  backend: "none";
}

export const NONE_CAPABILITIES: RoutingCapabilities = {
  weights: false,
  matchHeaders: false,
  matchCookie: false,
  matchPath: false,
  mirror: false,
};

export const noneBackend: RoutingBackend<NoRoutingStatus> = {
  name: "none",
  capabilities: NONE_CAPABILITIES,
  begin: (scope) => ({ ...scope, backend: "none" }),
  // The split is the planner's replica ratio (replicas.ts), not a router write.
  render: (_intent, status) => ({ writes: [], status }),
  restore: () => [],
  drift: () => null,
  read: () => ({ backend: "none", object: null, defaultRoute: null, matchRoutes: [] }),
};
