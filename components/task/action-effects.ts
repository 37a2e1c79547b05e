// Exactly what each action will change, for its confirmation dialog. PURE: returns message
// keys + values (the dialog translates them) so tests need no catalog.
import { stepText, type StepText } from "./steps-text";
import type { TaskDetail } from "@/lib/api/contracts";
import type { ActionName } from "@/lib/release/types";
import { capabilitiesOf } from "@/lib/release/strategies";
import type { MessageKey } from "@/lib/i18n/messages/en";
import { describeWeights } from "@/components/routing/segments";

export interface Effect {
  key: MessageKey;
  vars?: Record<string, string | number>;
  /** Values that are messages themselves (a step in words), translated before `key`. */
  nested?: Record<string, StepText>;
}

export type ActionTask = Pick<
  TaskDetail,
  | "strategy"
  | "namespace"
  | "service"
  | "baseVersion"
  | "newVersion"
  | "weights"
  | "mirrorPercent"
  | "versions"
  | "routing"
  | "batch"
  | "drift"
  | "previewHeader"
  | "spec"
  | "entryRoutes"
  | "steps"
>;

/**
 * Whether the dialog of `action` lists the foreign routes on the old version, and what leaving
 * one unchecked means: "refuse" when the action empties the old version (retire; the batch group
 * that scales it to 0; replica-canary take-over, which scales it to 0), so the server refuses;
 * "keep" when it only moves the task's own traffic, so the route keeps sending to the old version.
 */
export function foreignRouteMode(
  action: ActionName,
  task: Pick<ActionTask, "strategy" | "batch">,
): "refuse" | "keep" | null {
  switch (action) {
    case "retireOld":
      return "refuse";
    case "takeover":
    case "switch":
      return capabilitiesOf(task.strategy).splitsPods ? "refuse" : "keep";
    case "confirm":
      return task.batch?.next && task.batch.next.baseReplicas === 0 ? "refuse" : null;
    default:
      return null;
  }
}

/**
 * What the confirm dialog offers about traffic: nothing to choose when the group follows the
 * replica ratio anyway (or is the last); a choice, keeping the split by default, when someone set
 * a split while the release waited; a notice when that split cannot be kept (the base goes to 0).
 */
export type SplitChoice =
  | { kind: "none" }
  | { kind: "ratio"; ratio: string }
  | { kind: "choice"; current: string; ratio: string }
  | { kind: "cannotKeep"; current: string; ratio: string };

export function splitChoice(task: Pick<ActionTask, "batch" | "weights">): SplitChoice {
  const next = task.batch?.next;
  if (!next || next.last) return { kind: "none" };
  const ratio = describeWeights(next.ratioWeights);
  const current = describeWeights(task.weights);
  if (!next.overridden) return { kind: "ratio", ratio };
  return next.keepable ? { kind: "choice", current, ratio } : { kind: "cannotKeep", current, ratio };
}

/**
 * Actions that need no confirmation dialog: pause/resume change nothing in the cluster, and
 * setTraffic already has its own explicit Apply step.
 */
export const UNCONFIRMED_ACTIONS = ["pause", "resume", "setTraffic"] as const;
export type ConfirmedAction = Exclude<ActionName, (typeof UNCONFIRMED_ACTIONS)[number]>;

export function needsConfirmation(action: ActionName): action is ConfirmedAction {
  return !(UNCONFIRMED_ACTIONS as readonly ActionName[]).includes(action);
}

function deploymentsOf(task: ActionTask, role: "base" | "new", version: string): string {
  const v = task.versions.find((x) => x.role === role) ?? task.versions.find((x) => x.version === version);
  return v && v.deployments.length > 0 ? v.deployments.join(", ") : "—";
}

function driftPaths(task: ActionTask): string {
  const entries = [
    ...(task.drift?.virtualService ?? []).map((e) => `VirtualService ${e.path}`),
    ...(task.drift?.destinationRule ?? []).map((e) => `DestinationRule ${e.path}`),
    ...(task.drift?.entryRoutes ?? []).map((e) => `VirtualService ${e.path}`),
  ];
  return entries.length > 0 ? entries.join("; ") : "—";
}

function hasOwnMatchRoutes(task: ActionTask): boolean {
  const t = task.spec.traffic;
  const caps = capabilitiesOf(task.strategy);
  return (caps.hasMatchRules && t?.match !== undefined) || caps.hasVariants;
}

/** The ingress gateway's routes the task follows get the same change (abort: back as found). */
function entryRouteEffects(action: ActionName, task: ActionTask): Effect[] {
  if (task.entryRoutes.length === 0) return [];
  const routes = task.entryRoutes.map((r) => r.id).join(", ");
  if (action === "abort") return [{ key: "effects.entryRoutesRestore", vars: { routes } }];
  if (["takeover", "switch", "rollback", "retireOld", "confirm"].includes(action))
    return [{ key: "effects.entryRoutesFollow", vars: { routes } }];
  return [];
}

export function actionEffects(action: ActionName, task: ActionTask): Effect[] {
  const effects = routingEffects(action, task);
  // After the main effect and its details, before a closing line ("abort cannot be undone").
  const at = action === "abort" ? effects.length - 1 : effects.length;
  return [...effects.slice(0, at), ...entryRouteEffects(action, task), ...effects.slice(at)];
}

