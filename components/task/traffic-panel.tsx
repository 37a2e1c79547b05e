"use client";
import { RouterBadge } from "@/components/routing/router-badge";
import { useId, useState } from "react";
import type { TaskDetail } from "@/lib/api/contracts";
import { useIsMutating } from "@tanstack/react-query";
import { taskMutationKey, useTaskAction } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";
import { useToast } from "@/components/ui/toast";
import { TrafficSlider } from "@/components/ui/traffic-slider";
import { WeightBar } from "@/components/routing/weight-bar";
import { RoutingBar } from "@/components/routing/routing-bar";
import { EntryRoutes } from "@/components/routing/entry-routes";
import { OTHER_TRAFFIC_COLOUR, colourOf, type VersionColours } from "@/components/routing/version-colours";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";
import { setTrafficBody, trafficControl } from "./traffic";
import { isTerminal } from "@/lib/release/terminal";
import { capabilitiesOf } from "@/lib/release/strategies";

/**
 * Configured weights, the live routing read from the cluster, and the slider. A moved slider
 * is only a proposal (shown next to the applied value) until Apply; Apply updates the page at
 * once and puts the old split back, with the API's reason, if the server refuses.
 */
export function TrafficPanel({ task, colours }: { task: TaskDetail; colours: VersionColours }) {
  const t = useT();
  const toast = useToast();
  const action = useTaskAction(task.id);
  const control = trafficControl(task);
  const [pending, setPending] = useState<number | null>(null);
  // Another action on this task (takeover, rollback…) may be in flight: wait for its result.
  const locked = useIsMutating({ mutationKey: taskMutationKey(task.id) }) > 0;
  const canChange = useCanChange(task.namespace);
  const denied = !canChange.allowed;
  const hintId = useId();
  const noteId = useId();
  const mirror = control.kind === "mirror";

  const splitText = (value: number): string => {
    if (control.kind === "readonly") return `${value}%`;
    return mirror
      ? t("task.mirrorValueText", { percent: value, version: control.next })
      : t("task.weightValueText", {
          next: control.next,
          nextWeight: value,
          base: control.base,
          baseWeight: 100 - value,
        });
  };

  const apply = () => {
    if (control.kind === "readonly" || pending === null || denied) return;
    const value = pending;
    // The optimistic cache update shows `value` as applied right away; clear the proposal.
    setPending(null);
    action.mutate(setTrafficBody(control, value), {
      onSuccess: () => toast("success", t("task.trafficApplied", { value: splitText(value) })),
      onError: (err) => toast("error", t("task.trafficRefused", { message: errorText(err, t) })),
    });
  };

  const live = task.routing;
  return (
    <div className="space-y-4">
      <div className="grid grid-cols-2 gap-6">
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t("task.configured")}</h3>
          <WeightBar weights={task.weights} colours={colours} t={t} testId="configured-weights" />
          {task.mirrorPercent !== null && (
            <p className="mt-1 text-xs text-slate-700">
              {t("task.mirrorConfigured", { percent: task.mirrorPercent, version: task.newVersion })}
            </p>
          )}
        </div>
        <div>
          <h3 className="mb-1 text-sm font-medium text-slate-700">
            {t("task.liveRouting")}
            <span className="ml-2">
              <RouterBadge routing={live} t={t} testId="task-router" />
            </span>
          </h3>
          {task.clusterError ? (
            // The routing could not be read: say so instead of drawing an empty reading.
            <p className="text-sm text-slate-500" data-testid="live-routing">
              {t("task.liveUnknown")}
            </p>
          ) : (
            <RoutingBar routing={live} versions={task.versions} t={t} testId="live-routing" colours={colours} />
          )}
        </div>
      </div>

      {task.entryRoutes.length > 0 && (
        <div>
          <p className="mb-1 text-xs text-slate-600">{t("routing.entryRoutesHint")}</p>
          <EntryRoutes routes={task.entryRoutes} colours={colours} t={t} testId="entry-routes" follows />
        </div>
      )}

      {capabilitiesOf(task.strategy).advance === "switch" && (
        <p className="text-sm text-slate-700" data-testid="blue-green-hint">
          {t("task.blueGreenHint", { next: task.newVersion, base: task.baseVersion })}
          {task.previewHeader && (
            <>
              {" "}
              {t("task.previewRoute", {
                header: task.previewHeader.name,
                value: task.previewHeader.value,
                next: task.newVersion,
              })}
            </>
          )}
        </p>
      )}

      {control.kind !== "readonly" && control.editable && (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="traffic-control">
          <p id={hintId} className="mb-2 text-xs text-slate-600">
            {mirror
              ? t("task.mirrorHint", { version: control.next })
              : t("task.sliderHint", { next: control.next, base: control.base })}
          </p>
          <TrafficSlider
            value={pending ?? control.applied}
            onChange={setPending}
            appliedValue={control.applied}
            label={
              mirror
                ? t("task.mirrorSliderLabel", { version: control.next })
                : t("task.sliderLabel", { version: control.next })
            }
            inputLabel={
              mirror
                ? t("task.mirrorInputLabel", { version: control.next })
                : t("task.inputLabel", { version: control.next })
            }
            valueText={splitText}
            describedBy={denied ? `${hintId} ${noteId}` : hintId}
            fillColour={colourOf(colours, control.next)}
            restColour={mirror ? OTHER_TRAFFIC_COLOUR : colourOf(colours, control.base)}
            disabled={locked || denied}
          />
          <PermissionNote can={canChange} place="traffic" id={noteId} className="mt-3" />
          <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
            <span data-testid="traffic-applied">
              {t("task.applied")}: <strong className="tabular-nums">{splitText(control.applied)}</strong>
            </span>
            {pending !== null && pending !== control.applied && (
              <>
                <span aria-hidden className="text-slate-400">
                  →
                </span>
                <span data-testid="traffic-pending">
                  {t("task.pending")}: <strong className="tabular-nums">{splitText(pending)}</strong>
                </span>
              </>
            )}
            <div className="ml-auto flex gap-2">
              <button
                type="button"
                className="btn"
                data-testid="traffic-cancel"
                disabled={pending === null || locked || denied}
                onClick={() => setPending(null)}
              >
                {t("common.cancel")}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                data-testid="traffic-apply"
                disabled={pending === null || pending === control.applied || locked || denied}
                onClick={apply}
              >
                {action.isPending ? t("common.working") : t("task.apply")}
              </button>
            </div>
          </div>
          {capabilitiesOf(task.strategy).splitsPods && (
            <p className="mt-2 text-xs text-slate-600">{t("task.replicaCanaryHint")}</p>
          )}
        </div>
      )}
      {control.kind !== "readonly" && !control.editable && !isTerminal(task.state) && (
        <p className="text-xs text-slate-500" data-testid="traffic-locked">
          {/* The brakes are only worth mentioning to someone who may use them. */}
          {task.operation
            ? denied
              ? t("task.trafficLockedUntilDone")
              : t("task.trafficLockedByOperation")
            : t("task.trafficLocked", { state: t(`state.${task.state}`) })}
        </p>
      )}
    </div>
  );
}
