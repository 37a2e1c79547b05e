// The gateway-api routing backend (Gateway API v1 HTTPRoute, standard channel): per-version
// Services (`<service>-<version>`, selector app+version) as backendRefs, the task's weights on the
// backendRefs of the default rule, its match routes as named rules (gc-<task>-<purpose>) before
// it, a mirror as a RequestMirror filter with `percent`. Rules are found by `rules[].name`
// (GEP-995: "MUST be unique within a Route"); every other rule is carried over byte for byte.
// Works on mesh routes (GAMMA: parentRefs of kind Service) and north-south ones (parentRef
// Gateway) alike: only rules change, never parentRefs or hostnames. PURE.
import { planError } from "../errors";
import { clone, deepEqual } from "../json";
import { orderedVersions } from "../mesh";
import { templateLabels, deploymentVersion } from "../routing";
import type { WriteOp } from "../ops";
import type { Deployment, Service, ServiceClusterState } from "../types";
import type { RenderOptions, Rendered, RoutingBackend, RoutingCapabilities, RoutingScope } from "./backend";
import { gatewayDrift, gatewayRead, gatewayRestore } from "./gateway-api-restore";
import { gatewayMatches, MATCH_ALL } from "./gateway-api-match";
import {
  buildVersionService,
  defaultRuleName,
  findDefaultRule,
  isCatchAllRule,
  meshParent,
  newMeshRoute,
  ownedRuleName,
  pickRoute,
  refersToService,
  refuseMismatch,
  serviceNames,
  versionOfService,
  versionServiceName,
} from "./gateway-api-objects";
import {
  GATEWAY_API_VERSION,
  type HTTPBackendRef,
  type HTTPRouteFilter,
  type HTTPRouteObject,
  type HTTPRouteRule,
  type HTTPRouteSpec,
} from "./gateway-api-types";
import type { RoutingIntent } from "./intent";

/** What a task on the gateway-api backend persists (JSON). */
export interface GatewayRoutingStatus extends RoutingScope {
  backend: "gateway-api";
  /** The HTTPRoute the task writes. */
  route: string;
  /** The rule with the service's default traffic, found by this name (the task names an unnamed one gc-<task>-default). */
  defaultRule: string;
  /** The task's match rules in force. */
  ownedRules: string[];
  /** version -> the Service its pods are addressed by. */
  services: Record<string, string>;
  /** The service port every backendRef names (a Service backendRef must name one). */
  port: number | null;
  /** Exactly what was found: restore gives it back (the default rule byte for byte). */
  original: { route: HTTPRouteObject | null; defaultRule: HTTPRouteRule | null };
  created: { route: boolean; services: string[] };
  /** The route spec the task last wrote: drift is measured against it. */
  lastApplied: HTTPRouteSpec | null;
}

export const GATEWAY_API_CAPABILITIES: RoutingCapabilities = {
  weights: true,
  matchHeaders: true,
  matchCookie: true,
  matchPath: true,
  mirror: true,
};

/** The port the default rule's backendRefs already name, else the route's mesh parentRef port, else the service's first. */
function portOf(rule: HTTPRouteRule | undefined, cluster: ServiceClusterState): number | null {
  const used = rule?.backendRefs?.find((b) => typeof b.port === "number")?.port;
  return used ?? cluster.service.spec.ports?.[0]?.port ?? null;
}

function begin(scope: RoutingScope, cluster: ServiceClusterState): GatewayRoutingStatus {
  const route = pickRoute(cluster);
  const rules = route?.spec.rules ?? [];
  const d = findDefaultRule(rules, serviceNames(cluster), cluster.namespace);
  const found = d >= 0 ? rules[d] : undefined;
  return {
    ...scope,
    backend: "gateway-api",
    route: route?.metadata.name ?? scope.service,
    defaultRule: found?.name ?? defaultRuleName(scope.task),
    ownedRules: [],
    services: {},
    port: portOf(found, cluster),
    original: { route: clone(route), defaultRule: found ? clone(found) : null },
    created: { route: route === null, services: [] },
    lastApplied: null,
  };
}

function liveRoute(s: Pick<GatewayRoutingStatus, "route">, cluster: ServiceClusterState): HTTPRouteObject | null {
  return (cluster.httpRoutes ?? []).find((r) => r.metadata.name === s.route) ?? null;
}

function podLabelsOf(version: string, pods: readonly Deployment[]): Record<string, string> | null {
  const d = pods.find((x) => deploymentVersion(x) === version);
  return d ? templateLabels(d) : null;
}

interface ResolvedServices {
  services: Record<string, string>;
  created: string[];
  writes: WriteOp[];
}

