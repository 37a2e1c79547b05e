import "server-only";
import type { Db } from "./client";
import type { AnalysisRun } from "./generated/sqlite/client";

// Storage of analysis runs: every measurement of a task's analysis, kept with the task (deleted
// with it). The leader's runner (lib/tasks/analysis-runner.ts) writes them; the API reads them.

export type AnalysisRunRow = AnalysisRun;

export interface NewAnalysisRun {
  taskId: string;
  at: Date;
  step: number | null;
  verdict: string;
  metrics: unknown;
  windowSeconds: number;
}

export async function insertAnalysisRun(db: Db, r: NewAnalysisRun): Promise<AnalysisRunRow> {
  return db.analysisRun.create({ data: { ...r, metrics: JSON.stringify(r.metrics) } });
}

/** A task's runs, oldest first (`since`: only those after it). */
export async function listAnalysisRuns(db: Db, taskId: string, since?: Date): Promise<AnalysisRunRow[]> {
  return db.analysisRun.findMany({
    where: { taskId, ...(since ? { at: { gt: since } } : {}) },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
}

/** The newest run of each task (when each is next due). */
export async function lastAnalysisRuns(db: Db, taskIds: string[]): Promise<Map<string, Date>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.analysisRun.groupBy({ by: ["taskId"], where: { taskId: { in: taskIds } }, _max: { at: true } });
  return new Map(rows.flatMap((r) => (r._max.at ? [[r.taskId, r._max.at] as const] : [])));
}
