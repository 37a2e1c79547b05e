import "server-only";
import type { Identity } from "@/lib/auth/identity";
import { db } from "@/lib/db/client";
import { findTask, parseJson } from "@/lib/db/tasks-repo";
import { listAnalysisRuns } from "@/lib/db/analysis-repo";
import { localized } from "@/lib/i18n/localized";
import type { TaskSpec } from "@/lib/release/spec";
import type { AnalysisResponse, AnalysisRunView } from "./analysis-views";
import { NotFound } from "./errors";
import { requireReadable } from "./visibility";

// A task's metric analysis as recorded: every run, each metric's measurement beside its
// threshold and the verdict in words, and the settings it ran with.

export async function taskAnalysis(id: string, reader: Identity): Promise<AnalysisResponse> {
  const task = await findTask(db(), id);
  if (!task) throw new NotFound(localized("err.task.notFound", { id: id.slice(0, 80) }));
  await requireReadable(reader, task.namespace);
  const spec = parseJson<TaskSpec>(task.spec);
  const runs = await listAnalysisRuns(db(), task.id);
  const a = spec?.analysis;
  return {
    runs: runs.map(
      (r): AnalysisRunView => ({
        at: r.at.toISOString(),
        step: r.step,
        windowSeconds: r.windowSeconds,
        verdict: r.verdict as AnalysisRunView["verdict"],
        metrics: parseJson<AnalysisRunView["metrics"]>(r.metrics) ?? [],
      }),
    ),
    analysis: a
      ? {
          interval: a.interval,
          failureLimit: a.failureLimit,
          inconclusiveLimit: a.inconclusiveLimit,
          minRequests: a.minRequests,
          background: a.background,
          onFailure: spec?.onFailure ?? "rollback",
        }
      : null,
  };
}
