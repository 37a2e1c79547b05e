// Finding a service's HTTPRoute, its default rule and its per-version Services in the cluster
// state, and building the objects the gateway-api backend writes. PURE.
import { planError } from "../errors";
import { formatLabels, managedLabels } from "../new-deployment";
import { labelsInclude } from "../routing";
import { dnsLabelOf, VERSION_LABEL } from "../subsets";
import type { K8sObject, Service, ServiceClusterState } from "../types";
import type {
  BackendObjectReference,
  HTTPRouteObject,
  HTTPRouteRule,
  HTTPRouteSpec,
  ParentReference,
} from "./gateway-api-types";
import { matchesEverything } from "./gateway-api-match";

export function ownedRuleName(task: string, purpose: string): string {
  return `gc-${task}-${purpose}`;
}

/** The name a task gives the default rule it takes over when the rule has none (or when it adds one). */
export function defaultRuleName(task: string): string {
  return ownedRuleName(task, "default");
}

/** A reference to the core Service `name` (group "" and kind Service are the defaults of a backendRef). */
export function refersToService(
  ref: BackendObjectReference | ParentReference,
  name: string,
  namespace: string,
): boolean {
  return (
    (ref.group ?? "") === "" &&
    (ref.kind ?? "Service") === "Service" &&
    ref.name === name &&
    (ref.namespace ?? namespace) === namespace
  );
}

/** A GAMMA parentRef: the route attaches to the Service itself, i.e. routes mesh traffic to it (GEP-1426). */
export function isMeshParent(p: ParentReference, service: string, namespace: string): boolean {
  return (
    p.kind === "Service" && (p.group ?? "") === "" && p.name === service && (p.namespace ?? namespace) === namespace
  );
}

export function serviceSelector(service: Service): Record<string, string> {
  const sel = service.spec.selector;
  return sel && Object.keys(sel).length > 0 ? sel : { app: service.metadata.name };
}

/** The version a Service addresses: its selector is the service's plus version=<label>; null otherwise. */
export function versionOfService(candidate: Service, of: Service): string | null {
  const sel = candidate.spec.selector ?? {};
  const version = sel[VERSION_LABEL];
  if (version === undefined || candidate.metadata.name === of.metadata.name) return null;
  return labelsInclude(sel, serviceSelector(of)) ? version : null;
}

/** `<service>-<version>` (Istio's bookinfo-versions.yaml: reviews-v1, reviews-v2), a DNS-1035 label of at most 63 characters. */
export function versionServiceName(service: string, version: string): string {
  return `${service}-${dnsLabelOf(version)}`.slice(0, 63).replace(/-+$/, "");
}

/** Names of the Services that stand for `service` in backendRefs: itself and its per-version Services. */
export function serviceNames(cluster: Pick<ServiceClusterState, "service" | "versionServices">): Set<string> {
  const versioned = (cluster.versionServices ?? []).filter((s) => versionOfService(s, cluster.service) !== null);
  return new Set([cluster.service.metadata.name, ...versioned.map((s) => s.metadata.name)]);
}

function refsOf(rule: HTTPRouteRule): BackendObjectReference[] {
  const mirrors = (rule.filters ?? []).flatMap((f) =>
    f?.requestMirror?.backendRef ? [f.requestMirror.backendRef] : [],
  );
  return [...(rule.backendRefs ?? []), ...mirrors];
}

/** Does a rule send or mirror requests to one of `names` (Services of this namespace)? */
export function ruleUses(rule: HTTPRouteRule, names: ReadonlySet<string>, namespace: string): boolean {
  return refsOf(rule).some((r) => [...names].some((n) => refersToService(r, n, namespace)));
}

/**
 * Does the route concern the service: attached to it (GAMMA), or, for a north-south route (parentRef
 * Gateway), a rule sends to it or its per-version Services? A mesh route attached to another
 * Service routes requests addressed to that one (reviews), not to the Services it sends them to
 * (reviews-v1).
 */
