// The gateway routes that send users to a service, as the console shows them (the service page
// and the task page): weights per version label, read live. PURE.
import { type Cluster, type EntryScope, isGatewayBound, locateEntry, type Scope, sendsToService } from "./entry-routes";
import {
  describeMatch,
  hostVirtualServices,
  type MatchCondition,
  matchConditions,
  routeId,
  routeWeights,
  subsetVersions,
} from "./routing";
import type { DestinationRule, HTTPRoute, VirtualService } from "./types";

/** One gateway route to the service as the console shows it: weights per version label. */
export interface EntryRouteReading {
  id: string;
  virtualService: string;
  /** The route's name, else `http[i]`. */
  route: string;
  gateways: string[];
  match: string;
  /** `match` as data (see MatchRouteReading.conditions). */
  conditions: MatchCondition[][];
  /** Live weights by version (subsets read through the DR); null when the route is no longer there. */
  weights: Record<string, number> | null;
}

function reading(
  vs: VirtualService,
  index: number,
  route: HTTPRoute | undefined,
  scope: Pick<Scope, "service" | "namespace">,
  dr: DestinationRule | null,
): EntryRouteReading {
  return {
    id: routeId(vs.metadata.name, index, route?.name),
    virtualService: vs.metadata.name,
    route: route?.name ?? `http[${index}]`,
    gateways: (vs.spec.gateways ?? []).filter((g) => g !== "mesh"),
    match: describeMatch(route?.match),
    conditions: matchConditions(route?.match),
    weights: route ? routeWeights(route.route ?? [], scope.service, scope.namespace, subsetVersions(dr)) : null,
  };
}

/** Every gateway route that sends to the service, outside the VirtualService `own` (the one whose routing is shown already). */
export function readEntryRoutes(
  cluster: Cluster,
  service: string,
  namespace: string,
  dr: DestinationRule | null,
  own: string | null,
): EntryRouteReading[] {
  const scope = { service, namespace };
  return hostVirtualServices(cluster)
    .filter((vs) => isGatewayBound(vs) && vs.metadata.name !== own)
    .flatMap((vs) =>
      (vs.spec.http ?? []).flatMap((r, i) => (r && sendsToService(r, scope) ? [reading(vs, i, r, scope, dr)] : [])),
    );
}

/** The entry routes a task follows, read live (weights null for one that is gone). */
export function readFollowedEntryRoutes(
  status: EntryScope,
  cluster: Cluster,
  dr: DestinationRule | null,
): EntryRouteReading[] {
  const live = new Map(hostVirtualServices(cluster).map((vs) => [vs.metadata.name, vs]));
  return (status.entryRoutes ?? []).map((entry) => {
    const vs = live.get(entry.virtualService);
    const i = locateEntry(vs, entry, status);
    if (!vs || i < 0)
      return {
        id: entry.id,
        virtualService: entry.virtualService,
        route: entry.name ?? `http[${entry.index}]`,
        gateways: entry.gateways,
        match: describeMatch(entry.match ?? undefined),
        conditions: matchConditions(entry.match ?? undefined),
        weights: null,
      };
    return reading(vs, i, vs.spec.http?.[i], status, dr);
  });
}
