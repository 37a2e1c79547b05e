import "server-only";
import { strategiesWith } from "@/lib/release/strategies";
import { consoleClients } from "@/lib/k8s/client";
import { readObject } from "@/lib/k8s/resources";
import { db } from "@/lib/db/client";
import { parseJson } from "@/lib/db/tasks-repo";
import { activeOperationOf } from "@/lib/db/operations-repo";
import type { TaskSpec } from "@/lib/release/spec";
import type { TaskStatus } from "@/lib/release/status";
import type { Deployment } from "@/lib/release/types";
import { systemActor } from "@/lib/auth/identity";
import { runAction } from "./commands";

// Batch releases created with pauseBetweenGroups=false confirm themselves: once the current
// group's pods are Ready, the next group starts (EDAS' automatic mode). The actor in history
// is "system:auto-advance" so it is clear no person pressed the button.
export const AUTO_ACTOR = "system:auto-advance";

/** The replicas the new version must have Ready before the next group may start. */
export function groupTarget(status: Pick<TaskStatus, "batch">): number {
  const b = status.batch;
  if (!b) return 0;
  return b.plan.slice(0, b.current).reduce((a, n) => a + n, 0);
}

export async function autoAdvanceOnce(): Promise<string[]> {
  // Only strategies that move group by group wait for a confirm the console may give itself.
  const grouped = strategiesWith((caps) => caps.hasBatches);
  const rows = await db().releaseTask.findMany({
    where: { strategy: { in: grouped }, state: "awaiting-confirmation" },
  });
  // Runs inside the reconciler, on the leader only (lib/tasks/reconciler.ts); a task whose last
  // confirm is still in flight (waiting for its group's pods) is skipped until it settles.
  const advanced: string[] = [];
  for (const row of rows) {
    const spec = parseJson<TaskSpec>(row.spec);
    const status = parseJson<TaskStatus>(row.status);
    // A batch with steps moves by them (lib/tasks/steps-runner.ts): its groups are steps.
    if (!spec || !status || spec.batch?.pauseBetweenGroups !== false || spec.steps) continue;
    if (await activeOperationOf(db(), row.id)) continue;
    const dep = (await readObject(
      consoleClients(),
      "Deployment",
      row.namespace,
      status.newDeployment,
    )) as Deployment | null;
    if ((dep?.status?.readyReplicas ?? 0) < groupTarget(status)) continue;
    try {
      await runAction(row.id, { action: "confirm" }, systemActor(AUTO_ACTOR));
      advanced.push(row.id);
    } catch (err) {
      console.warn(`[auto-advance] ${row.namespace}/${row.name}: ${(err as Error).message}`);
    }
  }
  return advanced;
}
