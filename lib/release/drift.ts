// Drift: has someone changed (or deleted) what the task owns in the VirtualService /
// DestinationRule? Only the task's parts count: its default route, the owned routes it last
// applied, the DR subsets it routes to, and the destinations of the gateway routes it follows.
// Edits to foreign routes or subsets are never drift (moving a foreign route off the base is how a
// user makes retiring possible). PURE.
import { entryDrift } from "./entry-routes";
import { diffJson, type JsonDifference } from "./json";
import { findDefaultRoute } from "./routing";
import type { TaskStatus } from "./status";
import type {
  DestinationRuleSpec,
  HTTPRoute,
  K8sObject,
  ServiceClusterState,
  VirtualService,
  VirtualServiceSpec,
} from "./types";

export type DriftEntry = JsonDifference;
export interface Drift {
  virtualService?: DriftEntry[];
  destinationRule?: DriftEntry[];
  /** The destinations of entry routes (gateway VirtualServices) the task follows; paths start with `<virtualService>/<route>`. */
  entryRoutes?: DriftEntry[];
  /** The gateway-api backend's HTTPRoute rules and per-version Services (routing/gateway-api-restore.ts gatewayDrift). */
  httpRoute?: DriftEntry[];
}

export type DriftStatus = Pick<
  TaskStatus,
  | "lastApplied"
  | "virtualServiceName"
  | "destinationRuleName"
  | "service"
  | "namespace"
  | "ownedRoutes"
  | "subsets"
  | "routing"
  | "entryRoutes"
>;

function defaultIndex(spec: VirtualServiceSpec, s: DriftStatus): number {
  const vs: VirtualService = {
    apiVersion: "",
    kind: "VirtualService",
    metadata: { name: "", namespace: s.namespace },
    spec,
  };
  return findDefaultRoute(vs, s.service, s.namespace);
}

/** One expected element against its live counterpart (found by `liveIndex`, -1 when missing). */
function compareAt(
  field: string,
  expected: unknown,
  expectedIndex: number,
  live: unknown,
  liveIndex: number,
): DriftEntry[] {
  if (liveIndex < 0) return [{ path: `${field}[${expectedIndex}]`, expected }];
  return diffJson(expected, live, `${field}[${liveIndex}]`);
}

function virtualServiceDrift(expected: VirtualServiceSpec, live: VirtualServiceSpec, s: DriftStatus): DriftEntry[] {
  const want = expected.http ?? [];
  const have = live.http ?? [];
  const out: DriftEntry[] = [];
  const ed = defaultIndex(expected, s);
  const ld = defaultIndex(live, s);
  if (ed >= 0) out.push(...compareAt("http", want[ed], ed, have[ld], ld));
  for (const name of s.ownedRoutes) {
    const ei = want.findIndex((r: HTTPRoute) => r.name === name);
    if (ei < 0) continue;
    const li = have.findIndex((r: HTTPRoute) => r.name === name);
    out.push(...compareAt("http", want[ei], ei, have[li], li));
    // Behind the catch-all default route an owned match route is never reached.
    if (li >= 0 && ld >= 0 && li > ld)
      out.push({
        path: `http[${li}]`,
        expected: "before the default route",
        actual: `after the default route http[${ld}]`,
      });
  }
  return out;
}

function destinationRuleDrift(expected: DestinationRuleSpec, live: DestinationRuleSpec, s: DriftStatus): DriftEntry[] {
  const want = expected.subsets ?? [];
  const have = live.subsets ?? [];
  const out: DriftEntry[] = [];
  for (const name of new Set(Object.values(s.subsets))) {
    const ei = want.findIndex((x) => x.name === name);
    if (ei < 0) continue;
    const li = have.findIndex((x) => x.name === name);
    out.push(...compareAt("subsets", want[ei], ei, have[li], li));
  }
  return out;
}

function missing(expected: unknown, live: K8sObject | null, expectedName: string | null): DriftEntry[] | null {
  // A missing object, or a different one in its place, is drift of the whole spec.
  if (!live || (expectedName !== null && live.metadata.name !== expectedName))
    return [{ path: "", expected, actual: null }];
  return null;
}

/** null when the task's parts of the live objects equal status.lastApplied; otherwise the differing paths per object. */
export function detectDrift(
  status: DriftStatus,
  cluster: Pick<ServiceClusterState, "virtualService" | "virtualServices" | "destinationRule">,
): Drift | null {
  const drift: Drift = {};
  const vsExpected = status.lastApplied.virtualServiceSpec;
  if (vsExpected) {
    const vs = cluster.virtualService;
    const d =
      missing(vsExpected, vs, status.virtualServiceName) ??
      (vs ? virtualServiceDrift(vsExpected, vs.spec, status) : []);
    if (d.length > 0) drift.virtualService = d;
  }
  const drExpected = status.lastApplied.destinationRuleSpec;
  if (drExpected) {
    const dr = cluster.destinationRule;
    const d =
      missing(drExpected, dr, status.destinationRuleName) ??
      (dr ? destinationRuleDrift(drExpected, dr.spec, status) : []);
    if (d.length > 0) drift.destinationRule = d;
  }
  // Only the destinations of entry routes are the task's: other edits of those VirtualServices are not drift.
  const entries = entryDrift(status, cluster);
  if (entries.length > 0) drift.entryRoutes = entries;
  return drift.virtualService || drift.destinationRule || drift.entryRoutes ? drift : null;
}
