"use client";
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { clamp, parseSliderInput, sliderKeyValue, valueFromPointer } from "./slider-keys";
import { BASE_COLOUR, NEW_COLOUR } from "@/components/routing/version-colours";

interface Props {
  value: number;
  onChange: (value: number) => void;
  /** Accessible name of the slider, e.g. "Traffic to v2". */
  label: string;
  /** Accessible name of the number box. */
  inputLabel: string;
  /** Spoken value, e.g. "v2 20%, v1 80%". */
  valueText: (value: number) => string;
  min?: number;
  max?: number;
  disabled?: boolean;
  /** data-testid prefix: `<prefix>-slider`, `<prefix>-input`. */
  testIdPrefix?: string;
  /** Colour of the part left of the thumb (the share being set) and of the rest. */
  fillColour?: string;
  restColour?: string;
  /** Where the applied value sits, drawn as a tick so a pending change is visible on the track. */
  appliedValue?: number;
  /** Text after the number box ("%"). */
  unit?: string;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * A WAI-ARIA slider (role="slider") with a number box beside it. Drag, click the track, use
 * arrows (±1), PageUp/PageDown (±10), Home/End, or type a number.
 */
export function TrafficSlider({
  value,
  onChange,
  label,
  inputLabel,
  valueText,
  min = 0,
  max = 100,
  disabled = false,
  testIdPrefix = "traffic",
  fillColour = NEW_COLOUR,
  restColour = BASE_COLOUR,
  appliedValue,
  unit = "%",
  describedBy,
  invalid = false,
}: Props) {
  const trackRef = useRef<HTMLDivElement>(null);
  const thumbRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const [text, setText] = useState(String(value));

  // Follow outside changes (slider moved, Cancel, optimistic revert) unless the box already says so.
  useEffect(() => {
    setText((current) => (parseSliderInput(current, min, max) === value ? current : String(value)));
  }, [value, min, max]);

  const span = max - min || 1;
  const pct = ((clamp(value, min, max) - min) / span) * 100;

  const set = (v: number) => {
    const next = clamp(Math.round(v), min, max);
    if (next !== value) onChange(next);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (disabled) return;
    const next = sliderKeyValue(e.key, value, min, max);
    if (next === null) return;
    e.preventDefault();
    set(next);
  };

  const fromPointer = (e: PointerEvent<HTMLDivElement>) => {
    const rect = trackRef.current?.getBoundingClientRect();
    if (!rect) return;
    set(valueFromPointer(e.clientX, rect.left, rect.width, min, max));
  };

  return (
    <div className={`flex items-center gap-4 ${disabled ? "opacity-60" : ""}`}>
      <div
        ref={trackRef}
        className={`relative h-8 min-w-48 flex-1 touch-none select-none ${disabled ? "cursor-not-allowed" : "cursor-pointer"}`}
        onPointerDown={(e) => {
          if (disabled || e.button !== 0) return;
          dragging.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          fromPointer(e);
          thumbRef.current?.focus();
        }}
        onPointerMove={(e) => {
          if (dragging.current) fromPointer(e);
        }}
        onPointerUp={(e) => {
          dragging.current = false;
          if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
        }}
        onPointerCancel={() => {
          dragging.current = false;
        }}
      >
        <div
          className="absolute inset-x-0 top-1/2 h-2.5 -translate-y-1/2 overflow-hidden rounded-full"
          style={{ backgroundColor: restColour }}
        >
          <div className="h-full" style={{ width: `${pct}%`, backgroundColor: fillColour }} />
        </div>
        {appliedValue !== undefined && appliedValue !== value && (
          <div
            className="absolute top-0.5 bottom-0.5 w-0.5 -translate-x-1/2 bg-slate-900/70"
            style={{ left: `${((clamp(appliedValue, min, max) - min) / span) * 100}%` }}
            aria-hidden
            data-testid={`${testIdPrefix}-applied-marker`}
          />
        )}
        <div
          ref={thumbRef}
          role="slider"
          tabIndex={disabled ? -1 : 0}
          aria-label={label}
          aria-valuemin={min}
          aria-valuemax={max}
          aria-valuenow={value}
          aria-valuetext={valueText(value)}
          aria-disabled={disabled || undefined}
          aria-describedby={describedBy}
          aria-orientation="horizontal"
          data-testid={`${testIdPrefix}-slider`}
          onKeyDown={onKeyDown}
          className="absolute top-1/2 size-5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-slate-900 shadow ring-1 ring-slate-400 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
          style={{ left: `${pct}%` }}
        />
      </div>
      <div className="flex items-center gap-1">
        <input
          type="number"
          inputMode="numeric"
          className="input w-20 text-right tabular-nums"
          min={min}
          max={max}
          step={1}
          value={text}
          disabled={disabled}
          aria-label={inputLabel}
          aria-invalid={invalid || parseSliderInput(text, min, max) === null || undefined}
          aria-describedby={describedBy}
          data-testid={`${testIdPrefix}-input`}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = parseSliderInput(e.target.value, min, max);
            if (parsed !== null) set(parsed);
          }}
          onBlur={() => setText(String(value))}
        />
        <span className="text-sm text-slate-600">{unit}</span>
      </div>
    </div>
  );
}
