"use client";
import { errorText } from "@/lib/i18n/error-text";
import dynamic from "next/dynamic";
import { useId, useState } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { MetricsResponse } from "@/lib/api/contracts";
import { useServiceMetrics, useTaskMetrics } from "@/lib/queries/hooks";
import { isApiError, type ApiError } from "@/lib/queries/fetcher";
import { useLocale, useT } from "@/lib/i18n/client";
import type { Locale } from "@/lib/i18n/config";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { WeightBar, segmentLabel } from "@/components/routing/weight-bar";
import { colourOf, type VersionColours } from "@/components/routing/version-colours";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import {
  KNOWN_REASONS,
  RANGES,
  TASK_RANGE,
  failedFlags,
  failureReasons,
  observedShares,
  summaryVersions,
  windowLabel,
  type ChartSeries,
  type MetricsRange,
} from "./series";
import type { Translate } from "@/lib/i18n/format";
import type { VersionStatus } from "@/lib/metrics/version-status";
import type { ChartSpec } from "./charts";

const MetricsCharts = dynamic(() => import("./charts"), { ssr: false, loading: () => <LoadingBlock /> });

type Source = { kind: "task"; id: string; live: boolean } | { kind: "service"; namespace: string; name: string };

/**
 * Observed traffic (Prometheus, Istio standard metrics) next to the configured weights: what
 * users actually get, which the routing alone cannot show.
 */
export function MetricsPanel({
  source,
  configured,
  colours,
}: {
  source: Source;
  configured: Record<string, number>;
  colours: VersionColours;
}) {
  // A task's charts start where the task started; a service has no such moment.
  const [range, setRange] = useState<MetricsRange>(source.kind === "task" ? TASK_RANGE : "15m");
  const ranges: MetricsRange[] = source.kind === "task" ? [TASK_RANGE, ...RANGES] : [...RANGES];
  const common = { range, setRange, ranges, configured, colours };
  return source.kind === "task" ? (
    <TaskMetrics id={source.id} live={source.live} {...common} />
  ) : (
    <ServiceMetrics namespace={source.namespace} name={source.name} {...common} />
  );
}

interface RangeProps {
  range: MetricsRange;
  setRange: (r: MetricsRange) => void;
  ranges: MetricsRange[];
  configured: Record<string, number>;
  colours: VersionColours;
}

function TaskMetrics({ id, live, ...rest }: RangeProps & { id: string; live: boolean }) {
  return <MetricsView q={useTaskMetrics(id, rest.range, live)} {...rest} />;
}

function ServiceMetrics({ namespace, name, ...rest }: RangeProps & { namespace: string; name: string }) {
  return <MetricsView q={useServiceMetrics(namespace, name, rest.range)} {...rest} />;
}

function MetricsView({
  q,
  range,
  setRange,
  ranges,
  configured,
  colours,
}: RangeProps & { q: UseQueryResult<MetricsResponse, ApiError> }) {
  const t = useT();
  const locale = useLocale();
  const rangeId = useId();
  const charts: ChartSpec[] = [
    { metric: "share", title: t("metrics.share"), unit: "%" },
    { metric: "rps", title: t("metrics.rps"), unit: "" },
    { metric: "successRate", title: t("metrics.successRate"), unit: "%" },
    { metric: "p99Ms", title: t("metrics.p99"), unit: "ms" },
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
          <select
            id={rangeId}
            className={`input ${ranges.includes(TASK_RANGE) ? "w-52" : "w-24"}`}
            value={range}
            onChange={(e) => setRange(e.target.value as MetricsRange)}
            data-testid="metrics-range"
          >
            {ranges.map((r) => (
              <option key={r} value={r}>
                {r === TASK_RANGE ? t("metrics.range.task") : r}
              </option>
            ))}
          </select>
        </div>
      </div>
      {q.isPending && <LoadingBlock />}
      {q.isError &&
        (unavailable ? (
          <p
            role="status"
            className="rounded-md border border-slate-300 bg-slate-50 px-4 py-3 text-sm text-slate-700"
            data-testid="metrics-unavailable"
          >
            {t("metrics.unavailable", { message: errorText(q.error, t) })}
          </p>
        ) : (
          <QueryError error={q.error} onRetry={() => void q.refetch()} />
        ))}
      {q.data && (
        <MetricsBody metrics={q.data} configured={configured} charts={charts} locale={locale} colours={colours} />
      )}
    </div>
  );
}

/** "no healthy upstream (UH)": an Envoy response flag in words. */
function reasonText(t: Translate, flag: string): string {
  return (KNOWN_REASONS as readonly string[]).includes(flag)
    ? t(`metrics.reason.${flag as (typeof KNOWN_REASONS)[number]}`)
    : t("metrics.reason.other", { flag });
}

/** "no healthy upstream (UH) 1480, no route (NR) 20" */
function reasonsText(t: Translate, reasons: Record<string, number>, locale: Locale): string {
  const fmt = new Intl.NumberFormat(locale);
  return failureReasons(reasons)
    .map(({ flag, count }) => `${reasonText(t, flag)} ${fmt.format(count)}`)
    .join(", ");
}

/** Legend text of a chart line: the version, "other traffic", "<v> configured", or the failures with their reasons. */
function seriesLabeller(t: Translate, metrics: MetricsResponse): (s: ChartSeries) => string {
  const flags = failedFlags(metrics);
  return (s) => {
    if (s.kind === "configured") return t("metrics.configuredLine", { version: s.version });
    if (s.kind === "failed")
      return flags.length > 0
        ? t("metrics.failedLineBecause", { reasons: flags.map((f) => reasonText(t, f)).join(", ") })
        : t("metrics.failedLine");
    return segmentLabel(s.version, t);
  };
}

