// The routing-backend interface: "make the router send these weights / these matched requests /
// this mirror to these versions, owning only our routes". A strategy says WHAT in a RoutingIntent
// (intent.ts); a backend says HOW in its router's objects: istio (VirtualService +
// DestinationRule), gateway-api (HTTPRoute + per-version Services), none (no router: traffic
// follows replica counts). Argo Rollouts gives each router the same kind of interface
// (TrafficRoutingReconciler: SetWeight, SetHeaderRoute, SetMirrorRoute). PURE: a backend never
// reads or writes the cluster, and returns new values instead of changing what it is given.
import type { DriftEntry } from "../drift";
import type { WriteOp } from "../ops";
import type { MatchRule } from "../spec";
import type { DefaultRouteReading, MatchRouteReading } from "../routing";
import type { Deployment, ServiceClusterState } from "../types";
import type { RoutingIntent } from "./intent";

export const ROUTING_BACKENDS = ["istio", "gateway-api", "none"] as const;
export type RoutingBackendName = (typeof ROUTING_BACKENDS)[number];

/** What a backend's router can be asked to do; the API refuses (400) an intent that needs more. */
export interface RoutingCapabilities {
  /** Split the default traffic by weight at the router (none: only by replica ratio). */
  weights: boolean;
  /** Owned routes matching request headers (and the user-agent presets, which are header regexes). */
  matchHeaders: boolean;
  /** Owned routes matching a cookie (a regex over the Cookie header on istio and gateway-api). */
  matchCookie: boolean;
  matchPath: boolean;
  /** Copy a share of the default traffic to a version (responses discarded). */
  mirror: boolean;
}

/** The task a backend renders for: names what it creates and finds (its routes are gc-<task>-<purpose>). */
export interface RoutingScope {
  task: string;
  namespace: string;
  service: string;
  baseVersion: string;
  newVersion: string;
}

export interface RenderOptions {
  /** The first render of a task: an owned route's name already in use is a conflict, not ours. */
  creating?: boolean;
  /** rollback is an emergency brake: a deleted router object is written again instead of refusing. */
  allowMissing?: boolean;
  /** Deployments whose pod labels say what each version's pods carry (the new one before it exists). */
  podSources?: readonly Deployment[];
}

/** A render's writes, in apply order, and the routing status after them (a new value). */
export interface Rendered<S> {
  writes: WriteOp[];
  status: S;
}

/** The routing of a service as the UI shows it, for any router. */
export interface RouterReading {
  backend: RoutingBackendName;
  /** The object that carries the routing: null when there is none (no router, or none written yet). */
  object: { kind: "VirtualService" | "HTTPRoute"; name: string } | null;
  defaultRoute: DefaultRouteReading | null;
  matchRoutes: MatchRouteReading[];
}

export interface RoutingBackend<S> {
  readonly name: RoutingBackendName;
  readonly capabilities: RoutingCapabilities;
  /** The routing status a task starts with: what it found, so restore can give it back. */
  begin(scope: RoutingScope, cluster: ServiceClusterState): S;
  render(intent: RoutingIntent, status: S, cluster: ServiceClusterState, options?: RenderOptions): Rendered<S>;
  /** Abort: the router's objects as the task found them, keeping every edit others made since. */
  restore(status: S, cluster: ServiceClusterState): WriteOp[];
  /** The task's parts of the live objects against what it last wrote; null when they agree. */
  drift(status: S, cluster: ServiceClusterState): DriftEntry[] | null;
  read(cluster: ServiceClusterState, service: string): RouterReading;
}

export type RoutingFeature = "weights" | "mirror" | "matchHeader" | "matchCookie" | "matchPath";

function ruleFeature(rule: MatchRule): RoutingFeature {
  if (rule.kind === "cookie") return "matchCookie";
  if (rule.kind === "uri") return "matchPath";
  return "matchHeader";
}

/** Every router feature an intent uses, in a stable order. */
export function featuresOf(intent: Pick<RoutingIntent, "defaultRoute" | "mirror" | "owned">): RoutingFeature[] {
  const used = new Set<RoutingFeature>();
  if ("weights" in intent.defaultRoute && Object.values(intent.defaultRoute.weights).filter((w) => w > 0).length > 1)
    used.add("weights");
  if (intent.mirror) used.add("mirror");
  for (const route of intent.owned) for (const alt of route.match) for (const rule of alt) used.add(ruleFeature(rule));
  return (["weights", "mirror", "matchHeader", "matchCookie", "matchPath"] as const).filter((f) => used.has(f));
}

const CAPABILITY_OF: Record<RoutingFeature, keyof RoutingCapabilities> = {
  weights: "weights",
  mirror: "mirror",
  matchHeader: "matchHeaders",
  matchCookie: "matchCookie",
  matchPath: "matchPath",
};

/** The first feature the intent needs that the backend lacks, or null. */
export function missingFeature(
  capabilities: RoutingCapabilities,
  features: readonly RoutingFeature[],
): RoutingFeature | null {
  return features.find((f) => !capabilities[CAPABILITY_OF[f]]) ?? null;
}
