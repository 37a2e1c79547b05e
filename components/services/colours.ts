// The colours of one service's versions on the namespace and service pages. PURE.
import type { ServiceOverview } from "@/lib/api/contracts";
import { serviceColours, type VersionColours } from "@/components/routing/version-colours";

/** While a release runs, its base and new versions take the task page's colours. */
export function coloursOfService(s: Pick<ServiceOverview, "versions" | "routing" | "activeTask">): VersionColours {
  const active = s.activeTask ? { base: s.activeTask.baseVersion, next: s.activeTask.newVersion } : null;
  return serviceColours(
    s.versions.map((v) => v.version),
    s.routing.defaultRoute?.weights ?? {},
    active,
  );
}
