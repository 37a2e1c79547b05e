// The gateway-api backend on the LIVE route: abort (restore), drift and the reading the UI shows.
// Restore puts back only what the task owns: the default rule as it was found (byte for byte),
// no owned rules, no per-version Services it created that nothing routes to any more; every edit
// others made stays. PURE.
import type { DriftEntry } from "../drift";
import { clone, deepEqual, diffJson } from "../json";
import type { WriteOp } from "../ops";
import {
  ANY_SUBSET,
  describeMatch,
  matchConditions,
  type DefaultRouteReading,
  type MatchRouteReading,
} from "../routing";
import type { K8sObject, ServiceClusterState } from "../types";
import type { RouterReading } from "./backend";
import type { GatewayRoutingStatus } from "./gateway-api";
import { asMatchRequest } from "./gateway-api-match";
import {
  findDefaultRule,
  pickRoute,
  refersToService,
  ruleUses,
  serviceNames,
  versionOfService,
} from "./gateway-api-objects";
import type {
  BackendObjectReference,
  HTTPBackendRef,
  HTTPRouteObject,
  HTTPRouteRule,
  HTTPRouteSpec,
} from "./gateway-api-types";
import { recreate, replaceWith } from "../owned";

type Status = GatewayRoutingStatus;

function liveRoute(s: Pick<Status, "route">, cluster: ServiceClusterState): HTTPRouteObject | null {
  return (cluster.httpRoutes ?? []).find((r) => r.metadata.name === s.route) ?? null;
}

function isOwnedRule(s: Pick<Status, "task" | "ownedRules">, r: HTTPRouteRule): boolean {
  return r.name !== undefined && (s.ownedRules.includes(r.name) || r.name.startsWith(`gc-${s.task}-`));
}

/** The live rules with the task's undone: its default rule back as found (or gone, if the task added it), no owned rules. */
export function restoredRules(s: Status, live: readonly HTTPRouteRule[]): HTTPRouteRule[] {
  const original = s.original.defaultRule;
  const d = live.findIndex((r) => r.name === s.defaultRule);
  const rules = live.flatMap((r, i) => {
    if (i === d) return original ? [clone(original)] : [];
    return isOwnedRule(s, r) ? [] : [clone(r)];
  });
  if (d < 0 && original) rules.push(clone(original));
  return rules;
}

function restoreRoute(s: Status, live: HTTPRouteObject | null): WriteOp | null {
  if (!live) {
    if (s.created.route || !s.original.route) return null;
    // Someone deleted the route the task adopted: put back the one that was found.
    return recreate(s.original.route);
  }
  const rules = restoredRules(s, live.spec.rules ?? []);
  // An HTTPRoute needs at least one rule; one the task created and nothing foreign joined goes.
  if (s.created.route && rules.length === 0) return { op: "delete", object: live };
  const spec: HTTPRouteSpec = { ...clone(live.spec), rules };
  return deepEqual(spec, live.spec) ? null : replaceWith(live, spec);
}

/** Abort: the route as found (edits of others kept), then the task's Services nothing routes to any more. */
export function gatewayRestore(s: Status, cluster: ServiceClusterState): WriteOp[] {
  const live = liveRoute(s, cluster);
  const routeOp = restoreRoute(s, live);
  const after: HTTPRouteSpec | null = routeOp
    ? routeOp.op === "delete"
      ? null
      : ((routeOp as { object: K8sObject }).object.spec as HTTPRouteSpec)
    : (live?.spec ?? null);
  const others = (cluster.httpRoutes ?? []).filter((r) => r.metadata.name !== s.route).map((r) => r.spec);
  const specs = after ? [after, ...others] : others;
  const used = (name: string) =>
    specs.some((spec) => (spec.rules ?? []).some((r) => r && ruleUses(r, new Set([name]), s.namespace)));
  const deletes: WriteOp[] = s.created.services.flatMap((name) => {
    const svc = (cluster.versionServices ?? []).find((x) => x.metadata.name === name);
    return svc && !used(name) ? [{ op: "delete", object: svc } as WriteOp] : [];
  });
  return [...(routeOp ? [routeOp] : []), ...deletes];
}

