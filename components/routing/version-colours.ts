// One colour per version, assigned once per service and used by every bar, chart, table and
// legend of a page. PURE (table-tested beside this file).
//
// Roles, not positions, pick the colour: the base version is always blue and the new one
// always green, whatever other versions the service has, so "v2" cannot be green in one
// panel and orange in the next because the panels list different versions. Other versions
// take a palette by sorted name; traffic that is not a version of the service is grey and
// requests that never reached a version are red.
import { ANY_SUBSET } from "@/lib/release/routing";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import { compareVersions } from "./version-order";

export const BASE_COLOUR = "#2563eb"; // blue-600
export const NEW_COLOUR = "#16a34a"; // green-600
/** Other versions, by sorted name. No blue, green, grey or red: those mean base, new, other traffic, failures. */
export const OTHER_VERSION_PALETTE = [
  "#d97706",
  "#9333ea",
  "#0891b2",
  "#db2777",
  "#65a30d",
  "#4f46e5",
  "#a16207",
  "#0f766e",
] as const;
/** Traffic that is not one version: other hosts, "any subset", the task chart's folded other versions. */
export const OTHER_TRAFFIC_COLOUR = "#94a3b8"; // slate-400
/** Requests that failed at the callers before reaching any version. */
export const FAILED_COLOUR = "#dc2626"; // red-600

/** Key of the "failed before reaching a version" series in bars and legends. */
export const FAILED_BEFORE_VERSION = "__failedBeforeAnyVersion";

export interface VersionColours {
  base: string | null;
  next: string | null;
  /** The service's other versions, sorted: their palette index. */
  others: readonly string[];
}

/** The colours of one service's versions, given which is the base and which the new one. */
export function versionColours(input: {
  versions: readonly string[];
  base?: string | null;
  next?: string | null;
}): VersionColours {
  const base = input.base ?? null;
  const next = input.next ?? null;
  const others = [...new Set(input.versions)]
    .filter((v) => v !== base && v !== next && !isNotAVersion(v))
    .sort(compareVersions);
  return { base, next, others };
}

/**
 * A service without a release in progress: the version with the largest share of the default
 * route is the base (ties, or no weights at all: the first by name), every other version takes
 * the palette. With a release in progress, its base and new versions.
 */
export function serviceColours(
  versions: readonly string[],
  weights: Readonly<Record<string, number>>,
  active?: { base: string; next: string } | null,
): VersionColours {
  if (active) return versionColours({ versions, base: active.base, next: active.next });
  const serving = [...new Set([...versions, ...Object.keys(weights)])]
    .filter((v) => !isNotAVersion(v) && (weights[v] ?? 0) > 0)
    .sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || compareVersions(a, b));
  const byName = versions.filter((v) => !isNotAVersion(v)).sort(compareVersions);
  return versionColours({ versions, base: serving[0] ?? byName[0] ?? null });
}

function isNotAVersion(key: string): boolean {
  return key === ANY_SUBSET || key.includes("/") || key === OTHER_TRAFFIC || key === FAILED_BEFORE_VERSION;
}

/** The colour of a version (or of a special key) on this page. */
export function colourOf(c: VersionColours, key: string): string {
  if (key === FAILED_BEFORE_VERSION) return FAILED_COLOUR;
  if (key === c.base) return BASE_COLOUR;
  if (key === c.next) return NEW_COLOUR;
  const i = c.others.indexOf(key);
  return i < 0 ? OTHER_TRAFFIC_COLOUR : OTHER_VERSION_PALETTE[i % OTHER_VERSION_PALETTE.length]!;
}
