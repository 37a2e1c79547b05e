"use client";
import type { BatchView } from "@/lib/api/contracts";
import type { TaskState } from "@/lib/release/types";
import { groupStatuses, type GroupStatus } from "./timeline";
import { useT } from "@/lib/i18n/client";

const DOT: Record<GroupStatus, string> = {
  done: "bg-emerald-500 border-emerald-500 text-white",
  awaiting: "bg-amber-100 border-amber-500 text-amber-900 animate-pulse",
  paused: "bg-slate-200 border-slate-500 text-slate-800",
  pending: "bg-white border-slate-300 text-slate-500",
};

interface Props {
  batch: BatchView;
  state: TaskState;
  newVersion: string;
  /** The spec asked for a beta group (EDAS' 灰度/beta group): the first group is it. */
  betaGroup: boolean;
}

export function BatchTimeline({ batch, state, newVersion, betaGroup }: Props) {
  const t = useT();
  const statuses = groupStatuses(batch, state);
  let cumulative = 0;
  return (
    <ol className="flex items-start gap-0" data-testid="batch-timeline" aria-label={t("task.batchTimeline")}>
      {batch.plan.map((replicas, i) => {
        cumulative += replicas;
        const status = statuses[i] ?? "pending";
        const beta = betaGroup && i === 0;
        return (
          <li
            key={i}
            className="flex flex-1 flex-col items-center text-center"
            data-testid={`batch-group-${i + 1}`}
            data-status={status}
            data-beta={beta || undefined}
          >
            <div className="flex w-full items-center">
              <div
                className={`h-0.5 flex-1 ${i === 0 ? "invisible" : status === "done" ? "bg-emerald-500" : "bg-slate-300"}`}
              />
              <span
                className={`flex size-8 items-center justify-center rounded-full border-2 text-sm font-semibold ${DOT[status]}`}
              >
                {i + 1}
              </span>
              <div
                className={`h-0.5 flex-1 ${i === batch.plan.length - 1 ? "invisible" : statuses[i + 1] === "done" ? "bg-emerald-500" : "bg-slate-300"}`}
              />
            </div>
            {beta && (
              <p
                className="mt-1 rounded bg-violet-100 px-1.5 text-xs font-semibold text-violet-800"
                title={t("task.betaGroupHint")}
                data-testid="batch-beta-label"
              >
                {t("task.betaGroup")}
              </p>
            )}
            <p className="mt-1 text-xs font-medium text-slate-800">{t(`task.group.${status}`)}</p>
            <p className="text-xs text-slate-500">
              {t("task.groupReplicas", { replicas, total: cumulative, version: newVersion })}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