export function routeConcerns(
  route: HTTPRouteObject,
  cluster: Pick<ServiceClusterState, "service" | "versionServices" | "namespace">,
): boolean {
  const svc = cluster.service.metadata.name;
  const parents = route.spec.parentRefs ?? [];
  if (parents.some((p) => isMeshParent(p, svc, cluster.namespace))) return true;
  if (parents.some((p) => p.kind === "Service")) return false;
  const names = serviceNames(cluster);
  return (route.spec.rules ?? []).some((r) => r && ruleUses(r, names, cluster.namespace));
}

/** The route that carries the service's traffic: a mesh (GAMMA) route named after it, any mesh route for it, else any route to it. */
export function pickRoute(
  cluster: Pick<ServiceClusterState, "service" | "versionServices" | "namespace" | "httpRoutes">,
): HTTPRouteObject | null {
  const svc = cluster.service.metadata.name;
  const routes = (cluster.httpRoutes ?? []).filter((r) => routeConcerns(r, cluster));
  const mesh = routes.filter((r) => (r.spec.parentRefs ?? []).some((p) => isMeshParent(p, svc, cluster.namespace)));
  return mesh.find((r) => r.metadata.name === svc) ?? mesh[0] ?? routes[0] ?? null;
}

/** A rule every request meets: no matches (the API server defaults them to PathPrefix "/"), or one that matches all. */
export function isCatchAllRule(rule: HTTPRouteRule): boolean {
  const matches = rule.matches;
  return matches === undefined || matches.length === 0 || matches.some(matchesEverything);
}

/**
 * The rule with the service's default traffic: the FIRST catch-all rule whose backendRefs all
 * name the service or its per-version Services. Among rules of equal precedence the first in
 * list order wins (HTTPRouteRule.matches in the spec), so a later catch-all is never reached.
 */
export function findDefaultRule(
  rules: readonly HTTPRouteRule[],
  names: ReadonlySet<string>,
  namespace: string,
): number {
  const i = rules.findIndex(isCatchAllRule);
  const rule = rules[i];
  if (!rule) return -1;
  const refs = rule.backendRefs ?? [];
  return refs.length > 0 && refs.every((r) => [...names].some((n) => refersToService(r, n, namespace))) ? i : -1;
}

/** A new mesh route for the service: attached to the Service itself (GAMMA), as Istio's bookinfo samples do. */
export function newMeshRoute(service: string, namespace: string, task: string, spec: HTTPRouteSpec): HTTPRouteObject {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: service, namespace, labels: managedLabels(task) },
    spec,
  };
}

export function meshParent(service: string): ParentReference {
  return { group: "", kind: "Service", name: service };
}

/** The per-version Service: the service's selector plus version=<label>, its ports (a backendRef names one of them). */
export function buildVersionService(
  of: Service,
  name: string,
  version: string,
  task: string,
  namespace: string,
): Service {
  const ports = (of.spec.ports ?? []).map((p) => {
    const port: Record<string, unknown> = { port: p.port };
    for (const k of ["name", "protocol", "targetPort", "appProtocol"]) if (p[k] !== undefined) port[k] = p[k];
    return port as { port: number };
  });
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, labels: { ...managedLabels(task), app: of.metadata.name, [VERSION_LABEL]: version } },
    spec: { selector: { ...serviceSelector(of), [VERSION_LABEL]: version }, ports },
  };
}

/** A Service with the per-version name that addresses something else is not ours to reuse or change. */
export function refuseMismatch(
  existing: K8sObject & Service,
  version: string,
  podLabels: Record<string, string> | null,
): never {
  const pods = podLabels ? formatLabels(podLabels) : `${VERSION_LABEL}=${version}`;
  throw planError("conflict", "err.gateway.serviceMismatch", {
    name: existing.metadata.name,
    selector: formatLabels(existing.spec.selector ?? {}),
    version,
    pods,
  });
}
