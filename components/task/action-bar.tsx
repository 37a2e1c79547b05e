"use client";
import { useId } from "react";
import type { TaskDetail } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import type { Translate } from "@/lib/i18n/format";
import { PermissionNote } from "@/components/auth/permission-note";
import { DANGER_ACTIONS, type ActionRunner } from "./action-runner";
import { barButtons, type Reason } from "./next-step";

// The release's actions: the next sensible step as the primary button, first; every other action
// the strategy has beside it, disabled with its reason (shown, and tied to the button with
// aria-describedby) when it cannot be used now. resync/acceptDrift live in the drift banner.

function reasonText(r: Reason, t: Translate): string {
  return t(r.key, { ...r.vars, ...(r.stateVar ? { state: t(`state.${r.stateVar}`) } : {}) });
}

export function ActionBar({ task, runner }: { task: TaskDetail; runner: ActionRunner }) {
  const t = useT();
  const noteId = useId();
  const reasonIds = useId();
  const buttons = barButtons(task);
  if (buttons.length === 0) return <p className="text-sm text-slate-500">{t("task.noActions")}</p>;
  const denied = !runner.canChange.allowed;
  const unavailable = buttons.filter((b) => b.reason !== null);
  return (
    <div className="flex max-w-xl flex-col items-end gap-2">
      {/* biome-ignore lint/a11y/useSemanticElements: a row of action buttons, not a form: <fieldset> would say otherwise */}
      <div
        className="flex flex-wrap justify-end gap-2"
        role="group"
        aria-label={t("task.actions")}
        aria-describedby={denied ? noteId : undefined}
      >
        {buttons.map((b) => {
          const reason = b.reason ? reasonText(b.reason, t) : undefined;
          const tone = b.primary ? "btn-primary" : DANGER_ACTIONS.includes(b.action) ? "text-red-800" : "";
          return (
            <button
              key={b.action}
              type="button"
              data-testid={`action-${b.action}`}
              data-primary={b.primary ? "true" : undefined}
              className={`btn ${tone}`}
              disabled={runner.locked || denied || !b.enabled}
              aria-describedby={reason ? `${reasonIds}-${b.action}` : undefined}
              title={reason}
              onClick={() => runner.request(b.action)}
            >
              {runner.busy === b.action ? t("common.working") : t(`action.${b.action}`)}
              {b.primary && <span className="sr-only"> ({t("nextStep.label")})</span>}
            </button>
          );
        })}
      </div>
      {unavailable.length > 0 && (
        <ul className="space-y-0.5 text-right text-xs text-slate-600" data-testid="action-reasons">
          {unavailable.map((b) => (
            <li key={b.action} id={`${reasonIds}-${b.action}`} data-testid={`action-reason-${b.action}`}>
              {t("nextStep.reasonFor", {
                action: t(`action.${b.action}`),
                reason: b.reason ? reasonText(b.reason, t) : "",
              })}
            </li>
          ))}
        </ul>
      )}
      <PermissionNote can={runner.canChange} place="actions" id={noteId} />
    </div>
  );
}
