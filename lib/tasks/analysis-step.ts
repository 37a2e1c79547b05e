import "server-only";
import { db } from "@/lib/db/client";
import { parseJson, type TaskRow } from "@/lib/db/tasks-repo";
import { listAnalysisRuns } from "@/lib/db/analysis-repo";
import { stepGate, type JudgedRun, type MetricResult, type StepGate, type Verdict } from "@/lib/release/analysis";
import type { TaskSpec } from "@/lib/release/spec";
import type { TaskStatus } from "@/lib/release/status";

// The verdict of a task's current analysis step (the step runner asks it through
// lib/tasks/analysis-gate.ts once the step's time is over): the runs recorded during the step.

interface StepStateLike {
  index: number;
  kind: string;
  startedAt: string;
}

export async function analysisStepGate(task: TaskRow): Promise<StepGate> {
  const spec = parseJson<TaskSpec>(task.spec);
  const step = (parseJson<TaskStatus>(task.status) as (TaskStatus & { stepState?: StepStateLike }) | null)?.stepState;
  // A plan with an analysis step but no analysis section has nothing to measure: it goes on.
  if (!spec?.analysis || step?.kind !== "analysis") return "pass";
  const since = new Date(Date.parse(step.startedAt) - 1);
  const runs: JudgedRun[] = (await listAnalysisRuns(db(), task.id, since))
    .filter((r) => r.step === step.index)
    .map((r) => ({ verdict: r.verdict as Verdict, metrics: parseJson<MetricResult[]>(r.metrics) ?? [] }));
  return stepGate(spec.analysis, runs);
}
