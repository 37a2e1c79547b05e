import "server-only";
import type { TaskRow } from "@/lib/db/tasks-repo";

// The hook between the step runner and metric analysis: an `analysis` step whose time is over
// ends only when the analysis says so. "pass": the runner promotes to the next step; "wait": the
// step stays (no verdict yet, e.g. an inconclusive run); "fail": the analysis acts itself
// (onFailure: rollback or pause), the runner does nothing.
// Until metric analysis exists (issue 13, its own branch replaces this file) every step passes.

export type AnalysisGate = "pass" | "wait" | "fail";

export async function analysisBlocksStep(_task: TaskRow): Promise<AnalysisGate> {
  return "pass";
}
