// What a new task will do, as data (the review step words it in the reader's language) and as
// the English `summary` the API and the operation journal keep. PURE.
import { orderedVersions } from "./mesh";
import type { TaskSpec } from "./spec";
import type { TaskStatus } from "./status";

/** Weights in version order; `replicas` only when traffic follows pod counts. */
export interface CreateSummary {
  strategy: TaskSpec["strategy"];
  service: string;
  baseVersion: string;
  newVersion: string;
  image: string;
  newReplicas: number;
  weights: { version: string; weight: number }[] | null;
  replicas: { newDeployment: string; newReplicas: number; baseDeployment: string; baseTarget: number | null } | null;
  mirrorPercent: number | null;
  ownedRoutes: string[];
  entryRoutes: string[];
  batch: { total: number; plan: number[] } | null;
}

export function createSummaryOf(
  spec: TaskSpec,
  status: TaskStatus,
  newReplicas: number,
  baseTarget: number | null,
): CreateSummary {
  // A router (Istio or the Gateway API) carries the weights; without one the replicas are the split.
  const istio = status.routing !== "replicas";
  return {
    strategy: spec.strategy,
    service: spec.service,
    baseVersion: status.baseVersion,
    newVersion: status.newVersion,
    image: spec.newVersion.image,
    newReplicas,
    weights: istio
      ? orderedVersions(status, status.weights).map((version) => ({ version, weight: status.weights[version] ?? 0 }))
      : null,
    replicas: istio
      ? null
      : { newDeployment: status.newDeployment, newReplicas, baseDeployment: status.baseDeployment, baseTarget },
    mirrorPercent: status.mirrorPercent,
    ownedRoutes: [...status.ownedRoutes],
    entryRoutes: (status.entryRoutes ?? []).map((e) => e.id),
    batch: status.batch ? { total: status.batch.plan.length, plan: [...status.batch.plan] } : null,
  };
}

/** The summary in English, as the API's `summary` and the operation journal keep it. */
export function createSummaryText(s: CreateSummary): string {
  const head = `${s.strategy} ${s.service}: ${s.baseVersion} -> ${s.newVersion} (${s.image}, ${s.newReplicas} replica${s.newReplicas === 1 ? "" : "s"})`;
  const parts = [head];
  if (s.weights) parts.push(`traffic ${s.weights.map((w) => `${w.version} ${w.weight}%`).join(" / ")}`);
  if (s.replicas)
    parts.push(
      `traffic follows replicas (${s.replicas.newDeployment} ${s.replicas.newReplicas}, ${s.replicas.baseDeployment} ${s.replicas.baseTarget ?? "unchanged"})`,
    );
  if (s.mirrorPercent !== null) parts.push(`mirroring ${s.mirrorPercent}% to ${s.newVersion}`);
  if (s.ownedRoutes.length > 0) parts.push(`routes ${s.ownedRoutes.join(", ")}`);
  const entries = s.entryRoutes;
  if (entries.length > 0)
    parts.push(
      `ingress gateway route${entries.length === 1 ? "" : "s"} ${entries.join(", ")} follow${entries.length === 1 ? "s" : ""} these weights`,
    );
  if (s.batch) parts.push(`group 1 of ${s.batch.total} (${s.batch.plan.join("/")})`);
  return parts.join("; ");
}
