import { describe, expect, it } from "vitest";
import {
  PERCENT_TICKS,
  TIME_STEPS,
  axisWidth,
  formatTick,
  formatValue,
  niceTicks,
  timeTickFormat,
  timeTicks,
} from "./ticks";

/** A tick is clean when it IS the decimal it prints as with `decimals` decimals (no 100.00000000000001). */
function printsCleanly(v: number, decimals: number): boolean {
  return Number(v.toFixed(decimals)) === v && decimals <= 20;
}

describe("niceTicks", () => {
  it.each([
    { max: 100, want: [0, 20, 40, 60, 80, 100] },
    { max: 8.3, want: [0, 2, 4, 6, 8, 10] },
    { max: 97, want: [0, 20, 40, 60, 80, 100] },
    { max: 1480, want: [0, 500, 1000, 1500] },
    { max: 0.3, want: [0, 0.1, 0.2, 0.3] },
    { max: 0.037, want: [0, 0.01, 0.02, 0.03, 0.04] },
    { max: 3, want: [0, 1, 2, 3] },
    { max: 0, want: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    { max: Number.NaN, want: [0, 0.2, 0.4, 0.6, 0.8, 1] },
  ])("max $max -> $want", ({ max, want }) => {
    expect(niceTicks(max).ticks).toEqual(want);
  });

  // Many ranges, including the ones binary fractions get wrong (0.1 + 0.2, 100 / 3, 1.1 * 3...).
  const maxima = [
    ...Array.from({ length: 400 }, (_, i) => (i + 1) * 0.07),
    ...Array.from({ length: 200 }, (_, i) => 10 ** ((i - 100) / 20)),
    0.1 + 0.2,
    100 / 3,
    1.1 * 3,
    99.99999999999999,
    100.00000000000001,
    1e-6,
    123456.789,
    7e9,
  ];

  it.each(maxima.map((max) => ({ max })))(
    "max $max: round ticks from 0 past the max, none like 100.00000000000001",
    ({ max }) => {
      const { ticks, decimals } = niceTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]! * (1 + 1e-9)).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(8);
      for (const t of ticks) expect(printsCleanly(t, decimals), `${t} (${decimals} decimals)`).toBe(true);
      // Evenly spaced with a step of 1, 2 or 5 x 10^n.
      const step = ticks[1]! - ticks[0]!;
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
      expect([1, 2, 5]).toContain(mantissa);
      for (const [i, t] of ticks.entries()) expect(t).toBeCloseTo(i * step, 12);
    },
  );
});

describe("percent ticks", () => {
  it("are 0/25/50/75/100", () => expect(PERCENT_TICKS).toEqual([0, 25, 50, 75, 100]));
  it("print as whole percentages", () => {
    expect(PERCENT_TICKS.map((v) => formatTick(v, 0, "en", "%"))).toEqual(["0%", "25%", "50%", "75%", "100%"]);
  });
});

describe("formatTick / formatValue never print a binary fraction's tail", () => {
  it.each([
    { v: 100.00000000000001, d: 0, want: "100" },
    { v: 0.1 + 0.2, d: 1, want: "0.3" },
    { v: 1500, d: 0, want: "1,500" },
    { v: 0.30000000000000004, d: 2, want: "0.30" },
  ])("formatTick($v, $d) = $want", ({ v, d, want }) => expect(formatTick(v, d, "en")).toBe(want));

  it.each([
    { v: 100.00000000000001, unit: "%" as const, want: "100.0%" },
    { v: 19.96, unit: "%" as const, want: "20.0%" },
    { v: 0.30000000000000004, unit: "" as const, want: "0.30" },
    { v: 42.123, unit: "ms" as const, want: "42.1 ms" },
    { v: 1234.5, unit: "ms" as const, want: "1,235 ms" },
    { v: null, unit: "" as const, want: "—" },
    { v: Number.NaN, unit: "%" as const, want: "—" },
  ])("formatValue($v, $unit) = $want", ({ v, unit, want }) => expect(formatValue(v, unit, "en")).toBe(want));
});

describe("timeTicks", () => {
  it.each([
    // 5 minutes: one tick a minute, on whole minutes.
    { start: 1_000_010, end: 1_000_310, want: { stepSeconds: 60, first: 1_000_020, count: 5 } },
    // 75 seconds: whole 15 s steps.
    { start: 1_000_000, end: 1_000_075, want: { stepSeconds: 15, first: 1_000_005, count: 5 } },
    // 15 minutes: 5-minute steps at :00, :05, ...
    { start: 999_990, end: 1_000_890, want: { stepSeconds: 300, first: 1_000_200, count: 3 } },
    // 6 hours: hourly.
    { start: 1_000_000, end: 1_021_600, want: { stepSeconds: 3600, first: 1_000_800, count: 6 } },
  ])("[$start, $end] -> $want", ({ start, end, want }) => {
    const { ticks, stepSeconds } = timeTicks(start, end);
    expect(stepSeconds).toBe(want.stepSeconds);
    expect(ticks[0]).toBe(want.first);
    expect(ticks).toHaveLength(want.count);
  });

  it.each(
    [60, 90, 300, 900, 1234, 3600, 6 * 3600, 86400, 3 * 86400, 7 * 86400].flatMap((span) =>
      [0, 19800, -12600].map((offset) => ({ span, offset })),
    ),
  )("span $span s, UTC offset $offset s: at most 6 ticks, evenly spaced, on whole local steps", ({ span, offset }) => {
    const start = 1_700_000_007;
    const { ticks, stepSeconds } = timeTicks(start, start + span, 6, offset);
    expect(TIME_STEPS).toContain(stepSeconds);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks.length).toBeLessThanOrEqual(6);
    ticks.forEach((t, i) => {
      expect(Number.isInteger(t)).toBe(true);
      expect((t + offset) % stepSeconds).toBe(0);
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThanOrEqual(start + span);
      if (i > 0) expect(t - ticks[i - 1]!).toBe(stepSeconds);
    });
    if (stepSeconds >= 60) expect(ticks.every((t) => (t + offset) % 60 === 0)).toBe(true);
  });

  it("labels carry seconds only for sub-minute steps, a date for day steps", () => {
    const at = Date.UTC(2026, 0, 2, 14, 5, 30);
    const fmt = (step: number) =>
      new Intl.DateTimeFormat("en", { ...timeTickFormat(step), timeZone: "UTC" }).format(at);
    expect(fmt(15)).toBe("14:05:30");
    expect(fmt(300)).toBe("14:05");
    expect(fmt(86400)).toBe("01/02");
  });
});

it("axisWidth fits the widest label", () => {
  expect(axisWidth(["0%", "100%"])).toBe(38);
  expect(axisWidth(["0", "1,500"])).toBe(45);
  expect(axisWidth([])).toBe(32);
});