function compareAt(expected: unknown, ei: number, live: unknown, li: number): DriftEntry[] {
  if (li < 0) return [{ path: `rules[${ei}]`, expected }];
  return diffJson(expected, live, `rules[${li}]`);
}

/** The task's rules (default and owned, by name) and its Services against what it last wrote; foreign rules never drift. */
export function gatewayDrift(s: Status, cluster: ServiceClusterState): DriftEntry[] | null {
  const expected = s.lastApplied;
  if (!expected) return null;
  const live = liveRoute(s, cluster);
  if (!live) return [{ path: "", expected, actual: null }];
  const want = expected.rules ?? [];
  const have = live.spec.rules ?? [];
  const out: DriftEntry[] = [];
  for (const name of [s.defaultRule, ...s.ownedRules]) {
    const ei = want.findIndex((r) => r.name === name);
    if (ei >= 0)
      out.push(
        ...compareAt(
          want[ei],
          ei,
          have[have.findIndex((r) => r.name === name)],
          have.findIndex((r) => r.name === name),
        ),
      );
  }
  const present = new Set((cluster.versionServices ?? []).map((x) => x.metadata.name));
  for (const name of new Set(Object.values(s.services)))
    if (!present.has(name)) out.push({ path: `Service ${name}`, expected: "present", actual: null });
  return out.length > 0 ? out : null;
}

/** Reading keys: a version (through its per-version Service), "*" for the service itself, else the Service's name. */
function keyOf(ref: BackendObjectReference, cluster: ServiceClusterState): string {
  if (refersToService(ref, cluster.service.metadata.name, cluster.namespace)) return ANY_SUBSET;
  const svc = (cluster.versionServices ?? []).find((x) => refersToService(ref, x.metadata.name, cluster.namespace));
  return (svc && versionOfService(svc, cluster.service)) ?? ref.name;
}

/** Weights are relative (default 1): read as percentages of the rule's total, as the UI shows Istio's. */
export function backendWeights(refs: readonly HTTPBackendRef[], cluster: ServiceClusterState): Record<string, number> {
  const total = refs.reduce((a, r) => a + (r.weight ?? 1), 0);
  const out: Record<string, number> = {};
  for (const r of refs) {
    const key = keyOf(r, cluster);
    out[key] = (out[key] ?? 0) + (total === 0 ? 0 : Math.round((100 * (r.weight ?? 1)) / total));
  }
  return out;
}

function defaultReading(rule: HTTPRouteRule, cluster: ServiceClusterState): DefaultRouteReading {
  const reading: DefaultRouteReading = { weights: backendWeights(rule.backendRefs ?? [], cluster) };
  const mirror = (rule.filters ?? []).find((f) => f.type === "RequestMirror" && f.requestMirror)?.requestMirror;
  if (mirror) {
    const f = mirror.fraction;
    // Neither percent nor fraction: 100% (HTTPRequestMirrorFilter).
    const percent = mirror.percent ?? (f ? (100 * f.numerator) / (f.denominator ?? 100) : 100);
    reading.mirror = { subset: keyOf(mirror.backendRef, cluster), percent };
  }
  return reading;
}

/** The service's routing as the UI shows it: the default rule's weights and mirror, every other rule as a match route. */
export function gatewayRead(cluster: ServiceClusterState, _service: string): RouterReading {
  const route = pickRoute(cluster);
  if (!route) return { backend: "gateway-api", object: null, defaultRoute: null, matchRoutes: [] };
  const rules = route.spec.rules ?? [];
  const d = findDefaultRule(rules, serviceNames(cluster), cluster.namespace);
  const matchRoutes: MatchRouteReading[] = [];
  rules.forEach((rule, i) => {
    if (i === d || !rule) return;
    const match = (rule.matches ?? []).map(asMatchRequest);
    const reading: MatchRouteReading = {
      match: describeMatch(match),
      conditions: matchConditions(match),
      weights: backendWeights(rule.backendRefs ?? [], cluster),
    };
    if (rule.name !== undefined) reading.name = rule.name;
    matchRoutes.push(reading);
  });
  const def = d >= 0 ? rules[d] : undefined;
  return {
    backend: "gateway-api",
    object: { kind: "HTTPRoute", name: route.metadata.name },
    defaultRoute: def ? defaultReading(def, cluster) : null,
    matchRoutes,
  };
}
