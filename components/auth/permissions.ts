// How a refused change is worded: the apiserver names resources by plural (and group), people
// know them by Kind. PURE.
import type { AccessCheck } from "@/lib/api/contracts";
import type { Locale } from "@/lib/i18n/config";

/** Plural resource name -> Kind, as `kubectl get` would print it (plural, so it reads as a list). */
const KINDS: Record<string, string> = {
  virtualservices: "VirtualServices",
  destinationrules: "DestinationRules",
  gateways: "Gateways",
  httproutes: "HTTPRoutes",
  deployments: "Deployments",
  replicasets: "ReplicaSets",
  horizontalpodautoscalers: "HorizontalPodAutoscalers",
  services: "Services",
  pods: "Pods",
  configmaps: "ConfigMaps",
  secrets: "Secrets",
};

/** "deployments/scale" -> "Deployments"; an unknown resource keeps its own name. */
export function kindOf(resource: string): string {
  const base = resource.split("/")[0] ?? resource;
  return KINDS[base.toLowerCase()] ?? base;
}

/** The Kinds a refused change needs, each once, in the order the server listed them. */
export function deniedKinds(denied: readonly Pick<AccessCheck, "resource">[]): string[] {
  return [...new Set(denied.map((d) => kindOf(d.resource)).filter((k) => k !== ""))];
}

/** "VirtualServices, Deployments" / "VirtualServices、Deployments". */
export function joinList(items: readonly string[], locale: Locale): string {
  return items.join(locale === "zh-CN" ? "、" : ", ");
}
