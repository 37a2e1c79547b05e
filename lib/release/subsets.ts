// DestinationRule subsets per version label. Istio wants a subset name to be a DNS-1123 label
// (validateSubsetName, istio/istio pkg/config/validation/validation.go) while a version label
// may be any Kubernetes label value (`v1.0`, `1.4.0-rc1`, `V2_rc`). So the name is derived and
// stays inside the engine: the API, the UI and TaskStatus.weights speak version labels, and
// TaskStatus.subsets maps each version to the subset that selects it. PURE.
import { subsetNameProblem } from "./istio-validation";
import { labelsInclude, VERSION_LABEL } from "./routing";
import type { DestinationRule, Subset } from "./types";

const MAX_DNS_LABEL = 63;
export { VERSION_LABEL };

/**
 * A DNS-1123 label for a version label: lowercase, every character outside [a-z0-9-] a '-', no
 * '-' at either end, at most 63 characters. `v1.0` -> `v1-0`, `V2_rc` -> `v2-rc`.
 */
export function dnsLabelOf(version: string): string {
  const label = version
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_DNS_LABEL)
    .replace(/-+$/, "");
  // "" is a valid label value but no valid DNS label; valid version labels never get here.
  return label === "" ? "version" : label;
}

/** Does `subset` select `version`'s pods: version=<label>, and nothing the pods lack (when they are known)? */
export function selectsVersion(subset: Subset, version: string, podLabels: Record<string, string> | null): boolean {
  const labels = subset.labels ?? {};
  return labels[VERSION_LABEL] === version && (podLabels === null || labelsInclude(podLabels, labels));
}

/**
 * The existing subset that selects `version`'s pods, whatever its name (`known`, the name the task
 * already uses, first; then the derived name; then DR order), or null when one must be added. A
 * subset named by the raw label (`v1.0`, stored where no webhook checks) is no subset istiod lets
 * a route name, so it is never reused.
 */
export function findVersionSubset(
  subsets: readonly Subset[],
  version: string,
  podLabels: Record<string, string> | null,
  known?: string,
): string | null {
  const selecting = subsets.filter((s) => selectsVersion(s, version, podLabels) && subsetNameProblem(s.name) === null);
  const preferred = [known, dnsLabelOf(version), version];
  for (const name of preferred) if (name !== undefined && selecting.some((s) => s.name === name)) return name;
  return selecting[0]?.name ?? null;
}

/**
 * The name for a new subset of `version`: its DNS label, suffixed -2, -3... while a subset of
 * the DestinationRule already holds the name (one selecting the version would have been reused).
 */
export function newSubsetName(version: string, subsets: readonly Subset[]): string {
  const base = dnsLabelOf(version);
  const taken = new Set(subsets.map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const name = `${base.slice(0, MAX_DNS_LABEL - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(name)) return name;
  }
}

/** The subset a version routes to: the one the task resolved, else the name it would be given. */
export function subsetOf(subsets: Readonly<Record<string, string>>, version: string): string {
  return subsets[version] ?? dnsLabelOf(version);
}

/** The version a subset selects, from the task's map first, then the DR's labels; the subset name when neither says. */
export function versionOfSubset(
  subset: string,
  known: Readonly<Record<string, string>>,
  drSubsets: readonly Subset[],
): string {
  const mapped = Object.entries(known).find(([, name]) => name === subset)?.[0];
  if (mapped !== undefined) return mapped;
  return drSubsets.find((s) => s.name === subset)?.labels?.[VERSION_LABEL] ?? subset;
}

/**
 * DR subsets that select `version`: the task's mapping and every subset labelled version=<label>,
 * whatever their names (a subset name is derived from the label, never the label itself).
 */
export function subsetsOfVersion(
  version: string,
  subsets: Readonly<Record<string, string>>,
  dr: DestinationRule | null,
): string[] {
  const names = new Set<string>([subsetOf(subsets, version)]);
  for (const s of dr?.spec.subsets ?? []) if (s.labels?.[VERSION_LABEL] === version) names.add(s.name);
  return [...names];
}
