import type { HealthResponse } from "@/lib/api/contracts";

export type HealthLevel = "ok" | "degraded" | "down" | "unknown";

/** Kubernetes down is "down" (nothing can be released); a missing DB or Prometheus is "degraded". */
export function healthLevel(h: HealthResponse | undefined, failed: boolean): HealthLevel {
  if (failed) return "down";
  if (!h) return "unknown";
  if (!h.kubernetes.ok) return "down";
  if (!h.database.ok || !h.prometheus.ok) return "degraded";
  return "ok";
}
