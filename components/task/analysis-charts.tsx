"use client";
// Loaded with next/dynamic from the analysis panel: recharts stays out of the first load.
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Locale } from "@/lib/i18n/config";
import { axisTop, type MetricPoint, type MetricSeries } from "./analysis-view";

const VERDICT_FILL: Record<MetricPoint["verdict"], string> = {
  pass: "#059669",
  fail: "#dc2626",
  inconclusive: "#94a3b8",
};
const THRESHOLD = "#b45309";

interface Props {
  series: MetricSeries;
  title: string;
  unit: string;
  thresholdLabel: string;
  locale: Locale;
}

/** Each run's measurement as a dot in its verdict's colour, joined by a line; the threshold dashed across. */
export default function AnalysisChart({ series, title, unit, thresholdLabel, locale }: Props) {
  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const top = axisTop(series, unit === "%");
  const bounds = [series.threshold.min, series.threshold.max].filter((v): v is number => v !== undefined);
  return (
    <figure
      className="rounded-md border border-slate-200 p-3"
      data-testid={`analysis-chart-${series.name}`}
      data-threshold={bounds.join(",")}
    >
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      <div className="h-40">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={series.points} margin={{ top: 10, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(t) => time.format(Number(t))}
              tick={{ fontSize: 11 }}
            />
            <YAxis
              type="number"
              domain={[0, top]}
              tick={{ fontSize: 11 }}
              width={48}
              tickFormatter={(v) => `${number.format(Number(v))}${unit}`}
            />
            <Tooltip
              labelFormatter={(t) => time.format(Number(t))}
              formatter={(v) => [typeof v === "number" ? `${number.format(v)}${unit}` : "—", title]}
            />
            {bounds.map((b) => (
              <ReferenceLine
                key={b}
                y={b}
                stroke={THRESHOLD}
                strokeDasharray="6 4"
                className="analysis-threshold"
                label={{
                  value: `${thresholdLabel} ${number.format(b)}${unit}`,
                  position: "insideTopRight",
                  fontSize: 10,
                  fill: THRESHOLD,
                }}
              />
            ))}
            <Line
              type="linear"
              dataKey="value"
              stroke="#334155"
              strokeWidth={1.5}
              connectNulls={false}
              isAnimationActive={false}
              dot={(props: { cx?: number; cy?: number; payload?: MetricPoint; index?: number }) =>
                props.payload?.value === null || props.cy === undefined ? (
                  <g key={props.index} />
                ) : (
                  <circle
                    key={props.index}
                    cx={props.cx}
                    cy={props.cy}
                    r={3.5}
                    fill={props.payload ? VERDICT_FILL[props.payload.verdict] : "none"}
                    data-verdict={props.payload?.verdict}
                  />
                )
              }
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
