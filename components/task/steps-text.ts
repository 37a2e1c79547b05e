// A release step in the reader's words: the timeline's labels and the promote dialog's lines.
// PURE: message keys + values (steps-text.test.ts).
import type { MessageKey } from "@/lib/i18n/messages/en";
import type { StepsView } from "@/lib/api/contracts";

export type PlanStepView = StepsView["plan"][number];
export interface StepText {
  key: MessageKey;
  vars: Record<string, string | number>;
}

export function stepText(step: PlanStepView): StepText {
  switch (step.kind) {
    case "setWeight":
      return { key: "steps.kind.setWeight", vars: { value: step.value ?? 0 } };
    case "setMirror":
      return { key: "steps.kind.setMirror", vars: { value: step.value ?? 0 } };
    case "setReplicas":
      return { key: "steps.kind.setReplicas", vars: { value: step.value ?? 0 } };
    case "setMatch":
      return { key: "steps.kind.setMatch", vars: { rules: step.match?.length ?? 0 } };
    case "batchGroup":
      return { key: "steps.kind.batchGroup", vars: { group: step.group ?? 0 } };
    case "analysis":
      return { key: "steps.kind.analysis", vars: { duration: step.duration ?? "" } };
    case "pause":
      return step.duration
        ? { key: "steps.kind.pauseFor", vars: { duration: step.duration } }
        : { key: "steps.kind.pause", vars: {} };
  }
}

export type StepPhase = "done" | "current" | "next";

/** Each step's phase: before the current one done, the current one (none before the first starts), after it next. */
export function stepPhases(steps: StepsView): StepPhase[] {
  const s = steps.state;
  return steps.plan.map((_, i) => {
    if (!s) return "next";
    if (s.done || i < s.index) return "done";
    return i === s.index ? "current" : "next";
  });
}

/** Seconds left until `until` (never negative), for the countdown of a timed step. */
export function secondsLeft(until: string | undefined, now: number): number | null {
  if (!until) return null;
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
}

/** "1:05", "0:09": a countdown in minutes and seconds. */
export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}