function routingEffects(action: ActionName, task: ActionTask): Effect[] {
  const base = task.baseVersion;
  const next = task.newVersion;
  const ns = task.namespace;
  const vs = task.routing.virtualService;
  const now = describeWeights(task.weights);
  const caps = capabilitiesOf(task.strategy);
  const replicasOnly = caps.splitsPods || vs === null;
  const stopsMirror = caps.hasMirror && task.mirrorPercent !== null;
  switch (action) {
    case "takeover":
    case "switch": {
      const out: Effect[] = [
        { key: replicasOnly ? "effects.allPodsTo" : "effects.allTrafficTo", vars: { version: next, now } },
        {
          key: replicasOnly ? "effects.baseScaledToZero" : "effects.baseKeepsRunning",
          vars: { version: base, deployments: deploymentsOf(task, "base", base), namespace: ns },
        },
      ];
      if (stopsMirror) out.push({ key: "effects.stopMirror", vars: { version: next } });
      if (hasOwnMatchRoutes(task)) out.push({ key: "effects.dropMatchRoutes", vars: { vs: vs ?? "—" } });
      if (task.previewHeader)
        out.push({
          key: "effects.previewKept",
          vars: { header: task.previewHeader.name, value: task.previewHeader.value },
        });
      return out;
    }
    case "rollback": {
      const out: Effect[] = [
        { key: replicasOnly ? "effects.allPodsTo" : "effects.allTrafficTo", vars: { version: base, now } },
        { key: "effects.newKept", vars: { version: next, deployments: deploymentsOf(task, "new", next) } },
      ];
      if (caps.hasBatches)
        out.push({ key: "effects.restoreBaseReplicas", vars: { deployments: deploymentsOf(task, "base", base) } });
      if (stopsMirror) out.push({ key: "effects.stopMirror", vars: { version: next } });
      if (hasOwnMatchRoutes(task)) out.push({ key: "effects.dropMatchRoutes", vars: { vs: vs ?? "—" } });
      return out;
    }
    case "retireOld": {
      const out: Effect[] = [
        {
          key: "effects.deleteDeployments",
          vars: { deployments: deploymentsOf(task, "base", base), version: base, namespace: ns },
        },
      ];
      if (!replicasOnly) out.push({ key: "effects.removeSubset", vars: { version: base, vs } });
      out.push({ key: "effects.completes", vars: { version: next } });
      return out;
    }
    case "abort": {
      const out: Effect[] = [
        {
          key: "effects.deleteDeployments",
          vars: { deployments: deploymentsOf(task, "new", next), version: next, namespace: ns },
        },
      ];
      if (vs !== null) out.push({ key: "effects.restoreRouting", vars: { vs } });
      out.push({ key: "effects.restoreBaseReplicas", vars: { deployments: deploymentsOf(task, "base", base) } });
      out.push({ key: "effects.abortFinal" });
      return out;
    }
    case "confirm": {
      const b = task.batch;
      if (!b) return [{ key: "effects.confirmUnknown" }];
      const index = b.current; // 0-based index of the next group == groups rolled out so far
      const replicas = b.plan[index] ?? 0;
      const last = index + 1 >= b.plan.length;
      const group: Effect = {
        key: "effects.confirmGroup",
        vars: { group: index + 1, total: b.plan.length, replicas, version: next },
      };
      if (last) return [group, { key: "effects.confirmLast", vars: { version: next, base } }];
      if (!b.next) return [group, { key: "effects.confirmShift", vars: { base, now } }];
      const split = splitChoice(task);
      const replicaLine: Effect = {
        key: "batchSplit.replicas",
        vars: { next, base, newReplicas: b.next.newReplicas, baseReplicas: b.next.baseReplicas },
      };
      if (split.kind === "ratio")
        return [group, replicaLine, { key: "batchSplit.ratio", vars: { split: split.ratio } }];
      if (split.kind === "cannotKeep")
        return [
          group,
          replicaLine,
          { key: "batchSplit.cannotKeep", vars: { split: split.current, ratio: split.ratio, base } },
        ];
      return [group, replicaLine];
    }
    case "resync":
      return [{ key: "effects.resync", vars: { paths: driftPaths(task) } }];
    case "acceptDrift":
      return [{ key: "effects.acceptDrift", vars: { paths: driftPaths(task) } }];
    case "promote":
      return promoteEffects(task);
    case "promoteFull":
      return [{ key: "effects.skipSteps" }, ...routingEffects("takeover", task)];
    case "retry": {
      const first = task.steps?.plan[0];
      return first ? [{ key: "effects.retry", vars: { base }, nested: { next: stepText(first) } }] : [];
    }
    case "pause":
    case "resume":
    case "setTraffic":
      return [];
  }
}

/** What promote does: ends the current step and starts the next (or ends the plan). */
function promoteEffects(task: ActionTask): Effect[] {
  const steps = task.steps;
  if (!steps) return [];
  const total = steps.plan.length;
  const at = steps.state ? steps.state.index : -1;
  const next = steps.plan[at + 1];
  const hold: Effect[] = steps.state?.heldBy ? [{ key: "effects.releasesHold" }] : [];
  if (!next) return [...hold, { key: "effects.promoteLast", vars: { version: task.newVersion } }];
  if (at < 0) return [...hold, { key: "effects.promoteStart", vars: { total }, nested: { next: stepText(next) } }];
  return [
    ...hold,
    { key: "effects.promoteStep", vars: { current: at + 1, step: at + 2, total }, nested: { next: stepText(next) } },
  ];
}