/** The Service of each version: the one the task uses, else `<service>-<version>`, else any selecting its pods; else a new one. */
function resolveServices(
  versions: readonly string[],
  s: GatewayRoutingStatus,
  cluster: ServiceClusterState,
  pods: readonly Deployment[],
): ResolvedServices {
  const out: ResolvedServices = { services: { ...s.services }, created: [...s.created.services], writes: [] };
  const all = cluster.versionServices ?? [];
  for (const version of versions) {
    const podLabels = podLabelsOf(version, pods);
    const wanted = s.services[version] ?? versionServiceName(s.service, version);
    const named = all.find((x) => x.metadata.name === wanted);
    const selects = (x: Service) =>
      versionOfService(x, cluster.service) === version &&
      (podLabels === null || Object.entries(x.spec.selector ?? {}).every(([k, v]) => podLabels[k] === v));
    if (named && !selects(named)) refuseMismatch(named, version, podLabels);
    const found = named ?? all.find(selects);
    if (found) {
      out.services[version] = found.metadata.name;
      continue;
    }
    out.services[version] = wanted;
    if (!out.created.includes(wanted)) out.created.push(wanted);
    out.writes.push({
      op: "create",
      object: buildVersionService(cluster.service, wanted, version, s.task, s.namespace),
    });
  }
  return out;
}

function backendRef(s: GatewayRoutingStatus, version: string): HTTPBackendRef {
  const ref: HTTPBackendRef = {
    group: "",
    kind: "Service",
    name: s.services[version] ?? versionServiceName(s.service, version),
  };
  if (s.port !== null) ref.port = s.port;
  return ref;
}

/** The default rule's backendRefs: weights in version order, per-backendRef extras (filters) someone set kept. */
function renderBackendRefs(
  existing: readonly HTTPBackendRef[],
  s: GatewayRoutingStatus,
  route: RoutingIntent["defaultRoute"],
): HTTPBackendRef[] {
  const reuse = (version: string): HTTPBackendRef => {
    const prev = existing.find((b) => refersToService(b, s.services[version] ?? "", s.namespace));
    return prev ? clone(prev) : backendRef(s, version);
  };
  // Weights are relative (HTTPBackendRef.weight); the task writes percentages, one version gets 100.
  if ("single" in route) return [{ ...reuse(route.single), weight: 100 }];
  return orderedVersions(s, route.weights).map((v) => ({ ...reuse(v), weight: route.weights[v] ?? 0 }));
}

/** The default rule's filters with the task's mirror set, removed (null) or left (undefined); other filters stay. */
function renderFilters(
  filters: readonly HTTPRouteFilter[] | undefined,
  s: GatewayRoutingStatus,
  mirror: RoutingIntent["mirror"],
  names: ReadonlySet<string>,
): HTTPRouteFilter[] | undefined {
  if (mirror === undefined) return filters ? clone([...filters]) : undefined;
  const ours = (f: HTTPRouteFilter) =>
    f.type === "RequestMirror" &&
    [...names].some((n) => f.requestMirror && refersToService(f.requestMirror.backendRef, n, s.namespace));
  const kept = (filters ?? []).filter((f) => !ours(f)).map((f) => clone(f));
  if (mirror !== null)
    kept.push({
      type: "RequestMirror",
      requestMirror: { backendRef: { ...backendRef(s, mirror.version) }, percent: mirror.percent },
    });
  return kept.length > 0 ? kept : undefined;
}

function ownedRules(intent: RoutingIntent, s: GatewayRoutingStatus): HTTPRouteRule[] {
  return intent.owned.map((o) => {
    const versions = Object.keys(o.weights).filter(
      (v) => (o.weights[v] ?? 0) > 0 || Object.keys(o.weights).length === 1,
    );
    const backendRefs = versions.map((v) => ({ ...backendRef(s, v), weight: o.weights[v] ?? 100 }));
    return { name: ownedRuleName(s.task, o.purpose), matches: gatewayMatches(o.match, o.fieldPath), backendRefs };
  });
}

/** Where the default rule is in `rules`: by the task's name for it, or (first render) the one routing the service now. */
function defaultIndex(rules: readonly HTTPRouteRule[], s: GatewayRoutingStatus, cluster: ServiceClusterState): number {
  const byName = rules.findIndex((r) => r.name === s.defaultRule);
  if (byName >= 0 || s.lastApplied !== null) return byName;
  return findDefaultRule(rules, serviceNames(cluster), s.namespace);
}

/** The route's rules with the task's: foreign rules as they are, the default rule's backendRefs and mirror, owned rules right before it. */
function renderRules(
  live: readonly HTTPRouteRule[],
  s: GatewayRoutingStatus,
  intent: RoutingIntent,
  owned: readonly HTTPRouteRule[],
  cluster: ServiceClusterState,
): HTTPRouteRule[] {
  const removing = new Set([...s.ownedRules, ...owned.map((r) => r.name ?? "")]);
  const rules = live.filter((r) => !(r.name !== undefined && removing.has(r.name))).map((r) => clone(r));
  let d = defaultIndex(rules, s, cluster);
  if (d < 0) {
    const blocking = rules.findIndex(isCatchAllRule);
    if (blocking >= 0)
      throw planError("invalid", "err.gateway.defaultUnreachable", {
        route: s.route,
        index: blocking,
        service: s.service,
      });
    rules.push({ name: s.defaultRule, matches: [clone(MATCH_ALL)], backendRefs: [] });
    d = rules.length - 1;
  }
  const found = rules[d] as HTTPRouteRule;
  const names = new Set([...serviceNames(cluster), ...Object.values(s.services)]);
  const def: HTTPRouteRule = {
    ...found,
    name: s.defaultRule,
    backendRefs: renderBackendRefs(found.backendRefs ?? [], s, intent.defaultRoute),
  };
  const filters = renderFilters(found.filters, s, intent.mirror, names);
  if (filters === undefined) delete def.filters;
  else def.filters = filters;
  rules.splice(d, 1, ...clone(owned), def);
  return rules;
}

