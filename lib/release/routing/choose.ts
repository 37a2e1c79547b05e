// Which router a new task steers: the spec's routing.backend, else the one the service already
// uses (detect.ts); a combination a backend cannot carry is refused with the reason (a 400 on
// routing.backend, worded from the catalogs). And, on the gateway-api backend, which version is
// the base: the one the HTTPRoute's default rule sends most traffic to. PURE.
import { fieldErrorOf } from "../errors";
import type { MatchRule, TaskSpec } from "../spec";
import { strategyOf } from "../strategies";
import type { TaskStatus } from "../status";
import type { ServiceClusterState } from "../types";
import { missingFeature, type RoutingFeature } from "./backend";
import { detectBackend } from "./detect";
import { gatewayApiBackend } from "./gateway-api";
import { NONE_CAPABILITIES } from "./none";

type RoutedSpec = Pick<TaskSpec, "strategy"> & Partial<Pick<TaskSpec, "routing" | "traffic" | "service" | "steps">>;

function ruleFeature(rule: MatchRule): RoutingFeature {
  return rule.kind === "cookie" ? "matchCookie" : rule.kind === "uri" ? "matchPath" : "matchHeader";
}

/** What the spec asks of a router: its mirror, its match rules and preview route, and (every router strategy) steering by weight. */
export function specFeatures(spec: RoutedSpec): RoutingFeature[] {
  const t = spec.traffic ?? {};
  const used = new Set<RoutingFeature>();
  if (strategyOf(spec.strategy).capabilities.hasMirror) used.add("mirror");
  for (const rule of [...(t.match ?? []), ...(t.variants ?? []).flatMap((v) => v.match ?? [])])
    used.add(ruleFeature(rule));
  if (t.previewHeader) used.add("matchHeader");
  if (t.previewCookie) used.add("matchCookie");
  used.add("weights");
  return (["mirror", "matchHeader", "matchCookie", "matchPath", "weights"] as const).filter((f) => used.has(f));
}

/**
 * The task's routing: "replicas" for a strategy that splits pods (or, on a router-or-replicas
 * strategy, when nothing routes the service), else the chosen router. Throws a field error on
 * routing.backend for a backend that is not installed or cannot do what the spec asks.
 */
export function chooseRouting(spec: RoutedSpec, cluster: ServiceClusterState): TaskStatus["routing"] {
  const needs = strategyOf(spec.strategy).capabilities.routing;
  if (needs === "replicas") return "replicas";
  const backend = spec.routing?.backend ?? detectBackend(cluster);
  if (backend === "none") {
    if (needs === "router-or-replicas") return "replicas";
    const missing = missingFeature(NONE_CAPABILITIES, specFeatures(spec)) ?? "weights";
    throw fieldErrorOf("routing.backend", "err.routing.unsupported", {
      backend,
      featureKey: `err.word.feature.${missing}`,
    });
  }
  if (backend === "gateway-api") {
    if (cluster.gatewayApiAvailable === false) throw fieldErrorOf("routing.backend", "err.gateway.notInstalled");
    // The step runner moves weights through the Istio action path only, so far.
    if ((spec.steps?.length ?? 0) > 0) throw fieldErrorOf("steps", "err.routing.stepsUnsupported", { backend });
    return "gateway-api";
  }
  if (!cluster.istioAvailable && needs === "router") throw fieldErrorOf("strategy", "err.plan.noIstio");
  return needs === "router-or-replicas" && (!cluster.istioAvailable || !cluster.virtualService) ? "replicas" : "istio";
}

/** The base on the gateway-api backend: the version the HTTPRoute's default rule weighs most; undefined when it names none (then the Deployments decide). */
export function gatewayBaseVersion(cluster: ServiceClusterState): string | undefined {
  const weights = Object.entries(
    gatewayApiBackend.read(cluster, cluster.service.metadata.name).defaultRoute?.weights ?? {},
  ).filter(([k]) => k !== "*" && (cluster.versionServices ?? []).every((s) => s.metadata.name !== k));
  if (weights.length === 0) return undefined;
  const top = Math.max(...weights.map(([, w]) => w));
  const leaders = weights.filter(([, w]) => w === top);
  if (leaders.length > 1)
    throw fieldErrorOf("baseVersion", "err.base.tie", { versions: leaders.map(([k]) => k).join(", "), top });
  return leaders[0]?.[0];
}
