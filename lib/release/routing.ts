// Reading routing state out of live Istio objects and Deployments. PURE.
import type {
  Deployment,
  Destination,
  DestinationRule,
  HTTPMatchRequest,
  HTTPRoute,
  HTTPRouteDestination,
  ServiceClusterState,
  StringMatch,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

/** The pod label DestinationRule subsets select a version by (the one Bookinfo and the console stamp on pods). */
export const VERSION_LABEL = "version";

/** Key used for a destination that names no subset (all endpoints of the host). */
export const ANY_SUBSET = "*";
/** Version reported for Deployments whose pod template carries no `version` label. */
export const UNVERSIONED = "unversioned";

/** True when `host` (as written in a VirtualService) names the Kubernetes Service `name` in `namespace`. */
export function hostMatchesService(host: string, name: string, namespace: string | undefined): boolean {
  if (host === name) return true;
  if (namespace === undefined)
    return host.startsWith(`${name}.`) && /^[^.]+\.[^.]+(\.svc(\.cluster\.local)?)?$/.test(host);
  return (
    host === `${name}.${namespace}` ||
    host === `${name}.${namespace}.svc` ||
    host === `${name}.${namespace}.svc.cluster.local`
  );
}

/**
 * Does `vs` concern the Service `name`: its hosts name it, or one of its http routes sends or
 * mirrors requests to it? The second catches the ingress gateway's VirtualServices, whose hosts
 * are the names users type (Bookinfo's `bookinfo` has hosts ["*"]) and whose routes lead to it.
 */
export function concernsService(vs: VirtualService, name: string, namespace: string): boolean {
  if ((vs.spec.hosts ?? []).some((h) => hostMatchesService(h, name, namespace))) return true;
  return (vs.spec.http ?? []).some(
    (r, i) =>
      r &&
      routeDestinations(r, `http[${i}]`).some(
        ({ destination: d }) => typeof d.host === "string" && hostMatchesService(d.host, name, namespace),
      ),
  );
}

/** Every VirtualService for the host, the owned one as live. */
export function hostVirtualServices(
  cluster: Pick<ServiceClusterState, "virtualService" | "virtualServices">,
): VirtualService[] {
  const owned = cluster.virtualService;
  const others = (cluster.virtualServices ?? []).filter((v) => v.metadata.name !== owned?.metadata.name);
  return owned ? [owned, ...others] : others;
}

/** `<virtualService>/<route name or http[i]>`: how routes of any VirtualService are named to people (and in moveRoutes). */
export function routeId(vs: string, index: number, name: string | undefined): string {
  return `${vs}/${name ?? `http[${index}]`}`;
}

/** Every destination of a route that sends (or mirrors) requests, with where it sits: `http[i].route[j].destination`. */
export function routeDestinations(r: HTTPRoute, path: string): { destination: Destination; path: string }[] {
  const mirrors = Array.isArray(r.mirrors) ? (r.mirrors as ({ destination?: Destination } | null)[]) : [];
  return [
    ...(r.route ?? []).flatMap((x, j) =>
      x?.destination ? [{ destination: x.destination, path: `${path}.route[${j}].destination` }] : [],
    ),
    ...(r.mirror ? [{ destination: r.mirror, path: `${path}.mirror` }] : []),
    ...mirrors.flatMap((m, j) =>
      m?.destination ? [{ destination: m.destination, path: `${path}.mirrors[${j}].destination` }] : [],
    ),
  ];
}

/** Subset names of `service` that some http route of `spec` sends (or mirrors) requests to. */
export function routedSubsets(spec: VirtualServiceSpec, service: string, namespace: string): Set<string> {
  const out = new Set<string>();
  (spec.http ?? []).forEach((r, i) => {
    if (!r) return;
    for (const { destination: d } of routeDestinations(r, `http[${i}]`))
      if (d.subset !== undefined && d.subset !== "" && hostMatchesService(d.host, service, namespace))
        out.add(d.subset);
  });
  return out;
}

/** A route is a catch-all when it has no match, or only empty match objects. */
export function isCatchAll(route: HTTPRoute): boolean {
  const match = route.match;
  if (match === undefined || match === null || match.length === 0) return true;
  return match.every((m) => m !== null && typeof m === "object" && Object.keys(m).length === 0);
}

/**
 * Index of the default http route of `vs` for service `host` (short name): the LAST catch-all
 * route whose destinations all point at this service; -1 when there is none.
 */
export function findDefaultRoute(
  vs: VirtualService,
  host: string,
  namespace: string | undefined = vs.metadata.namespace,
): number {
  const http = vs.spec.http ?? [];
  for (let i = http.length - 1; i >= 0; i--) {
    const route = http[i];
    if (!route || !isCatchAll(route)) continue;
    const dests = route.route ?? [];
    if (dests.length === 0) continue;
    if (dests.every((d) => hostMatchesService(d.destination.host, host, namespace))) return i;
  }
  return -1;
}

/**
 * Weights of a route's destinations keyed by subset ("*" when none; `host/subset` for
 * destinations of another service). Istio: a lone destination without weight carries 100.
 */
export function routeWeights(
  dests: readonly HTTPRouteDestination[],
  serviceName: string,
  namespace: string | undefined,
  versions: Readonly<Record<string, string>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of dests) {
    const key = destinationKey(d.destination, serviceName, namespace, versions);
    const w = d.weight ?? (dests.length === 1 ? 100 : 0);
    out[key] = (out[key] ?? 0) + w;
  }
  return out;
}

