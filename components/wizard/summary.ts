// The review step's summary of what a new release does, worded from the server's data
// (CreateSummary) in the reader's language. PURE.
import type { CreateSummary } from "@/lib/api/contracts";
import type { Translate } from "@/lib/i18n/format";

/** One line per fact: versions and image, the traffic, then mirroring, routes and batches when there are any. */
export function summaryLines(s: CreateSummary, t: Translate): string[] {
  const lines = [
    t("summary.head", {
      strategy: t(`strategy.${s.strategy}.name`),
      service: s.service,
      base: s.baseVersion,
      next: s.newVersion,
      image: s.image,
      replicas: s.newReplicas,
    }),
  ];
  if (s.weights)
    lines.push(t("summary.traffic", { weights: s.weights.map((w) => `${w.version} ${w.weight}%`).join(" / ") }));
  if (s.replicas) {
    const baseTarget = s.replicas.baseTarget ?? t("summary.unchanged");
    lines.push(
      t("summary.trafficByReplicas", {
        newDeployment: s.replicas.newDeployment,
        newReplicas: s.replicas.newReplicas,
        baseDeployment: s.replicas.baseDeployment,
        baseTarget,
      }),
    );
  }
  if (s.mirrorPercent !== null) lines.push(t("summary.mirroring", { percent: s.mirrorPercent, version: s.newVersion }));
  if (s.ownedRoutes.length > 0) lines.push(t("summary.routes", { routes: s.ownedRoutes.join(", ") }));
  if (s.entryRoutes.length > 0) lines.push(t("summary.entryRoutes", { routes: s.entryRoutes.join(", ") }));
  if (s.batch) lines.push(t("summary.batch", { total: s.batch.total, plan: s.batch.plan.join("/") }));
  return lines;
}
