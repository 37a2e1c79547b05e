// Every VirtualService/DestinationRule write of a plan, checked before the plan is returned:
// istiod's own rules (istio-validation.ts), plus two the console keeps itself. 1) Its own routes
// (the task's default route and owned routes) split traffic in percentages: weights sum to 100,
// as istiod required until 1.15 (istio/istio#39544 relaxed it to "not all 0"). 2) Every subset a
// route sends the service's traffic to exists in its DestinationRule, at every step of the plan
// (istiod does not check across objects; Envoy answers such requests 503 NC).
// A problem the objects already had before the plan (same message, same element), live or in the
// task's original snapshot, is not the plan's doing and does not block it: abort and rollback stay
// emergency brakes even on objects someone else broke. PURE.
import { entryRouteIndexes } from "./entry-routes";
import { planError, type PlanError } from "./errors";
import { destinationRuleProblems, virtualServiceProblems, type IstioProblem } from "./istio-validation";
import { clone, deepEqual } from "./json";
import { describeOp, isWrite, type PlanOp } from "./ops";
import { findDefaultRoute, hostMatchesService, hostVirtualServices, routeDestinations } from "./routing";
import type { TaskStatus } from "./status";
import type { DestinationRule, K8sObject, ServiceClusterState, VirtualService, VirtualServiceSpec } from "./types";

export type WriteScope = Pick<
  TaskStatus,
  "service" | "namespace" | "virtualServiceName" | "ownedRoutes" | "routing" | "original" | "entryRoutes"
>;

/** A problem with the object it is in: "VirtualService reviews". */
interface Located extends IstioProblem {
  object: string;
  code: "invalid" | "conflict";
}

/** The service's routing objects as a plan goes through them. */
interface MeshState {
  virtualServices: VirtualService[];
  destinationRule: DestinationRule | null;
}

/** Console rule 1: a route of the task's with several destinations splits 100 percent. */
export function percentProblems(spec: VirtualServiceSpec, routes: readonly number[]): IstioProblem[] {
  const out: IstioProblem[] = [];
  for (const i of routes) {
    const r = spec.http?.[i];
    const dests = r?.route ?? [];
    if (!r || dests.length < 2) continue;
    const sum = dests.reduce((a, d) => a + (d.weight ?? 0), 0);
    if (sum !== 100) out.push({ path: `http[${i}].route`, message: `weights sum to ${sum}, not 100`, at: r });
  }
  return out;
}

/** Console rule 2: every subset of `service` a route names is defined in `dr`. */
export function missingSubsetProblems(
  spec: VirtualServiceSpec,
  dr: DestinationRule | null,
  service: string,
  namespace: string,
): IstioProblem[] {
  const defined = new Set((dr?.spec.subsets ?? []).map((s) => s?.name));
  const where = dr ? `DestinationRule ${dr.metadata.name}` : `any DestinationRule of ${service}`;
  const out: IstioProblem[] = [];
  (spec.http ?? []).forEach((r, i) => {
    if (!r) return;
    for (const { destination: d, path } of routeDestinations(r, `http[${i}]`)) {
      if (d.subset === undefined || d.subset === "" || !hostMatchesService(d.host, service, namespace)) continue;
      if (!defined.has(d.subset))
        out.push({ path: `${path}.subset`, message: `subset ${d.subset} is not defined in ${where}`, at: r });
    }
  });
  return out;
}

/** Indexes of the task's own routes in `vs`: in its VirtualService the default route and the owned ones; elsewhere its entry routes. */
function taskRoutes(vs: VirtualService, scope: WriteScope): number[] {
  const entries = entryRouteIndexes(scope, vs);
  if (scope.routing !== "istio" || vs.metadata.name !== scope.virtualServiceName) return entries;
  const d = findDefaultRoute(vs, scope.service, scope.namespace);
  const owned = (vs.spec.http ?? []).flatMap((r, i) =>
    r?.name !== undefined && scope.ownedRoutes.includes(r.name) ? [i] : [],
  );
  return [...(d >= 0 ? [d] : []), ...owned, ...entries];
}

