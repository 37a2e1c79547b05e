// Make before break: how many pods of a version are Ready, the waits a plan inserts, and the
// refusal to send traffic to a version with none. PURE.
import { planError } from "./errors";
import type { WaitOp } from "./ops";
import { deploymentVersion, templateLabels } from "./routing";
import { DEFAULT_DRAIN_SECONDS, DEFAULT_READY_TIMEOUT_SECONDS, type TaskSpec } from "./spec";
import type { ServiceClusterState } from "./types";

export interface Rollout {
  readyTimeoutSeconds: number;
  drainSeconds: number;
}

/** The task's timings with Argo Rollouts' defaults (progressDeadlineSeconds 600, scaleDownDelaySeconds 30). */
export function rolloutOf(spec: Pick<TaskSpec, "rollout">): Rollout {
  return {
    readyTimeoutSeconds: spec.rollout?.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS,
    drainSeconds: spec.rollout?.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
  };
}

/** Ready and desired pods of `version` of `service`: the sum over its Deployments (status.readyReplicas). */
export function podsOf(
  cluster: Pick<ServiceClusterState, "deployments">,
  service: string,
  version: string,
): { ready: number; desired: number } {
  let ready = 0;
  let desired = 0;
  for (const d of cluster.deployments) {
    if (templateLabels(d).app !== service || deploymentVersion(d) !== version) continue;
    ready += d.status?.readyReplicas ?? 0;
    // The API server defaults an unset replicas to 1.
    desired += d.spec.replicas ?? 1;
  }
  return { ready, desired };
}

/**
 * Refuses giving more traffic to versions with no Ready pods: on a real mesh that share of
 * requests would get 503 "no healthy upstream". Lowering a share is always allowed.
 */
export function refuseUnready(
  action: string,
  weights: Record<string, number>,
  previous: Record<string, number>,
  cluster: Pick<ServiceClusterState, "deployments">,
  service: string,
): void {
  for (const [version, w] of Object.entries(weights)) {
    if (w <= 0 || w <= (previous[version] ?? 0)) continue;
    const { ready, desired } = podsOf(cluster, service, version);
    if (ready === 0)
      throw planError(
        "conflict",
        "err.ready.noPods",
        { action, actionKey: `err.word.action.${action}`, version, ready, desired },
        { version, ready, desired },
      );
  }
}

export type WaitReadyOp = Extract<WaitOp, { op: "waitReady" }>;

export function waitReadyOp(
  namespace: string,
  deployment: string,
  version: string,
  replicas: number,
  rollout: Rollout,
): WaitReadyOp {
  return { op: "waitReady", namespace, deployment, version, replicas, timeoutSeconds: rollout.readyTimeoutSeconds };
}

/** The drain after routes stop using `version`; none when the task's drainSeconds is 0. */
export function drainOps(version: string, rollout: Rollout): WaitOp[] {
  return rollout.drainSeconds > 0 ? [{ op: "drain", version, seconds: rollout.drainSeconds }] : [];
}
