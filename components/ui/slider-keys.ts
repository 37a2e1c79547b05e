// Keyboard and pointer maths of the traffic slider. PURE (unit-tested).
// WAI-ARIA slider pattern: arrows ±1, PageUp/PageDown ±10, Home/End to the ends.

export const PAGE_STEP = 10;

export function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

/** The value after `key`, or null when the key is not a slider key (let it through). */
export function sliderKeyValue(key: string, value: number, min: number, max: number): number | null {
  switch (key) {
    case "ArrowRight":
    case "ArrowUp":
      return clamp(value + 1, min, max);
    case "ArrowLeft":
    case "ArrowDown":
      return clamp(value - 1, min, max);
    case "PageUp":
      return clamp(value + PAGE_STEP, min, max);
    case "PageDown":
      return clamp(value - PAGE_STEP, min, max);
    case "Home":
      return min;
    case "End":
      return max;
    default:
      return null;
  }
}

/** Pointer x within a track [left, left+width] -> the nearest integer value. */
export function valueFromPointer(clientX: number, left: number, width: number, min: number, max: number): number {
  if (width <= 0) return min;
  const ratio = clamp((clientX - left) / width, 0, 1);
  return Math.round(min + ratio * (max - min));
}

/**
 * What the number box's text means: an integer in range, or null while it is empty or not a
 * number (the box keeps showing what the user typed; the slider keeps its last good value).
 */
export function parseSliderInput(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  return clamp(Number.parseInt(trimmed, 10), min, max);
}