/** The write that makes the route carry `spec`: create when absent, replace when it differs, none when equal. */
function routeWrite(live: HTTPRouteObject | null, s: GatewayRoutingStatus, spec: HTTPRouteSpec): WriteOp | null {
  if (!live) {
    const found = s.original.route;
    // A route someone deleted comes back as the one the task found (its name, labels, parents).
    const metadata = found
      ? {
          name: found.metadata.name,
          namespace: s.namespace,
          ...(found.metadata.labels ? { labels: clone(found.metadata.labels) } : {}),
        }
      : newMeshRoute(s.route, s.namespace, s.task, spec).metadata;
    return { op: "create", object: { apiVersion: GATEWAY_API_VERSION, kind: "HTTPRoute", metadata, spec } };
  }
  if (deepEqual(spec, live.spec)) return null;
  const object = clone(live);
  object.spec = clone(spec);
  // Omitting managedFields lets the API server keep tracking ownership; status is the controllers'.
  delete object.metadata.managedFields;
  delete (object as Record<string, unknown>).status;
  return { op: "replace", object, before: live };
}

/** The route as the task found it, its default rule under the name the task finds it by (to write it again after a deletion). */
function asFound(spec: HTTPRouteSpec, s: GatewayRoutingStatus): HTTPRouteSpec {
  const original = s.original.defaultRule;
  const rules = (spec.rules ?? []).map((r) =>
    original && deepEqual(r, original) ? { ...clone(r), name: s.defaultRule } : clone(r),
  );
  return { ...clone(spec), rules };
}

function refuseTakenNames(live: HTTPRouteObject | null, owned: readonly HTTPRouteRule[]): void {
  for (const r of owned) {
    if (live?.spec.rules?.some((x) => x.name === r.name))
      throw planError("conflict", "err.gateway.ruleExists", { route: live.metadata.name, rule: String(r.name) });
  }
}

/** The task's Service of a retired version goes after the route stops naming it (and only if the task created it). */
function retireService(
  s: GatewayRoutingStatus,
  version: string | undefined,
  cluster: ServiceClusterState,
): { services: Record<string, string>; created: string[]; writes: WriteOp[] } {
  const services = { ...s.services };
  const name = version === undefined ? undefined : services[version];
  if (version === undefined || name === undefined) return { services, created: s.created.services, writes: [] };
  delete services[version];
  const live = (cluster.versionServices ?? []).find((x) => x.metadata.name === name);
  const ours = s.created.services.includes(name);
  return {
    services,
    created: s.created.services.filter((n) => n !== name),
    writes: ours && live ? [{ op: "delete", object: live }] : [],
  };
}

function render(
  intent: RoutingIntent,
  status: GatewayRoutingStatus,
  cluster: ServiceClusterState,
  options: RenderOptions = {},
): Rendered<GatewayRoutingStatus> {
  const live = liveRoute(status, cluster);
  if (!options.creating && !options.allowMissing && !live && status.lastApplied)
    throw planError("conflict", "err.gateway.routeDeleted", { name: status.route });
  const resolved = resolveServices(intent.versions, status, cluster, options.podSources ?? cluster.deployments);
  const withServices: GatewayRoutingStatus = {
    ...status,
    services: resolved.services,
    created: { ...status.created, services: resolved.created },
  };
  const owned = ownedRules(intent, withServices);
  if (options.creating) refuseTakenNames(live, owned);
  const found = status.original.route;
  const base: HTTPRouteSpec = live
    ? clone(live.spec)
    : found
      ? asFound(found.spec, status)
      : { parentRefs: [meshParent(status.service)], rules: [] };
  const rules = renderRules(base.rules ?? [], withServices, intent, owned, cluster);
  if (rules.length > 16)
    throw planError("invalid", "err.gateway.tooManyRules", { route: status.route, count: rules.length });
  const spec: HTTPRouteSpec = { ...base, rules };
  const retired = retireService(withServices, intent.removeVersion, cluster);
  const write = routeWrite(live, withServices, spec);
  const next: GatewayRoutingStatus = {
    ...withServices,
    services: retired.services,
    created: { route: status.created.route, services: retired.created },
    ownedRules: owned.map((r) => r.name ?? ""),
    lastApplied: clone(spec),
  };
  // Services exist before the route names them; a retired one goes once the route no longer does.
  return { writes: [...resolved.writes, ...(write ? [write] : []), ...retired.writes], status: next };
}

export const gatewayApiBackend: RoutingBackend<GatewayRoutingStatus> = {
  name: "gateway-api",
  capabilities: GATEWAY_API_CAPABILITIES,
  begin,
  render,
  restore: gatewayRestore,
  drift: gatewayDrift,
  read: gatewayRead,
};
