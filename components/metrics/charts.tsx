"use client";
// Loaded with next/dynamic only where charts are shown: recharts stays out of every page's
// first-load JavaScript.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { MetricsResponse } from "@/lib/api/contracts";
import type { MetricName } from "@/lib/metrics/version-metrics";
import type { Locale } from "@/lib/i18n/config";
import { colourOf, type VersionColours } from "@/components/routing/version-colours";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import { chartData, maxValue, type ChartSeries } from "./series";
import { PERCENT_TICKS, axisWidth, formatTick, formatValue, niceTicks, timeTickFormat, timeTicks } from "./ticks";

export interface ChartSpec {
  metric: MetricName;
  title: string;
  unit: "%" | "ms" | "";
}

interface Props {
  metrics: MetricsResponse;
  charts: ChartSpec[];
  locale: Locale;
  colours: VersionColours;
  /** Legend and tooltip text of a line. */
  seriesLabel: (s: ChartSeries) => string;
  /** Tooltip of a legend entry (what "other traffic" and the failures are), if any. */
  seriesHint: (s: ChartSeries) => string | undefined;
  taskStartedLabel: string;
  legendLabel: string;
}

/** Observed: solid; configured weight: dashed; failed before any version: dotted. Plot and legend alike. */
const DASH: Record<ChartSeries["kind"], string | undefined> = { observed: undefined, configured: "6 4", failed: "2 3" };
const WIDTH: Record<ChartSeries["kind"], number> = { observed: 2, configured: 1.5, failed: 2 };
const MARKER = "#475569";

/** The same stroke as the plotted line, as a legend swatch. */
function Swatch({ s, colour }: { s: ChartSeries; colour: string }) {
  return (
    <svg width={22} height={8} aria-hidden className="shrink-0">
      <line
        x1={1}
        y1={4}
        x2={21}
        y2={4}
        stroke={colour}
        strokeWidth={WIDTH[s.kind]}
        strokeDasharray={DASH[s.kind]}
        data-version={s.version}
        data-series={s.kind}
      />
    </svg>
  );
}

interface ChartProps extends Omit<Props, "charts"> {
  spec: ChartSpec;
  xTicks: number[];
  formatTime: (t: number) => string;
  formatInstant: (t: number) => string;
}

function MetricChart({
  spec,
  metrics,
  locale,
  colours,
  seriesLabel,
  seriesHint,
  taskStartedLabel,
  legendLabel,
  xTicks,
  formatTime,
  formatInstant,
}: ChartProps) {
  const data = chartData(metrics, spec.metric);
  const y = spec.unit === "%" ? { ticks: [...PERCENT_TICKS], decimals: 0 } : niceTicks(maxValue(data));
  const yLabel = (v: number) => formatTick(v, y.decimals, locale, spec.unit === "%" ? "%" : "");
  const { start, end } = metrics.range;
  const started = metrics.task?.startedAt;
  const labels = new Map(data.series.map((s) => [s.key, seriesLabel(s)]));
  // Configured steps under the measured lines.
  const drawOrder = [...data.series].sort((a, b) => Number(b.kind === "configured") - Number(a.kind === "configured"));
  return (
    <figure className="rounded-md border border-slate-200 p-3" data-testid={`chart-${spec.metric}`}>
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{spec.title}</figcaption>
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          {/* The right margin holds half of the last time label (HH:mm:ss), which centres on the range end. */}
          <LineChart data={data.rows} margin={{ top: 14, right: 28, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={[start, end]}
              ticks={xTicks}
              interval={0}
              tickFormatter={formatTime}
              tick={{ fontSize: 11 }}
              allowDataOverflow
            />
            <YAxis
              type="number"
              domain={[0, y.ticks[y.ticks.length - 1]!]}
              ticks={y.ticks}
              interval={0}
              allowDataOverflow
              width={axisWidth(y.ticks.map(yLabel))}
              tick={{ fontSize: 11 }}
              tickFormatter={yLabel}
            />
            <Tooltip
              labelFormatter={(t) => formatInstant(Number(t))}
              formatter={(v, key) => [
                formatValue(typeof v === "number" ? v : null, spec.unit, locale),
                labels.get(String(key)) ?? String(key),
              ]}
            />
            {started !== undefined && started >= start && started <= end && (
              <ReferenceLine
                x={started}
                stroke={MARKER}
                strokeDasharray="3 3"
                className="task-started"
                // The label goes on the side of the marker with the room: right of it early in the range, left of it late.
                label={{
                  value: taskStartedLabel,
                  position: started - start > (end - start) / 2 ? "insideTopRight" : "insideTopLeft",
                  fontSize: 10,
                  fill: MARKER,
                  offset: 4,
                }}
              />
            )}
            {drawOrder.map((s) => (
              <Line
                key={s.key}
                type={s.kind === "configured" ? "stepAfter" : "monotone"}
                dataKey={s.key}
                name={s.key}
                stroke={colourOf(colours, s.version)}
                strokeDasharray={DASH[s.kind]}
                strokeWidth={WIDTH[s.kind]}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
                data-version={s.version}
                data-series={s.kind}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <ul
        className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-700"
        aria-label={legendLabel}
        data-testid={`chart-legend-${spec.metric}`}
      >
        {data.series.map((s) => (
          <li
            key={s.key}
            className="inline-flex items-center gap-1"
            title={seriesHint(s)}
            data-version={s.version}
            data-series={s.kind}
          >
            <Swatch s={s} colour={colourOf(colours, s.version)} />
            <span className={s.kind === "observed" && s.version !== OTHER_TRAFFIC ? "font-mono" : undefined}>
              {labels.get(s.key)}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

export default function MetricsCharts({ charts, metrics, locale, ...rest }: Props) {
  // Ticks on whole steps of the viewer's clock; the same ticks for every chart of the range.
  const utcOffset = -new Date(metrics.range.end * 1000).getTimezoneOffset() * 60;
  const { ticks, stepSeconds } = timeTicks(metrics.range.start, metrics.range.end, 7, utcOffset);
  const tickFormat = new Intl.DateTimeFormat(locale, timeTickFormat(stepSeconds));
  const instantFormat = new Intl.DateTimeFormat(locale, {
    ...timeTickFormat(1),
    ...(stepSeconds >= 86400 ? { month: "2-digit", day: "2-digit" } : {}),
  });
  return (
    <div className="grid grid-cols-2 gap-4" data-testid="metrics-charts">
      {charts.map((c) => (
        <MetricChart
          key={c.metric}
          spec={c}
          metrics={metrics}
          locale={locale}
          {...rest}
          xTicks={ticks}
          formatTime={(t) => tickFormat.format(t * 1000)}
          formatInstant={(t) => instantFormat.format(t * 1000)}
        />
      ))}
    </div>
  );
}
