"use client";
import { useState, type ReactNode } from "react";
import type { TaskDetail } from "@/lib/api/contracts";
import type { ActionName } from "@/lib/release/types";
import { useIsMutating } from "@tanstack/react-query";
import { taskMutationKey, useAbortTask, useTaskAction } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { useToast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useCanChange, type CanChange } from "@/components/auth/permission-note";
import { actionEffects, needsConfirmation, type ConfirmedAction } from "./action-effects";

export type SimpleAction = Exclude<ActionName, "setTraffic">;

/** Actions that take something away (traffic, Deployments, someone's edit) get a red button. */
export const DANGER_ACTIONS: readonly SimpleAction[] = ["rollback", "retireOld", "abort", "resync"];

export interface ActionRunner {
  /** Runs `action`, first asking for confirmation when it changes the cluster. */
  request: (action: SimpleAction) => void;
  busy: SimpleAction | null;
  /** Some change to this task (an action or a traffic Apply) is in flight: start no other. */
  locked: boolean;
  /** Whether the signed-in user may change this task's namespace at all (and why not). */
  canChange: CanChange;
  dialog: ReactNode;
}

/** One runner per task page: the action bar and the drift banner share its dialog. */
export function useActionRunner(task: TaskDetail): ActionRunner {
  const t = useT();
  const toast = useToast();
  const action = useTaskAction(task.id);
  const abort = useAbortTask(task.id);
  const [confirming, setConfirming] = useState<ConfirmedAction | null>(null);
  const [busy, setBusy] = useState<SimpleAction | null>(null);
  const locked = useIsMutating({ mutationKey: taskMutationKey(task.id) }) > 0;
  const canChange = useCanChange(task.namespace);

  const run = (a: SimpleAction) => {
    setBusy(a);
    const label = t(`action.${a}`);
    const callbacks = {
      onSuccess: () => toast("success", t("task.actionDone", { action: label })),
      onError: (err: Error) => toast("error", t("task.actionFailed", { action: label, message: err.message })),
      onSettled: () => {
        setBusy(null);
        setConfirming(null);
      },
    };
    if (a === "abort") abort.mutate(undefined, callbacks);
    else action.mutate({ action: a }, callbacks);
  };

  const request = (a: SimpleAction) => {
    if (busy || locked || !canChange.allowed) return;
    if (needsConfirmation(a)) setConfirming(a);
    else run(a);
  };

  const dialog = (
    <ConfirmDialog
      open={confirming !== null}
      title={confirming ? t(`confirm.${confirming}.title`, { name: task.name, base: task.baseVersion, next: task.newVersion }) : ""}
      effects={confirming ? actionEffects(confirming, task).map((e) => t(e.key, e.vars)) : []}
      confirmLabel={confirming ? t(`action.${confirming}`) : ""}
      tone={confirming && DANGER_ACTIONS.includes(confirming) ? "danger" : "primary"}
      busy={busy !== null}
      onConfirm={() => {
        if (confirming) run(confirming);
      }}
      onCancel={() => setConfirming(null)}
    />
  );

  return { request, busy, locked, canChange, dialog };
}
