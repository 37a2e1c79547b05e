"use client";
import { useId } from "react";
import type { TaskDetail } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { PermissionNote } from "@/components/auth/permission-note";
import { DANGER_ACTIONS, type ActionRunner, type SimpleAction } from "./action-runner";

// Order on screen: move forward first, then hold, then back out. resync/acceptDrift live in
// the drift banner (they only make sense when there is drift).
const BAR_ACTIONS: readonly SimpleAction[] = ["switch", "takeover", "confirm", "pause", "resume", "rollback", "retireOld", "abort"];

export function ActionBar({ task, runner }: { task: TaskDetail; runner: ActionRunner }) {
  const t = useT();
  const noteId = useId();
  // For blue-green, Switch is the same move as Take over: offer the word the strategy uses.
  const actions = BAR_ACTIONS.filter((a) => task.allowedActions.includes(a) && !(a === "takeover" && task.strategy === "blue-green" && task.allowedActions.includes("switch")));
  if (actions.length === 0) return <p className="text-sm text-slate-500">{t("task.noActions")}</p>;
  const denied = !runner.canChange.allowed;
  return (
    <div className="flex max-w-xl flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2" role="group" aria-label={t("task.actions")} aria-describedby={denied ? noteId : undefined}>
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            data-testid={`action-${a}`}
            className={`btn ${DANGER_ACTIONS.includes(a) ? "text-red-800" : a === "takeover" || a === "switch" || a === "confirm" ? "btn-primary" : ""}`}
            disabled={runner.locked || denied}
            onClick={() => runner.request(a)}
          >
            {runner.busy === a ? t("common.working") : t(`action.${a}`)}
          </button>
        ))}
      </div>
      <PermissionNote can={runner.canChange} place="actions" id={noteId} />
    </div>
  );
}
