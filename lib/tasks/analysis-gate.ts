import "server-only";
import type { TaskRow } from "@/lib/db/tasks-repo";
import type { StepGate } from "@/lib/release/analysis";
import { analysisStepGate } from "./analysis-step";

// The hook between the step runner and metric analysis: an `analysis` step whose time is over
// ends only when the analysis says so. "pass": the runner promotes to the next step; "wait": the
// step stays (no verdict yet, e.g. an inconclusive run); "fail": the analysis acts itself
// (onFailure: rollback or pause), the runner does nothing. The verdict is the runs recorded
// during the step (lib/tasks/analysis-step.ts).

export type AnalysisGate = StepGate;

export function analysisBlocksStep(task: TaskRow): Promise<AnalysisGate> {
  return analysisStepGate(task);
}
