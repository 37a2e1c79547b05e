import "server-only";
import { db } from "@/lib/db/client";
import { addEvent, listEvents, parseJson, type TaskRow } from "@/lib/db/tasks-repo";
import { activeOperationOf } from "@/lib/db/operations-repo";
import { insertAnalysisRun, lastAnalysisRuns, listAnalysisRuns } from "@/lib/db/analysis-repo";
import { systemActor } from "@/lib/auth/identity";
import { english, type Localized } from "@/lib/i18n/localized";
import { PrometheusClient } from "@/lib/metrics/prometheus";
import { measureRun } from "@/lib/metrics/analysis-queries";
import {
  analysedStep,
  decide,
  evaluateRun,
  windowSecondsOf,
  type JudgedRun,
  type MetricResult,
  type Verdict,
} from "@/lib/release/analysis";
import { durationSeconds } from "@/lib/release/analysis-schema";
import type { TaskSpec } from "@/lib/release/spec";
import type { TaskStatus } from "@/lib/release/status";
import { notifyAnalysisFailed } from "@/lib/notify/outbox";
import { runAction } from "./commands";

// The metric analysis runner: on the leader only (lib/tasks/reconciler.ts calls it on its tick),
// every `interval` for each active task whose spec has an analysis that is running now (in the
// background, or during an analysis step), it measures the new version over the last window,
// records the run, and acts on what the runs since the analysis (re)started decide. Everything
// it needs is in the database (the runs, the task's events), so a restarted or new leader
// resumes where the last one stopped.

export const ANALYSIS_ACTOR = "system:analysis";
/** States in which a task's analysis runs: a paused task or one awaiting a confirmation is still watched. */
const ANALYSED_STATES = ["progressing", "awaiting-confirmation", "paused"];
/** Actions after which the analysis starts counting afresh. */
const RESTARTS = new Set(["create", "resume", "retry"]);
export interface AnalysisTickStats {
  runs: number;
  queries: number;
}

let prometheus: PrometheusClient | undefined;
const totals: AnalysisTickStats = { runs: 0, queries: 0 };

/** Runs and Prometheus queries this process has made (the cost benchmark reads them from the log). */
export function analysisTotals(): AnalysisTickStats {
  return { ...totals };
}

/** One pass over the analysed tasks: every task whose run is due is measured and judged. */
export async function analyseDue(now = new Date()): Promise<AnalysisTickStats> {
  const rows = await db().releaseTask.findMany({ where: { state: { in: ANALYSED_STATES } } });
  const analysed = rows.filter((r) => r.spec.includes('"analysis"'));
  const last = await lastAnalysisRuns(
    db(),
    analysed.map((r) => r.id),
  );
  prometheus ??= new PrometheusClient();
  const stats: AnalysisTickStats = { runs: 0, queries: 0 };
  for (const row of analysed) {
    try {
      const queries = await analyseTask(row, last.get(row.id) ?? null, now, prometheus);
      if (queries > 0) {
        stats.runs += 1;
        stats.queries += queries;
      }
    } catch (err) {
      console.warn(`[analysis] ${row.namespace}/${row.name}: ${(err as Error).message}`);
    }
  }
  totals.runs += stats.runs;
  totals.queries += stats.queries;
  return stats;
}

/** When the current analysis started: the task's creation, or its last resume or retry. */
async function analysisEpoch(row: TaskRow): Promise<Date> {
  const events = await listEvents(db(), row.id);
  const restarts = events.filter((e) => e.result === "ok" && RESTARTS.has(e.action));
  return restarts.at(-1)?.at ?? row.createdAt;
}

/** Measures, records and judges one task when its run is due; the number of queries made (0: not due). */
async function analyseTask(row: TaskRow, lastRun: Date | null, now: Date, prom: PrometheusClient): Promise<number> {
  const spec = parseJson<TaskSpec>(row.spec);
  const status = parseJson<TaskStatus>(row.status);
  const analysis = spec?.analysis;
  if (!spec || !status || !analysis) return 0;
  const step = analysedStep(analysis, status);
  if (step === undefined) return 0;
  const intervalMs = durationSeconds(analysis.interval) * 1000;
  if (lastRun && now.getTime() - lastRun.getTime() < intervalMs) return 0;
  const epoch = await analysisEpoch(row);
  const since = lastRun && lastRun > epoch ? lastRun : epoch;
  if (now.getTime() - since.getTime() < intervalMs) return 0;
  // A change in flight (the new version's pods still starting, a rollback landing) is not measured.
  if (await activeOperationOf(db(), row.id)) return 0;
  const windowSeconds = windowSecondsOf(analysis);
  const target = {
    namespace: row.namespace,
    service: row.service,
    version: row.newVersion,
    baseVersion: row.baseVersion,
  };
  const measured = await measureRun(prom, target, windowSeconds, analysis.metrics, Math.floor(now.getTime() / 1000));
  const run = evaluateRun(analysis.metrics, measured.measurements, {
    minRequests: analysis.minRequests,
    windowSeconds,
    version: row.newVersion,
  });
  await insertAnalysisRun(db(), {
    taskId: row.id,
    at: now,
    step,
    verdict: run.verdict,
    metrics: run.metrics,
    windowSeconds,
  });
  await act(row, spec, await judgedSince(row.id, epoch));
  return measured.queries;
}

async function judgedSince(taskId: string, epoch: Date): Promise<JudgedRun[]> {
  const rows = await listAnalysisRuns(db(), taskId, epoch);
  return rows.map((r) => ({
    verdict: r.verdict as Verdict,
    metrics: parseJson<MetricResult[]>(r.metrics) ?? [],
  }));
}

/** What the runs decide, done: a rollback or a pause through the normal action path, as system:analysis. */
async function act(row: TaskRow, spec: TaskSpec, runs: JudgedRun[]): Promise<void> {
  const analysis = spec.analysis!;
  const decision = decide(analysis, runs);
  if (decision.kind === "continue") return;
  const onFailure = spec.onFailure ?? "rollback";
  const action = decision.kind === "failed" && onFailure === "rollback" ? "rollback" : "pause";
  // A task already paused stays paused; only a rollback still has something to do then.
  if (action === "pause" && row.state === "paused") return;
  const cause = decision.kind === "failed" ? decision.cause : undefined;
  await recordDecision(row, decision.reason, cause, decision.kind === "failed" ? onFailure : null);
  await runAction(row.id, { action }, systemActor(ANALYSIS_ACTOR));
}

/** The decision in the task's history (with its reason in the reader's language), announced when it is a failure. */
async function recordDecision(
  row: TaskRow,
  reason: Localized,
  cause: Localized | undefined,
  onFailure: string | null,
): Promise<void> {
  await db().$transaction(async (tx) => {
    const event = await addEvent(tx as never, {
      taskId: row.id,
      actor: ANALYSIS_ACTOR,
      action: "analysis",
      result: "error",
      error: english(reason),
      errorText: reason,
      ...(cause ? { note: english(cause) } : {}),
    });
    if (onFailure)
      await notifyAnalysisFailed(tx as never, row, event, {
        reason: english(reason),
        cause: cause ? english(cause) : "",
        onFailure,
      });
  });
}
