"use client";
import dynamic from "next/dynamic";
import { useId, useState } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { MetricsResponse } from "@/lib/api/contracts";
import { useServiceMetrics, useTaskMetrics } from "@/lib/queries/hooks";
import { isApiError, type ApiError } from "@/lib/queries/fetcher";
import { useLocale, useT } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/config";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { WeightBar } from "@/components/routing/weight-bar";
import { RANGES, metricVersions, observedShares, windowLabel, type MetricsRange } from "./series";
import type { ChartSpec } from "./charts";

const MetricsCharts = dynamic(() => import("./charts"), { ssr: false, loading: () => <LoadingBlock /> });

type Source = { kind: "task"; id: string; live: boolean } | { kind: "service"; namespace: string; name: string };

/**
 * Observed traffic (Prometheus, Istio standard metrics) next to the configured weights: what
 * users actually get, which the routing alone cannot show.
 */
export function MetricsPanel({ source, configured }: { source: Source; configured: Record<string, number> }) {
  const [range, setRange] = useState<MetricsRange>("15m");
  return source.kind === "task" ? (
    <TaskMetrics id={source.id} live={source.live} range={range} setRange={setRange} configured={configured} />
  ) : (
    <ServiceMetrics namespace={source.namespace} name={source.name} range={range} setRange={setRange} configured={configured} />
  );
}

interface RangeProps {
  range: MetricsRange;
  setRange: (r: MetricsRange) => void;
  configured: Record<string, number>;
}

function TaskMetrics({ id, live, ...rest }: RangeProps & { id: string; live: boolean }) {
  return <MetricsView q={useTaskMetrics(id, rest.range, live)} {...rest} />;
}

function ServiceMetrics({ namespace, name, ...rest }: RangeProps & { namespace: string; name: string }) {
  return <MetricsView q={useServiceMetrics(namespace, name, rest.range)} {...rest} />;
}

function MetricsView({ q, range, setRange, configured }: RangeProps & { q: UseQueryResult<MetricsResponse, ApiError> }) {
  const t = useT();
  const locale = useLocale();
  const rangeId = useId();
  const charts: ChartSpec[] = [
    { metric: "share", title: t("metrics.share"), unit: "%", percent: true },
    { metric: "rps", title: t("metrics.rps"), unit: "" },
    { metric: "successRate", title: t("metrics.successRate"), unit: "%", percent: true },
    { metric: "p99Ms", title: t("metrics.p99"), unit: " ms" },
  ];
  const unavailable = isApiError(q.error) && q.error.code === "metrics_unavailable";
  return (
    <div className="space-y-4" data-testid="metrics-panel">
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-slate-600">{t("metrics.intro")}</p>
        <div className="flex items-center gap-2">
          <label htmlFor={rangeId} className="text-sm text-slate-600">
            {t("metrics.range")}
          </label>
          <select id={rangeId} className="input w-24" value={range} onChange={(e) => setRange(e.target.value as MetricsRange)} data-testid="metrics-range">
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
      </div>
      {q.isPending && <LoadingBlock />}
      {q.isError &&
        (unavailable ? (
          <p role="status" className="rounded-md border border-slate-300 bg-slate-50 px-4 py-3 text-sm text-slate-700" data-testid="metrics-unavailable">
            {t("metrics.unavailable", { message: q.error.message })}
          </p>
        ) : (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ))}
      {q.data && <MetricsBody metrics={q.data} configured={configured} charts={charts} locale={locale} />}
    </div>
  );
}

function MetricsBody({ metrics, configured, charts, locale }: { metrics: MetricsResponse; configured: Record<string, number>; charts: ChartSpec[]; locale: Locale }) {
  const t = useT();
  const versions = [...new Set([...metricVersions(metrics), ...Object.keys(configured)])];
  const observed = observedShares(metrics);
  const s = metrics.summary;
  return (
    <>
      <div className="grid grid-cols-2 gap-6">
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t("task.configured")}</h3>
          <WeightBar weights={configured} versions={versions} t={t} testId="metrics-configured" />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t("metrics.observed", { window: windowLabel(s.sinceSeconds) })}</h3>
          {s.noTraffic ? (
            <p className="text-sm text-slate-500" data-testid="metrics-no-traffic">
              {t("metrics.noTraffic")}
            </p>
          ) : (
            <WeightBar weights={observed} versions={versions} t={t} testId="metrics-observed" />
          )}
        </div>
      </div>
      {!s.noTraffic && (
        <table className="table" data-testid="metrics-summary">
          <thead>
            <tr>
              <th scope="col">{t("services.version")}</th>
              <th scope="col">{t("metrics.configuredShort")}</th>
              <th scope="col">{t("metrics.observedShort")}</th>
              <th scope="col">{t("metrics.requests")}</th>
              <th scope="col">{t("metrics.errors")}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(s.versions).map(([v, c]) => (
              <tr key={v} data-testid={`metrics-row-${v}`}>
                <td className="font-mono">{v}</td>
                <td className="tabular-nums">{configured[v] === undefined ? "—" : `${configured[v]}%`}</td>
                <td className="tabular-nums">{c.percent === null ? "—" : `${c.percent.toFixed(1)}%`}</td>
                <td className="tabular-nums">{Math.round(c.requests)}</td>
                <td className="tabular-nums">{c.errorPercent === null ? "—" : `${c.errorPercent.toFixed(2)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {metrics.noTraffic && !s.noTraffic && <p className="text-xs text-slate-500">{t("metrics.noTrafficNow")}</p>}
      <MetricsCharts metrics={metrics} charts={charts} locale={locale} configuredLabel={(v) => t("metrics.configuredLine", { version: v })} />
    </>
  );
}
