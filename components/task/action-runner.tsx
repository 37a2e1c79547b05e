"use client";
import { useState, type ReactNode } from "react";
import type { TaskDetail } from "@/lib/api/contracts";
import type { ActionName } from "@/lib/release/types";
import type { ActionRequest } from "@/lib/release/spec";
import { useIsMutating } from "@tanstack/react-query";
import { taskMutationKey, useAbortTask, useTaskAction } from "@/lib/queries/hooks";
import { isApiError } from "@/lib/queries/fetcher";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";
import { useToast } from "@/components/ui/toast";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useCanChange, type CanChange } from "@/components/auth/permission-note";
import {
  actionEffects,
  foreignRouteMode,
  needsConfirmation,
  splitChoice,
  type ConfirmedAction,
  type Effect,
} from "./action-effects";
import type { Translate } from "@/lib/i18n/format";
import { ForeignRoutesChoice, SplitChoiceField } from "./action-choices";

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
  /** The last refusal, translated, with the way out when there is one; null when there is none. */
  refusal: ReactNode;
}

/** An action the task refused (recorded in History, nothing changed), with whether its dialog can list routes to move. */
interface Refusal {
  action: SimpleAction;
  message: string;
  reopen: boolean;
}

/** The request for `a`: the routes chosen to move along, and for confirm the split kept or not. */
function actionRequest(
  a: Exclude<SimpleAction, "abort">,
  moveRoutes: string[],
  weights: "keep" | "replicas" | undefined,
): ActionRequest {
  const moving = moveRoutes.length > 0 ? { moveRoutes } : {};
  switch (a) {
    case "takeover":
    case "switch":
    case "retireOld":
      return { action: a, ...moving };
    case "confirm":
      return { action: a, ...moving, ...(weights ? { weights } : {}) };
    default:
      return { action: a };
  }
}

/** A 409 (or a plan's 400) is the task saying no: the server recorded it and changed nothing. */
function refusalFrom(err: Error, action: SimpleAction, task: TaskDetail, message: string): Refusal | null {
  if (!isApiError(err) || (err.status !== 409 && err.status !== 400)) return null;
  const routes = (err.details as { routes?: unknown } | null)?.routes;
  const namesRoutes = Array.isArray(routes) && routes.length > 0;
  return { action, message, reopen: namesRoutes && foreignRouteMode(action, task) !== null };
}

/** An effect in words, its nested messages (a step) translated first. */
function effectText(e: Effect, t: Translate): string {
  const nested = Object.fromEntries(Object.entries(e.nested ?? {}).map(([k, n]) => [k, t(n.key, n.vars)]));
  return t(e.key, { ...e.vars, ...nested });
}

/** One runner per task page: the action bar and the drift banner share its dialog. */
export function useActionRunner(task: TaskDetail): ActionRunner {
  const t = useT();
  const toast = useToast();
  const action = useTaskAction(task.id);
  const abort = useAbortTask(task.id);
  const [confirming, setConfirming] = useState<ConfirmedAction | null>(null);
  const [moveRoutes, setMoveRoutes] = useState<string[]>([]);
  const [keepSplit, setKeepSplit] = useState(true);
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState<SimpleAction | null>(null);
  const locked = useIsMutating({ mutationKey: taskMutationKey(task.id) }) > 0;
  const canChange = useCanChange(task.namespace);
  const mode = confirming ? foreignRouteMode(confirming, task) : null;
  const split = splitChoice(task);

  const run = (a: SimpleAction) => {
    setBusy(a);
    setRefused(null);
    const label = t(`action.${a}`);
    const callbacks = {
      onSuccess: () => toast("success", t("task.actionDone", { action: label })),
      onError: (err: Error) => {
        const message = errorText(err, t);
        const refusal = refusalFrom(err, a, task, message);
        if (refusal) setRefused(refusal);
        else toast("error", t("task.actionFailed", { action: label, message }));
      },
      onSettled: () => {
        setBusy(null);
        setConfirming(null);
      },
    };
    if (a === "abort") return abort.mutate(undefined, callbacks);
    // Only routes the dialog listed (and that are still there) travel with the action.
    const chosen = mode ? moveRoutes.filter((id) => task.foreignRoutes.some((r) => r.id === id)) : [];
    action.mutate(
      actionRequest(
        a,
        chosen,
        a === "confirm" && split.kind === "choice" ? (keepSplit ? "keep" : "replicas") : undefined,
      ),
      callbacks,
    );
  };

  const request = (a: SimpleAction) => {
    if (busy || locked || !canChange.allowed) return;
    setRefused(null);
    if (!needsConfirmation(a)) return run(a);
    // Every dialog starts with nothing moved and the split kept: the operator opts in to changes.
    setMoveRoutes([]);
    setKeepSplit(true);
    setConfirming(a);
  };

  const dialog = (
    <ConfirmDialog
      open={confirming !== null}
      title={
        confirming
          ? t(`confirm.${confirming}.title`, { name: task.name, base: task.baseVersion, next: task.newVersion })
          : ""
      }
      effects={confirming ? actionEffects(confirming, task).map((e) => effectText(e, t)) : []}
      confirmLabel={confirming ? t(`action.${confirming}`) : ""}
      tone={confirming && DANGER_ACTIONS.includes(confirming) ? "danger" : "primary"}
      busy={busy !== null}
      onConfirm={() => {
        if (confirming) run(confirming);
      }}
      onCancel={() => setConfirming(null)}
    >
      {confirming === "confirm" && split.kind === "choice" && (
        <SplitChoiceField choice={split} keep={keepSplit} onChange={setKeepSplit} />
      )}
      {mode && task.foreignRoutes.length > 0 && (
        <ForeignRoutesChoice
          routes={task.foreignRoutes}
          mode={mode}
          base={task.baseVersion}
          next={task.newVersion}
          chosen={moveRoutes}
          onChange={setMoveRoutes}
        />
      )}
    </ConfirmDialog>
  );

  const refusal = refused && (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950"
      data-testid="action-refusal"
      data-action={refused.action}
    >
      <p className="font-medium">{t("refusal.title", { action: t(`action.${refused.action}`) })}</p>
      <p className="mt-1 break-words" data-testid="action-refusal-message">
        {refused.message}
      </p>
      <p className="mt-1 text-xs opacity-80">{t("refusal.inHistory")}</p>
      <div className="mt-2 flex gap-2">
        {refused.reopen && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="action-refusal-reopen"
            onClick={() => request(refused.action)}
          >
            {t("refusal.reopen")}
          </button>
        )}
        <button type="button" className="btn" data-testid="action-refusal-dismiss" onClick={() => setRefused(null)}>
          {t("common.dismiss")}
        </button>
      </div>
    </div>
  );

  return { request, busy, locked, canChange, dialog, refusal };
}
