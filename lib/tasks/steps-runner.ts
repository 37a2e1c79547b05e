import "server-only";
import { db } from "@/lib/db/client";
import { parseJson } from "@/lib/db/tasks-repo";
import { activeOperationOf } from "@/lib/db/operations-repo";
import type { TaskSpec } from "@/lib/release/spec";
import type { TaskStatus } from "@/lib/release/status";
import { currentIndex, dueStep, stepPlan } from "@/lib/release/steps";
import type { TaskState } from "@/lib/release/types";
import { systemActor } from "@/lib/auth/identity";
import { analysisBlocksStep } from "./analysis-gate";
import { runAction } from "./commands";

// The step runner: on the leader only (lib/tasks/reconciler.ts calls it every second), every
// task whose current step is due is promoted into the next one, through the same journalled
// action path a person's promote takes (history, before/after, notifications), as the actor
// "system:steps". Nothing is kept in memory: where a task is lives in its status (stepState),
// so a console that starts after a restart carries on where the last one stopped.
export const STEPS_ACTOR = "system:steps";

/** The states in which steps move (a rolled-back, paused or finished task's steps stand still). */
const STEPPING: TaskState[] = ["progressing", "awaiting-confirmation"];

export async function advanceStepsOnce(now: Date = new Date()): Promise<string[]> {
  const rows = await db().releaseTask.findMany({
    where: { state: { in: STEPPING }, spec: { contains: '"steps"' } },
  });
  const promoted: string[] = [];
  for (const row of rows) {
    const spec = parseJson<TaskSpec>(row.spec);
    const status = parseJson<TaskStatus>(row.status);
    if (!spec?.steps || !status) continue;
    const due = dueStep(
      stepPlan(spec, status.batch?.plan.length ?? null),
      status.stepState,
      row.state as TaskState,
      now,
    );
    if (!due) continue;
    // A step's own change (a group's pods becoming Ready) is still in flight: wait for it.
    if (await activeOperationOf(db(), row.id)) continue;
    if (due === "analysis" && (await analysisBlocksStep(row)) !== "pass") continue;
    try {
      // fromStep: a person who promoted meanwhile is not promoted past once more.
      const fromStep = currentIndex(status.stepState);
      await runAction(row.id, { action: "promote", fromStep }, systemActor(STEPS_ACTOR));
      promoted.push(row.id);
    } catch (err) {
      console.warn(`[steps] ${row.namespace}/${row.name}: ${(err as Error).message}`);
    }
  }
  return promoted;
}