function located(object: K8sObject, code: Located["code"], problems: IstioProblem[]): Located[] {
  return problems.map((p) => ({ ...p, object: `${object.kind} ${object.metadata.name}`, code }));
}

function problemsOf(state: MeshState, scope: WriteScope): Located[] {
  const dr = state.destinationRule;
  const vsProblems = state.virtualServices.flatMap((vs) => [
    ...located(vs, "invalid", [...virtualServiceProblems(vs.spec), ...percentProblems(vs.spec, taskRoutes(vs, scope))]),
    ...located(vs, "conflict", missingSubsetProblems(vs.spec, dr, scope.service, scope.namespace)),
  ]);
  return [...(dr ? located(dr, "invalid", destinationRuleProblems(dr.spec)) : []), ...vsProblems];
}

/** The state after one write: a VS or the DR created, replaced or deleted (other kinds leave it as it is). */
function afterWrite(state: MeshState, op: PlanOp): MeshState {
  if (!isWrite(op) || op.op === "patchReplicas") return state;
  const obj = op.object;
  const gone = op.op === "delete";
  if (obj.kind === "DestinationRule")
    return { ...state, destinationRule: gone ? null : (clone(obj) as DestinationRule) };
  if (obj.kind !== "VirtualService") return state;
  const others = state.virtualServices.filter((v) => v.metadata.name !== obj.metadata.name);
  return { ...state, virtualServices: gone ? others : [...others, clone(obj) as VirtualService] };
}

function initialState(cluster: ServiceClusterState): MeshState {
  return { virtualServices: hostVirtualServices(cluster), destinationRule: cluster.destinationRule };
}

/** The objects as the task found them: what abort puts back may carry the problems they had. */
function originalState(cluster: ServiceClusterState, scope: WriteScope): MeshState {
  const vs = scope.original.virtualService;
  const others = hostVirtualServices(cluster).filter((v) => v.metadata.name !== vs?.metadata.name);
  return {
    virtualServices: vs ? [vs, ...others] : others,
    destinationRule: scope.original.destinationRule ?? cluster.destinationRule,
  };
}

function sameProblem(a: Located, b: Located): boolean {
  return a.object === b.object && a.message === b.message && deepEqual(a.at, b.at);
}

function refusal(p: Located, op: PlanOp): PlanError {
  return planError(
    p.code,
    "err.istio.wouldReject",
    { object: p.object, path: p.path, problem: p.message },
    { object: p.object, path: p.path, step: describeOp(op) },
  );
}

/** Throws a PlanError naming the object and field of the first problem a write of `ops` introduces. */
export function refuseInvalidIstioWrites(
  ops: readonly PlanOp[],
  cluster: ServiceClusterState,
  scope: WriteScope,
): void {
  if (!cluster.istioAvailable) return;
  let state = initialState(cluster);
  const known = [...problemsOf(state, scope), ...problemsOf(originalState(cluster, scope), scope)];
  for (const op of ops) {
    const next = afterWrite(state, op);
    if (next === state) continue;
    state = next;
    const introduced = problemsOf(state, scope).find((p) => !known.some((k) => sameProblem(k, p)));
    if (introduced) throw refusal(introduced, op);
  }
}

function objectProblems(obj: K8sObject): IstioProblem[] {
  if (obj.kind === "VirtualService") return virtualServiceProblems((obj as VirtualService).spec);
  if (obj.kind === "DestinationRule") return destinationRuleProblems((obj as DestinationRule).spec);
  return [];
}

/**
 * For one write rebased on the live object at apply time (rebase.ts): istiod's first problem that
 * `object` has and `live` did not, as "VirtualService reviews http[0].route: ...", or null.
 */
export function introducedObjectProblem(object: K8sObject, live: K8sObject): string | null {
  const before = objectProblems(live);
  const p = objectProblems(object).find((x) => !before.some((b) => b.message === x.message && deepEqual(b.at, x.at)));
  return p ? `${object.kind} ${object.metadata.name} ${p.path}: ${p.message}` : null;
}
