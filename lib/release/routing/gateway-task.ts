// A task on the gateway-api backend: the backend's status kept in TaskStatus.gatewayApi, and the
// planner's steps (create in make-before-break order, an action's render, abort, resync,
// acceptDrift, drift) expressed over the RoutingBackend interface. PURE: returns new values.
import { fieldErrorOf, planError } from "../errors";
import { clone, deepEqual } from "../json";
import type { PlanOp, WriteOp } from "../ops";
import type { WaitReadyOp } from "../readiness";
import type { TaskStatus } from "../status";
import type { ServiceClusterState } from "../types";
import type { RenderOptions } from "./backend";
import { gatewayApiBackend, type GatewayRoutingStatus } from "./gateway-api";
import { refersToService } from "./gateway-api-objects";
import { backendWeights } from "./gateway-api-restore";
import type { HTTPRouteObject, HTTPRouteRule, HTTPRouteSpec } from "./gateway-api-types";
import type { RoutingIntent } from "./intent";

export function gatewayOf(s: Pick<TaskStatus, "gatewayApi" | "task">): GatewayRoutingStatus {
  if (!s.gatewayApi)
    throw planError("invalid", "err.routing.unknownBackend", {
      backend: `gateway-api (task ${s.task} has no gateway-api status)`,
    });
  return s.gatewayApi;
}

/** The task's status on the gateway-api backend: what it found (route, default rule) recorded for abort. */
export function beginGateway(s: TaskStatus, cluster: ServiceClusterState): TaskStatus {
  const scope = {
    task: s.task,
    namespace: s.namespace,
    service: s.service,
    baseVersion: s.baseVersion,
    newVersion: s.newVersion,
  };
  const g = gatewayApiBackend.begin(scope, cluster);
  return {
    ...s,
    routing: "gateway-api",
    gatewayApi: g,
    created: { ...s.created, virtualService: false, destinationRule: false },
  };
}

/** One render of the intent; the task's owned route names follow the backend's. */
export function renderGateway(
  intent: RoutingIntent,
  s: TaskStatus,
  cluster: ServiceClusterState,
  options: RenderOptions = {},
): { writes: WriteOp[]; status: TaskStatus } {
  const r = gatewayApiBackend.render(intent, gatewayOf(s), cluster, options);
  return { writes: r.writes, status: { ...s, gatewayApi: r.status, ownedRoutes: [...r.status.ownedRules] } };
}

function routeOf(writes: readonly WriteOp[]): HTTPRouteSpec | null {
  const w = writes.find((x) => x.op !== "patchReplicas" && x.op !== "delete" && x.object.kind === "HTTPRoute");
  return w && w.op !== "patchReplicas" ? (w.object.spec as HTTPRouteSpec) : null;
}

/** Does any of the task's rules (default, owned, the mirror) send or copy requests to the new version's Service? */
export function sendsToNew(spec: HTTPRouteSpec, g: GatewayRoutingStatus): boolean {
  const svc = g.services[g.newVersion];
  if (svc === undefined) return false;
  const mine = new Set([g.defaultRule, ...g.ownedRules]);
  return (spec.rules ?? []).some((r) => {
    if (!r.name || !mine.has(r.name)) return false;
    const sends = (r.backendRefs ?? []).some((b) => (b.weight ?? 1) > 0 && refersToService(b, svc, g.namespace));
    const mirrors = (r.filters ?? []).some(
      (f) => f.requestMirror && refersToService(f.requestMirror.backendRef, svc, g.namespace),
    );
    return sends || mirrors;
  });
}

/**
 * The writes that start a task: the per-version Services before the new Deployment (they select
 * nothing until its pods exist), the route once the new pods are Ready when it sends them anything
 * (make before break), else at once.
 */
export function gatewayCreateSteps(
  intent: RoutingIntent,
  s: TaskStatus,
  cluster: ServiceClusterState,
  options: RenderOptions,
  ready: WaitReadyOp,
): { early: PlanOp[]; late: PlanOp[]; status: TaskStatus } {
  const started = beginGateway(s, cluster);
  const r = renderGateway(intent, started, cluster, { ...options, creating: true });
  const services = r.writes.filter((w) => w.op !== "patchReplicas" && w.object.kind === "Service");
  const routes = r.writes.filter((w) => !services.includes(w));
  const spec = routeOf(r.writes);
  const wait = spec !== null && sendsToNew(spec, gatewayOf(r.status));
  if (wait && ready.replicas === 0)
    throw fieldErrorOf("newVersion.replicas", "err.plan.zeroReplicas", { version: ready.version });
  return { early: services, late: [...(wait ? [ready] : []), ...routes], status: r.status };
}

