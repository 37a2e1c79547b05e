// PURE: one word per version for the dashboard, from what Prometheus and the cluster say.
// The rule that matters: a version with no Ready pods is "no-ready-pods", whatever its
// metrics. On a real mesh nothing reports a pod that does not exist (its share of requests
// fails at the callers as UH, counted "before any version"), so judging it by its own series
// would call it healthy, or idle, while users get 503s.
import type { SourceFailures } from "./source-failures";

export type VersionStatus = "serving" | "failing" | "no-ready-pods" | "no-traffic";

export interface PodCounts {
  ready: number;
  desired: number;
}

export interface VersionStatusInput {
  versions: readonly string[];
  /** Destination-reported requests per second now, per version (null = none). */
  rpsNow: Readonly<Record<string, number | null>>;
  failures: SourceFailures;
  /** Pods per version from the cluster; null when the cluster could not be read. */
  pods: Readonly<Record<string, PodCounts>> | null;
}

export function versionStatus(v: string, input: VersionStatusInput): VersionStatus {
  const pods = input.pods?.[v];
  if (pods && pods.ready === 0) return "no-ready-pods";
  if ((input.rpsNow[v] ?? 0) > 0) return "serving";
  if (input.failures.byVersion[v]?.current) return "failing";
  return "no-traffic";
}

export function versionStatuses(input: VersionStatusInput): Record<string, VersionStatus> {
  return Object.fromEntries(input.versions.map((v) => [v, versionStatus(v, input)]));
}
