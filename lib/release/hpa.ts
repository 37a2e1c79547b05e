// HorizontalPodAutoscalers of the base: strategies that set replicas by hand would fight one,
// weight-based ones give the new Deployment its own copy. PURE.
import { fieldErrorOf } from "./errors";
import { clone } from "./json";
import { strategyOf } from "./strategies";
import type { WriteOp } from "./ops";
import {
  LABEL_MANAGED_BY,
  LABEL_TASK,
  MANAGED_BY,
  type HorizontalPodAutoscaler,
  type ServiceClusterState,
  type Strategy,
} from "./types";

/** The HPA scaling Deployment `name` (scaleTargetRef kind Deployment), if any. */
export function hpaOf(cluster: Pick<ServiceClusterState, "hpas">, name: string): HorizontalPodAutoscaler | null {
  return (
    (cluster.hpas ?? []).find(
      (h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === name,
    ) ?? null
  );
}

/** Strategies that scale the base themselves (batch, replica-canary): an HPA would undo every step. */
export function refuseHpaFight(strategy: Strategy, base: string, hpa: HorizontalPodAutoscaler | null): void {
  if (!hpa || !strategyOf(strategy).capabilities.scalesBase) return;
  const params = { hpa: hpa.metadata.name, deployment: base, strategy, strategyKey: `err.word.strategy.${strategy}` };
  throw fieldErrorOf("strategy", "err.hpa.fight", params, "conflict", { hpa: hpa.metadata.name });
}

/** The new Deployment's own HPA: the base's, retargeted, labelled like what the task creates. */
export function hpaCopy(base: HorizontalPodAutoscaler, deployment: string, task: string): HorizontalPodAutoscaler {
  const metadata: HorizontalPodAutoscaler["metadata"] = {
    name: deployment,
    labels: { ...(base.metadata.labels ?? {}), [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TASK]: task },
  };
  if (base.metadata.namespace !== undefined) metadata.namespace = base.metadata.namespace;
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata,
    spec: { ...clone(base.spec), scaleTargetRef: { ...clone(base.spec.scaleTargetRef), name: deployment } },
  };
}

/** Delete of the live HPA called `name`, when it still exists. */
export function hpaDelete(cluster: Pick<ServiceClusterState, "hpas">, name: string | null | undefined): WriteOp[] {
  const live = name ? (cluster.hpas ?? []).find((h) => h.metadata.name === name) : undefined;
  return live ? [{ op: "delete", object: live }] : [];
}
