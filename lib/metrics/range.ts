// Parses the charts' time parameters ("15m", "30s", "1h") — PURE, unit-tested.
import { english, localized, type Localized } from "@/lib/i18n/localized";

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(text: string): number | null {
  const m = /^(\d{1,6})(s|m|h|d)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT[m[2]!]!;
}

export interface RangeStep {
  rangeSeconds: number;
  stepSeconds: number;
}

/** Validates the pair: a range of 1 min..7 d, a step of 5 s..1 h, at most 11,000 points (Prometheus' limit). */
export function parseRangeStep(range: string | undefined, step: string | undefined): RangeStep | RangeStepError {
  const rangeSeconds = parseDuration(range ?? "15m");
  if (rangeSeconds === null || rangeSeconds < 60 || rangeSeconds > 7 * 86400)
    return refused("range", localized("err.metrics.range", { value: String(range) }));
  const stepSeconds = step === undefined ? defaultStep(rangeSeconds) : parseDuration(step);
  if (stepSeconds === null || stepSeconds < 5 || stepSeconds > 3600)
    return refused("step", localized("err.metrics.step", { value: String(step) }));
  if (rangeSeconds / stepSeconds > 11_000)
    return refused("step", localized("err.metrics.tooFine", { step: String(step), range: String(range) }));
  return { rangeSeconds, stepSeconds };
}

/** `error` is the English (it names the field itself), `text` its catalog key + params. */
export interface RangeStepError {
  error: string;
  field: "range" | "step";
  text: Localized;
}

function refused(field: "range" | "step", text: Localized): RangeStepError {
  return { error: english(text), field, text };
}

/** About 60-120 points per chart, on a round step. */
export function defaultStep(rangeSeconds: number): number {
  const steps = [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
  return steps.find((s) => rangeSeconds / s <= 120) ?? 3600;
}

export type WeightPoint = [number, number];

/**
 * The configured weight of each version as a step line over [start, end], from the task's
 * history (each change: when, weights after). Drawn next to the observed share.
 */
export function configuredWeightSeries(
  changes: { at: number; weights: Record<string, number> }[],
  start: number,
  end: number,
): Record<string, WeightPoint[]> {
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  const versions = new Set(sorted.flatMap((c) => Object.keys(c.weights)));
  const out: Record<string, WeightPoint[]> = {};
  for (const v of versions) {
    const points: WeightPoint[] = [];
    const before = sorted.filter((c) => c.at <= start).pop();
    if (before) points.push([start, before.weights[v] ?? 0]);
    for (const c of sorted) if (c.at > start && c.at <= end) points.push([c.at, c.weights[v] ?? 0]);
    if (points.length > 0) points.push([end, points[points.length - 1]![1]]);
    out[v] = points;
  }
  return out;
}

/** The whole-unit windows an observed share is measured over: the label says exactly one of these. */
export const SUMMARY_WINDOWS = [30, 60, 120, 300, 600, 900, 1800, 3600] as const;

/**
 * The window of the "observed share (last …)" summary: the longest whole-unit window that
 * fits since the last routing change (so it shows the current split, not a mix with the
 * previous one), 30 s at least; 5 minutes when nothing changed. The same number is the
 * query's window and the label's, so the label never reads "1m 4s".
 */
export function summaryWindow(secondsSinceChange: number | null): number {
  if (secondsSinceChange === null) return 300;
  const fits = SUMMARY_WINDOWS.filter((w) => w <= secondsSinceChange);
  return fits[fits.length - 1] ?? SUMMARY_WINDOWS[0];
}

/** Longest range a chart covers (the API's limit). */
export const MAX_RANGE_SECONDS = 7 * 86400;

/**
 * A task's charts run from its start to now, plus a short lead before the start (5 %, at least
 * 30 s) so the "task started" marker sits inside the plot with the traffic before it visible.
 * Whole steps, as defaultStep picks them; at most MAX_RANGE_SECONDS.
 */
export function taskRangeSeconds(nowSeconds: number, startedAtSeconds: number): number {
  const span = Math.max(0, nowSeconds - startedAtSeconds);
  const wanted = Math.max(60, span + Math.max(30, Math.ceil(span * 0.05)));
  const step = defaultStep(Math.min(wanted, MAX_RANGE_SECONDS));
  return Math.min(MAX_RANGE_SECONDS, Math.ceil(wanted / step) * step);
}