function seriesHinter(t: Translate): (s: ChartSeries) => string | undefined {
  return (s) =>
    s.kind === "failed"
      ? t("metrics.failedHint")
      : s.version === OTHER_TRAFFIC
        ? t("metrics.otherTrafficHint")
        : undefined;
}

/**
 * Requests the callers' proxies failed before any version saw them (no healthy upstream, no
 * route...): on a real mesh nobody else reports them, so they are shown for the service.
 */
function FailedBeforeAnyVersion({ metrics, locale }: { metrics: MetricsResponse; locale: Locale }) {
  const t = useT();
  const f = metrics.summary.failures.beforeAnyVersion;
  if (f.requests === 0) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800"
      data-testid="metrics-failed-before-any-version"
    >
      {t("metrics.failedBeforeAnyVersion", {
        count: new Intl.NumberFormat(locale).format(f.requests),
        reasons: reasonsText(t, f.reasons, locale),
      })}
    </p>
  );
}

const STATUS_STYLE: Record<VersionStatus, string> = {
  serving: "text-emerald-700",
  failing: "font-medium text-red-700",
  "no-ready-pods": "font-medium text-red-700",
  "no-traffic": "text-slate-500",
};

function StatusCell({ version, metrics }: { version: string; metrics: MetricsResponse }) {
  const t = useT();
  const status = metrics.versionStatus[version];
  const pods = metrics.pods?.[version];
  if (!status) return <td>—</td>;
  return (
    <td className={STATUS_STYLE[status]} data-testid={`metrics-status-${version}`} data-status={status}>
      {t(`metrics.status.${status}`)}
      {pods && (
        <span className="ml-1 text-xs text-slate-500">
          ({t("metrics.readyPods", { ready: pods.ready, desired: pods.desired })})
        </span>
      )}
    </td>
  );
}

interface BodyProps {
  metrics: MetricsResponse;
  configured: Record<string, number>;
  charts: ChartSpec[];
  locale: Locale;
  colours: VersionColours;
}

function MetricsBody({ metrics, configured, charts, locale, colours }: BodyProps) {
  const t = useT();
  const observed = observedShares(metrics);
  const s = metrics.summary;
  return (
    <>
      <div className="grid grid-cols-2 gap-6">
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t("task.configured")}</h3>
          <WeightBar weights={configured} colours={colours} t={t} testId="metrics-configured" />
        </div>
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">
            {t("metrics.observed", { window: windowLabel(s.sinceSeconds) })}
          </h3>
          {s.noTraffic ? (
            <p className="text-sm text-slate-500" data-testid="metrics-no-traffic">
              {t("metrics.noTraffic")}
            </p>
          ) : s.total === 0 ? (
            <p className="text-sm font-medium text-red-700" data-testid="metrics-no-version-answered">
              {t("metrics.noVersionAnswered")}
            </p>
          ) : (
            <WeightBar weights={observed} colours={colours} t={t} testId="metrics-observed" />
          )}
        </div>
      </div>
      <FailedBeforeAnyVersion metrics={metrics} locale={locale} />
      {!s.noTraffic && (
        // Columns are appended, never inserted: e2e tests address cells by index.
        <table className="table" data-testid="metrics-summary">
          <thead>
            <tr>
              <th scope="col">{t("services.version")}</th>
              <th scope="col">{t("metrics.configuredShort")}</th>
              <th scope="col">{t("metrics.observedShort")}</th>
              <th scope="col">{t("metrics.requests")}</th>
              <th scope="col">{t("metrics.errors")}</th>
              <th scope="col">{t("metrics.failedAtCallers")}</th>
              <th scope="col">{t("metrics.status")}</th>
            </tr>
          </thead>
          <tbody>
            {summaryVersions(s.versions).map(([v, c]) => (
              <tr key={v} data-testid={`metrics-row-${v}`}>
                <td
                  className={v === OTHER_TRAFFIC ? undefined : "font-mono"}
                  title={v === OTHER_TRAFFIC ? t("metrics.otherTrafficHint") : undefined}
                >
                  <span
                    className="mr-1.5 inline-block size-2 rounded-sm"
                    style={{ backgroundColor: colourOf(colours, v) }}
                    data-version={v}
                    aria-hidden
                  />
                  {segmentLabel(v, t)}
                </td>
                <td className="tabular-nums">{configured[v] === undefined ? "—" : `${configured[v]}%`}</td>
                <td className="tabular-nums">{c.percent === null ? "—" : `${c.percent.toFixed(1)}%`}</td>
                <td className="tabular-nums">{Math.round(c.requests)}</td>
                <td className="tabular-nums">{c.errorPercent === null ? "—" : `${c.errorPercent.toFixed(2)}%`}</td>
                <td
                  className="tabular-nums"
                  title={s.failures.byVersion[v] ? reasonsText(t, s.failures.byVersion[v].reasons, locale) : undefined}
                >
                  {s.failures.byVersion[v]?.requests ?? 0}
                </td>
                <StatusCell version={v} metrics={metrics} />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {metrics.noTraffic && !s.noTraffic && <p className="text-xs text-slate-500">{t("metrics.noTrafficNow")}</p>}
      <MetricsCharts
        metrics={metrics}
        charts={charts}
        locale={locale}
        colours={colours}
        seriesLabel={seriesLabeller(t, metrics)}
        seriesHint={seriesHinter(t)}
        taskStartedLabel={t("metrics.taskStarted")}
        legendLabel={t("metrics.legend")}
      />
    </>
  );
}
