// Axis ticks and their labels for the metric charts. PURE (table-tested beside this file).
//
// The charts pass these ticks to recharts explicitly instead of letting it pick: its own
// choice over a fixed 0-100 domain produced 0/30/60/100 and a top tick of 100.00000000000001,
// and it drops time ticks that do not fit. Every value here is built from integers (i * m,
// scaled by an exact power of ten), so none carries a binary fraction's tail.

/** Percentage axes: always these five. */
export const PERCENT_TICKS: readonly number[] = [0, 25, 50, 75, 100];

export interface NiceTicks {
  /** From 0 up to the first tick at or above the largest value. */
  ticks: number[];
  /** Decimals every tick needs (0 for steps of 1 and more). */
  decimals: number;
}

/** i * m * 10^e as the double closest to that decimal (exact for e >= 0). */
function scaled(i: number, m: number, e: number): number {
  return e >= 0 ? i * m * 10 ** e : (i * m) / 10 ** -e;
}

/**
 * Ticks for a value axis from 0 to `max`: a step of 1, 2 or 5 x 10^n, the one giving the
 * number of intervals closest to `target` (ties: fewer ticks). Nothing to show (max <= 0 or
 * not a number) gives 0..1.
 */
export function niceTicks(max: number, target = 4): NiceTicks {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const e0 = Math.floor(Math.log10(top / target));
  let best: { m: number; e: number; n: number } | null = null;
  for (const e of [e0 - 1, e0, e0 + 1]) {
    for (const m of [1, 2, 5]) {
      // Rounded before ceil so 0.3 / 0.1 = 2.9999999999999996 counts as 3 intervals, not 4.
      const n = Math.max(1, Math.ceil(Number((top / scaled(1, m, e)).toPrecision(12))));
      const better =
        !best ||
        Math.abs(n - target) < Math.abs(best.n - target) ||
        (Math.abs(n - target) === Math.abs(best.n - target) && n < best.n);
      if (better) best = { m, e, n };
    }
  }
  const { m, e, n } = best!;
  return { ticks: Array.from({ length: n + 1 }, (_, i) => scaled(i, m, e)), decimals: Math.max(0, -e) };
}

/** A tick (or any axis value) with exactly `decimals` decimals, grouped for the locale. */
export function formatTick(value: number, decimals: number, locale: string, unit = ""): string {
  const f = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return `${f.format(value)}${unit}`;
}

/**
 * A measured value for a tooltip or a table: percentages with one decimal, other values with
 * up to two significant decimals below 10 and whole numbers above 100.
 */
export function formatValue(value: number | null | undefined, unit: "%" | "ms" | "", locale: string): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const decimals = unit === "%" ? 1 : Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = formatTick(value, decimals, locale);
  return unit === "" ? text : unit === "%" ? `${text}%` : `${text} ms`;
}

/** Steps a time axis may use: whole 5/10/15/30 s for short windows, whole minutes, hours, days. */
export const TIME_STEPS: readonly number[] = [
  5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
];

export interface TimeTicks {
  ticks: number[];
  stepSeconds: number;
}

/**
 * Time ticks over [start, end] (unix seconds): the smallest step of TIME_STEPS that gives at
 * most `maxTicks` ticks, on whole multiples of it in local time (`utcOffsetSeconds`, east
 * positive), so a 5-minute step lands on :00, :05, ... of the viewer's clock. Every tick is
 * meant to be drawn: there are few enough to fit.
 */
export function timeTicks(start: number, end: number, maxTicks = 7, utcOffsetSeconds = 0): TimeTicks {
  const span = Math.max(0, end - start);
  const stepSeconds =
    TIME_STEPS.find((s) => Math.floor(span / s) + 1 <= maxTicks) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const first = Math.ceil((start + utcOffsetSeconds) / stepSeconds) * stepSeconds - utcOffsetSeconds;
  const ticks: number[] = [];
  for (let t = first; t <= end; t += stepSeconds) ticks.push(t);
  return { ticks, stepSeconds };
}

/** How a time tick is written for a step: seconds only when the step has them, a date for day steps. */
export function timeTickFormat(stepSeconds: number): Intl.DateTimeFormatOptions {
  if (stepSeconds >= 86400) return { month: "2-digit", day: "2-digit" };
  if (stepSeconds < 60) return { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" };
  return { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
}

/** Pixels a y-axis needs for its widest label (11 px tabular digits, about 7 px each). */
export function axisWidth(labels: readonly string[]): number {
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  return Math.max(32, Math.ceil(longest * 7 + 10));
}
