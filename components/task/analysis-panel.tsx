"use client";
import dynamic from "next/dynamic";
import type { AnalysisResponse, TaskDetail } from "@/lib/api/contracts";
import { isLiveTask, useTaskAnalysis } from "@/lib/queries/hooks";
import { useLocale, useT } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/messages/en";
import { formatDateTime } from "@/lib/i18n/format";
import { keyedText } from "@/lib/i18n/error-text";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { metricSeries, verdictCounts } from "./analysis-view";

const AnalysisChart = dynamic(() => import("./analysis-charts"), { ssr: false, loading: () => <LoadingBlock /> });

const VERDICT_TONE: Record<AnalysisResponse["runs"][number]["verdict"], string> = {
  pass: "bg-emerald-100 text-emerald-900",
  fail: "bg-red-100 text-red-900",
  inconclusive: "bg-slate-100 text-slate-700",
};
/** Newest runs listed under the charts (the charts show them all). */
const LISTED_RUNS = 8;

const UNIT: Record<string, string> = { "success-rate": "%", "latency-p99": " ms" };

/**
 * The task's metric analysis: per metric its measurements with the threshold drawn, then the
 * newest runs with each metric's verdict and the reason in words. Only for tasks with an analysis.
 */
export function AnalysisPanel({ task }: { task: TaskDetail }) {
  const t = useT();
  const locale = useLocale();
  const q = useTaskAnalysis(task.id, isLiveTask(task));
  if (!task.spec.analysis) return null;
  const metricTitle = (name: string) =>
    name === "success-rate" || name === "latency-p99" ? t(`analysis.metric.${name}` as MessageKey) : name;
  return (
    <section className="card p-5" aria-labelledby="analysis-heading" data-testid="analysis-panel">
      <h2 id="analysis-heading">{t("analysis.title")}</h2>
      {q.data?.analysis && <Settings a={q.data.analysis} />}
      {q.isPending && <LoadingBlock />}
      {q.isError && <QueryError error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && q.data.runs.length === 0 && (
        <p className="mt-3 text-sm text-slate-600" data-testid="analysis-no-runs">
          {t("analysis.noRuns")}
        </p>
      )}
      {q.data && q.data.runs.length > 0 && (
        <>
          <Counts runs={q.data.runs} />
          <div className="mt-3 grid grid-cols-2 gap-4">
            {metricSeries(q.data.runs).map((s) => (
              <AnalysisChart
                key={s.name}
                series={s}
                title={metricTitle(s.name)}
                unit={UNIT[s.name] ?? ""}
                thresholdLabel={t("analysis.threshold")}
                locale={locale}
              />
            ))}
          </div>
          <ol className="mt-4 space-y-2" aria-label={t("analysis.runs")} data-testid="analysis-runs">
            {[...q.data.runs]
              .reverse()
              .slice(0, LISTED_RUNS)
              .map((run) => (
                <li key={run.at} className="text-sm" data-testid="analysis-run" data-verdict={run.verdict}>
                  <span className={`mr-2 rounded px-1.5 py-0.5 text-xs ${VERDICT_TONE[run.verdict]}`}>
                    {t(`analysis.verdict.${run.verdict}`)}
                  </span>
                  <time className="text-xs text-slate-500" dateTime={run.at}>
                    {formatDateTime(run.at, locale)}
                  </time>
                  <span className="ml-2 text-xs text-slate-500">
                    {run.step === null ? t("analysis.background") : t("analysis.step", { index: run.step + 1 })}
                  </span>
                  <ul className="mt-0.5 ml-4 list-disc text-xs text-slate-700">
                    {run.metrics.map((m) => (
                      <li key={m.name} data-metric={m.name} data-verdict={m.verdict}>
                        {keyedText(m.reason, t) ?? m.name}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
          </ol>
        </>
      )}
    </section>
  );
}

function Settings({ a }: { a: NonNullable<AnalysisResponse["analysis"]> }) {
  const t = useT();
  return (
    <p className="mt-1 text-xs text-slate-500" data-testid="analysis-settings">
      {t("analysis.settings", {
        interval: a.interval,
        failureLimit: a.failureLimit,
        onFailure: t(`analysis.onFailure.${a.onFailure}`),
        inconclusiveLimit: a.inconclusiveLimit,
        minRequests: a.minRequests,
      })}
    </p>
  );
}

function Counts({ runs }: { runs: AnalysisResponse["runs"] }) {
  const t = useT();
  const c = verdictCounts(runs);
  return (
    <p className="mt-2 text-sm" data-testid="analysis-counts">
      {t("analysis.counts", { pass: c.pass, fail: c.fail, inconclusive: c.inconclusive })}
    </p>
  );
}
