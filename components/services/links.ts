import type { Strategy } from "@/lib/release/types";

/** Link into the create wizard with what is already known filled in. */
export function newReleaseHref(namespace?: string, service?: string, strategy?: Strategy): string {
  const params = new URLSearchParams();
  if (namespace) params.set("namespace", namespace);
  if (service) params.set("service", service);
  if (strategy) params.set("strategy", strategy);
  const qs = params.toString();
  return qs ? `/releases/new?${qs}` : "/releases/new";
}