function destinationKey(
  dest: Destination,
  serviceName: string,
  namespace: string | undefined,
  versions: Readonly<Record<string, string>> = {},
): string {
  const subset = dest.subset ?? ANY_SUBSET;
  return hostMatchesService(dest.host, serviceName, namespace)
    ? (versions[subset] ?? subset)
    : `${dest.host}/${subset}`;
}

/**
 * Subset name -> the version label it selects (version=<label>), from the service's
 * DestinationRule: subset names are derived (`v1.0` -> `v1-0`) and the API speaks versions.
 */
export function subsetVersions(dr: DestinationRule | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of dr?.spec.subsets ?? []) {
    const version = s.labels?.[VERSION_LABEL];
    if (version !== undefined) out[s.name] = version;
  }
  return out;
}

function describeStringMatch(sm: StringMatch | undefined): string {
  if (!sm || typeof sm !== "object") return "present";
  const entries = Object.entries(sm);
  if (entries.length === 0) return "present";
  return entries.map(([op, v]) => `${op} ${JSON.stringify(v)}`).join(" ");
}

/** Human-readable summary of one HTTPMatchRequest: its conditions ANDed. */
export function describeMatchRequest(m: HTTPMatchRequest): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(m)) {
    if (key === "name") continue;
    if (key === "headers" || key === "queryParams" || key === "withoutHeaders") {
      const label = key === "headers" ? "header" : key === "queryParams" ? "query" : "without header";
      for (const [h, sm] of Object.entries((value ?? {}) as Record<string, StringMatch>)) {
        parts.push(`${label} ${h} ${describeStringMatch(sm)}`);
      }
    } else if (key === "uri" || key === "method" || key === "scheme" || key === "authority") {
      parts.push(`${key} ${describeStringMatch(value as StringMatch)}`);
    } else {
      parts.push(`${key}=${JSON.stringify(value)}`);
    }
  }
  return parts.length === 0 ? "any request" : parts.join(" AND ");
}

/** A route's match list: entries are ORed. */
export function describeMatch(match: readonly HTTPMatchRequest[] | undefined): string {
  if (!match || match.length === 0) return "any request";
  return match.map(describeMatchRequest).join(" OR ");
}

/** The request attribute a condition tests ("other": a field the console has no word for, shown as written). */
export type MatchField = "header" | "query" | "withoutHeader" | "uri" | "method" | "scheme" | "authority" | "other";
/** How it is compared; "present": any value (an empty StringMatch). */
export type MatchOp = "exact" | "prefix" | "regex" | "present" | "other";

/**
 * One condition of a match, as data for the UI to word in the reader's language (describeMatch
 * is the English for the API's `match`): `name` is the header/query name (or the field, for
 * "other"), `value` the compared value as JSON.
 */
export interface MatchCondition {
  field: MatchField;
  name?: string;
  op: MatchOp;
  value?: string;
}

const MATCH_OPS = new Set<string>(["exact", "prefix", "regex"]);

function stringMatchConditions(field: MatchField, sm: StringMatch | undefined, name?: string): MatchCondition[] {
  const entries = sm && typeof sm === "object" ? Object.entries(sm) : [];
  const named = name === undefined ? {} : { name };
  if (entries.length === 0) return [{ field, ...named, op: "present" }];
  return entries.map(([op, v]) => ({
    field,
    ...named,
    op: MATCH_OPS.has(op) ? (op as MatchOp) : "other",
    value: JSON.stringify(v),
  }));
}

/** The conditions of one HTTPMatchRequest (ANDed), in describeMatchRequest's order. */
export function matchRequestConditions(m: HTTPMatchRequest): MatchCondition[] {
  const out: MatchCondition[] = [];
  for (const [key, value] of Object.entries(m)) {
    if (key === "name") continue;
    if (key === "headers" || key === "queryParams" || key === "withoutHeaders") {
      const field: MatchField = key === "headers" ? "header" : key === "queryParams" ? "query" : "withoutHeader";
      for (const [h, sm] of Object.entries((value ?? {}) as Record<string, StringMatch>))
        out.push(...stringMatchConditions(field, sm, h));
    } else if (key === "uri" || key === "method" || key === "scheme" || key === "authority") {
      out.push(...stringMatchConditions(key, value as StringMatch));
    } else {
      out.push({ field: "other", name: key, op: "other", value: JSON.stringify(value) });
    }
  }
  return out;
}

