"use client";
// Loaded with next/dynamic only where charts are shown: recharts stays out of every page's
// first-load JavaScript.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricsResponse } from "@/lib/api/contracts";
import type { MetricName } from "@/lib/metrics/version-metrics";
import type { Locale } from "@/lib/i18n/config";
import { colourFor } from "@/components/routing/segments";
import { CONFIGURED, FAILED_BEFORE_ANY_VERSION, hasFailuresBeforeAnyVersion, metricRows, metricVersions } from "./series";

export interface ChartSpec {
  metric: MetricName;
  title: string;
  unit: string;
  /** Fixed 0-100 axis for percentages. */
  percent?: boolean;
}

interface Props {
  metrics: MetricsResponse;
  charts: ChartSpec[];
  locale: Locale;
  configuredLabel: (version: string) => string;
  failedBeforeAnyVersionLabel: string;
}

/** Red dashed: requests per second that failed at the callers before reaching any version. */
const FAILED_COLOUR = "#dc2626";

function timeFormatter(locale: Locale) {
  const f = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  return (t: number) => f.format(t * 1000);
}

function valueFormatter(unit: string) {
  return (v: unknown) => (typeof v === "number" ? `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)}${unit}` : "—");
}

export default function MetricsCharts({ metrics, charts, locale, configuredLabel, failedBeforeAnyVersionLabel }: Props) {
  const versions = metricVersions(metrics);
  const failed = hasFailuresBeforeAnyVersion(metrics);
  const formatTime = timeFormatter(locale);
  return (
    <div className="grid grid-cols-2 gap-4" data-testid="metrics-charts">
      {charts.map((c) => {
        const rows = metricRows(metrics, c.metric);
        const format = valueFormatter(c.unit);
        return (
          <figure key={c.metric} className="rounded-md border border-slate-200 p-3" data-testid={`chart-${c.metric}`}>
            <figcaption className="mb-2 text-sm font-medium text-slate-700">{c.title}</figcaption>
            <div className="h-48">
              <ResponsiveContainer width="100%" height="100%">
                <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
                  <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatTime} tick={{ fontSize: 11 }} minTickGap={40} />
                  <YAxis width={44} tick={{ fontSize: 11 }} domain={c.percent ? [0, 100] : [0, "auto"]} tickFormatter={(v: number) => (c.percent ? `${v}%` : String(Math.round(v)))} />
                  <Tooltip labelFormatter={(t) => formatTime(Number(t))} formatter={(v) => format(v)} />
                  <Legend wrapperStyle={{ fontSize: 11 }} />
                  {versions.map((v) => (
                    <Line key={v} type="monotone" dataKey={v} name={v} stroke={colourFor(v, versions)} dot={false} strokeWidth={2} connectNulls={false} isAnimationActive={false} />
                  ))}
                  {c.metric === "rps" && failed && (
                    <Line
                      type="monotone"
                      dataKey={FAILED_BEFORE_ANY_VERSION}
                      name={failedBeforeAnyVersionLabel}
                      stroke={FAILED_COLOUR}
                      strokeDasharray="3 3"
                      dot={false}
                      strokeWidth={2}
                      connectNulls={false}
                      isAnimationActive={false}
                    />
                  )}
                  {c.metric === "share" &&
                    versions.map((v) => (
                      <Line
                        key={`${v}${CONFIGURED}`}
                        type="stepAfter"
                        dataKey={`${v}${CONFIGURED}`}
                        name={configuredLabel(v)}
                        stroke={colourFor(v, versions)}
                        strokeDasharray="5 4"
                        dot={false}
                        strokeWidth={1.5}
                        isAnimationActive={false}
                      />
                    ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </figure>
        );
      })}
    </div>
  );
}
