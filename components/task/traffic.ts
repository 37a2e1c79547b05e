// What the task detail's traffic slider controls. PURE.
import type { TaskDetail } from "@/lib/api/contracts";
import { capabilitiesOf } from "@/lib/release/strategies";

export type TrafficControl =
  /** Two-way split: the slider sets the new version's share, the base gets the rest. */
  | { kind: "weights"; base: string; next: string; applied: number; editable: boolean }
  /** Mirror releases: the slider sets the mirrored percentage; live traffic stays on base. */
  | { kind: "mirror"; base: string; next: string; applied: number; editable: boolean }
  /** Blue-green, or splits the slider cannot express (an A/B test over three versions): bar only. */
  | { kind: "readonly" };

export function trafficControl(
  task: Pick<TaskDetail, "strategy" | "weights" | "mirrorPercent" | "allowedActions" | "baseVersion" | "newVersion">,
): TrafficControl {
  const editable = task.allowedActions.includes("setTraffic");
  const base = task.baseVersion;
  const next = task.newVersion;
  const slider = capabilitiesOf(task.strategy).slider;
  // Blue-green never splits: all traffic moves at once with Switch / Roll back.
  if (slider === "none") return { kind: "readonly" };
  if (slider === "mirror")
    return { kind: "mirror", base, next, applied: Math.round(task.mirrorPercent ?? 0), editable };
  const keys = Object.keys(task.weights);
  if (keys.some((k) => k !== base && k !== next)) return { kind: "readonly" };
  return { kind: "weights", base, next, applied: task.weights[next] ?? 0, editable };
}

/** The setTraffic body for slider value `value`. */
export function setTrafficBody(control: Exclude<TrafficControl, { kind: "readonly" }>, value: number) {
  if (control.kind === "mirror") return { action: "setTraffic" as const, mirrorPercent: value };
  return { action: "setTraffic" as const, weights: { [control.base]: 100 - value, [control.next]: value } };
}