/** A route's match list as data: ORed entries of ANDed conditions; [] matches any request. */
export function matchConditions(match: readonly HTTPMatchRequest[] | undefined): MatchCondition[][] {
  return (match ?? []).map(matchRequestConditions);
}

/**
 * Weights (and the mirror) are keyed by version label when the DestinationRule says which version
 * a subset selects, else by subset name ("*" for none, `host/subset` for another service).
 */
export interface DefaultRouteReading {
  weights: Record<string, number>;
  mirror?: { subset: string; percent: number };
}
export interface MatchRouteReading {
  name?: string;
  /** English, for scripts: `uri prefix "/api" AND header end-user exact "jason"`. */
  match: string;
  /** The same as data (ORed lists of ANDed conditions), worded by the UI. */
  conditions: MatchCondition[][];
  weights: Record<string, number>;
}
export interface RoutingReading {
  virtualService: string | null;
  /**
   * Which router carries the service's routing and in which object (readServiceRouting,
   * routing/reading.ts); absent where only a VirtualService was read.
   */
  router?: {
    backend: "istio" | "gateway-api" | "none";
    kind: "VirtualService" | "HTTPRoute" | null;
    name: string | null;
  };
  defaultRoute: DefaultRouteReading | null;
  matchRoutes: MatchRouteReading[];
  note?: "no VirtualService";
}

/** The routing of `vs` for the service; pass the service's DestinationRule to read it in version labels. */
export function readRouting(
  vs: VirtualService | null,
  serviceName: string,
  namespace: string,
  dr: DestinationRule | null = null,
): RoutingReading {
  if (!vs) return { virtualService: null, defaultRoute: null, matchRoutes: [], note: "no VirtualService" };
  const http = vs.spec.http ?? [];
  const d = findDefaultRoute(vs, serviceName, namespace);
  const versions = subsetVersions(dr);
  let defaultRoute: DefaultRouteReading | null = null;
  const matchRoutes: MatchRouteReading[] = [];
  http.forEach((route, i) => {
    const weights = routeWeights(route.route ?? [], serviceName, namespace, versions);
    if (i === d) {
      defaultRoute = { weights };
      if (route.mirror) {
        // Istio mirrors 100% when mirrorPercentage is absent.
        const percent = route.mirrorPercentage?.value ?? 100;
        defaultRoute.mirror = { subset: destinationKey(route.mirror, serviceName, namespace, versions), percent };
      }
      return;
    }
    const reading: MatchRouteReading = {
      match: describeMatch(route.match),
      conditions: matchConditions(route.match),
      weights,
    };
    if (route.name !== undefined) reading.name = route.name;
    matchRoutes.push(reading);
  });
  return { virtualService: vs.metadata.name, defaultRoute, matchRoutes };
}

export interface VersionGroup {
  version: string;
  deployments: string[];
  image: string;
  replicas: { ready: number; desired: number };
}

/** The container that carries the application: the one named like the service, else the first. */
export function mainContainerIndex(d: Deployment, serviceName: string): number {
  const containers = d.spec.template.spec.containers;
  const i = containers.findIndex((c) => c.name === serviceName);
  return Math.max(i, 0);
}

/** Do `labels` carry every key=value of `required` (a subset or Service selecting them)? */
export function labelsInclude(labels: Record<string, string>, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => labels[k] === v);
}

export function templateLabels(d: Deployment): Record<string, string> {
  return d.spec.template.metadata?.labels ?? {};
}

export function deploymentVersion(d: Deployment): string {
  return templateLabels(d).version ?? UNVERSIONED;
}

/** Deployments of `serviceName` (pod template app=<service>) grouped by their `version` label, sorted by version. */
export function groupVersions(deployments: readonly Deployment[], serviceName: string): VersionGroup[] {
  const groups = new Map<string, VersionGroup>();
  const sorted = [...deployments].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const d of sorted) {
    if (templateLabels(d).app !== serviceName) continue;
    const version = deploymentVersion(d);
    let g = groups.get(version);
    if (!g) {
      const main = d.spec.template.spec.containers[mainContainerIndex(d, serviceName)];
      g = { version, deployments: [], image: main?.image ?? "", replicas: { ready: 0, desired: 0 } };
      groups.set(version, g);
    }
    g.deployments.push(d.metadata.name);
    g.replicas.ready += d.status?.readyReplicas ?? 0;
    // The API server defaults an unset replicas to 1.
    g.replicas.desired += d.spec.replicas ?? 1;
  }
  return [...groups.values()].sort((a, b) => a.version.localeCompare(b.version, "en", { numeric: true }));
}
