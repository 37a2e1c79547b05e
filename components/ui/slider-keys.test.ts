import { describe, expect, it } from "vitest";
import { parseSliderInput, sliderKeyValue, valueFromPointer } from "./slider-keys";

describe("sliderKeyValue (WAI-ARIA slider keys)", () => {
  it.each([
    { key: "ArrowRight", value: 20, want: 21 },
    { key: "ArrowUp", value: 20, want: 21 },
    { key: "ArrowLeft", value: 20, want: 19 },
    { key: "ArrowDown", value: 20, want: 19 },
    { key: "PageUp", value: 20, want: 30 },
    { key: "PageDown", value: 20, want: 10 },
    { key: "PageUp", value: 95, want: 100 },
    { key: "PageDown", value: 5, want: 0 },
    { key: "ArrowRight", value: 100, want: 100 },
    { key: "ArrowLeft", value: 0, want: 0 },
    { key: "Home", value: 42, want: 0 },
    { key: "End", value: 42, want: 100 },
    { key: "Tab", value: 42, want: null },
    { key: "a", value: 42, want: null },
  ])("$key at $value -> $want", ({ key, value, want }) => {
    expect(sliderKeyValue(key, value, 0, 100)).toBe(want);
  });

  it("respects a non-zero minimum", () => {
    expect(sliderKeyValue("Home", 50, 1, 100)).toBe(1);
    expect(sliderKeyValue("PageDown", 5, 1, 100)).toBe(1);
  });
});

describe("valueFromPointer", () => {
  it.each([
    { x: 100, want: 0 },
    { x: 50, want: 0 },
    { x: 300, want: 50 },
    { x: 500, want: 100 },
    { x: 900, want: 100 },
    { x: 102, want: 1 },
  ])("x=$x on a 400px track at 100 -> $want", ({ x, want }) => {
    expect(valueFromPointer(x, 100, 400, 0, 100)).toBe(want);
  });
  it("a zero-width track gives the minimum", () => {
    expect(valueFromPointer(10, 0, 0, 0, 100)).toBe(0);
  });
});

describe("parseSliderInput", () => {
  it.each([
    { text: "35", want: 35 },
    { text: " 7 ", want: 7 },
    { text: "150", want: 100 },
    { text: "-3", want: 0 },
    { text: "", want: null },
    { text: "12.5", want: null },
    { text: "abc", want: null },
  ])("'$text' -> $want", ({ text, want }) => {
    expect(parseSliderInput(text, 0, 100)).toBe(want);
  });
});