/** Abort: the route as found (others' edits kept), the task's Services nothing routes to any more. */
export function gatewayAbort(s: TaskStatus, cluster: ServiceClusterState): WriteOp[] {
  return s.gatewayApi ? gatewayApiBackend.restore(s.gatewayApi, cluster) : [];
}

/** The live rules with the task's put back as it last wrote them (missing ones before the default rule); foreign rules as live. */
export function resyncedRules(
  g: GatewayRoutingStatus,
  expected: readonly HTTPRouteRule[],
  live: readonly HTTPRouteRule[],
): HTTPRouteRule[] {
  const mine = new Set([g.defaultRule, ...g.ownedRules]);
  const wanted = new Map(expected.filter((r) => r.name && mine.has(r.name)).map((r) => [r.name as string, r]));
  const rules = live.map((r) => clone(r.name && wanted.has(r.name) ? (wanted.get(r.name) as HTTPRouteRule) : r));
  const missing = [...wanted.values()].filter((w) => !rules.some((r) => r.name === w.name));
  const d = rules.findIndex((r) => r.name === g.defaultRule);
  rules.splice(d < 0 ? rules.length : d, 0, ...clone(missing));
  return rules;
}

/** resync: the task's rules back as last applied (the route made again if someone deleted it). */
export function gatewayResync(s: TaskStatus, cluster: ServiceClusterState): WriteOp[] {
  const g = gatewayOf(s);
  if (!g.lastApplied) return [];
  const live = (cluster.httpRoutes ?? []).find((r) => r.metadata.name === g.route) ?? null;
  if (!live) {
    const identity = g.original.route
      ? {
          apiVersion: g.original.route.apiVersion,
          kind: "HTTPRoute",
          metadata: {
            name: g.route,
            namespace: g.namespace,
            ...(g.original.route.metadata.labels ? { labels: clone(g.original.route.metadata.labels) } : {}),
          },
        }
      : null;
    const object = identity ?? {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: g.route, namespace: g.namespace },
    };
    return [{ op: "create", object: { ...object, spec: clone(g.lastApplied) } }];
  }
  const spec: HTTPRouteSpec = {
    ...clone(live.spec),
    rules: resyncedRules(g, g.lastApplied.rules ?? [], live.spec.rules ?? []),
  };
  if (deepEqual(spec, live.spec)) return [];
  const object = clone(live) as HTTPRouteObject;
  object.spec = spec;
  delete object.metadata.managedFields;
  delete (object as Record<string, unknown>).status;
  return [{ op: "replace", object, before: live }];
}

/** acceptDrift: the live route becomes what the task last applied; weights (and the mirror) read back from its default rule. */
export function gatewayAccept(s: TaskStatus, cluster: ServiceClusterState, mirrors: boolean): TaskStatus {
  const g = gatewayOf(s);
  const live = (cluster.httpRoutes ?? []).find((r) => r.metadata.name === g.route) ?? null;
  if (!live) throw planError("conflict", "err.action.acceptDriftGone", { kind: "HTTPRoute", name: g.route });
  const rules = live.spec.rules ?? [];
  const def = rules.find((r) => r.name === g.defaultRule);
  const weights = Object.fromEntries(
    Object.entries(backendWeights(def?.backendRefs ?? [], cluster)).filter(([k]) => k !== "*"),
  );
  const mirror = (def?.filters ?? []).find((f) => f.type === "RequestMirror")?.requestMirror;
  const ownedRules = g.ownedRules.filter((n) => rules.some((r) => r.name === n));
  const next: TaskStatus = {
    ...s,
    weights,
    ownedRoutes: ownedRules,
    gatewayApi: { ...g, ownedRules, lastApplied: clone(live.spec) },
  };
  return mirrors ? { ...next, mirrorPercent: mirror ? (mirror.percent ?? 100) : null } : next;
}

/** Drift of the task's rules and Services, for the task page (null: none). */
export function gatewayDrift(s: TaskStatus, cluster: ServiceClusterState) {
  return s.gatewayApi ? gatewayApiBackend.drift(s.gatewayApi, cluster) : null;
}
