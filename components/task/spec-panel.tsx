"use client";
import type { TaskDetail } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { WeightBar } from "@/components/routing/weight-bar";
import type { VersionColours } from "@/components/routing/version-colours";

/**
 * The task's specification as it was created, under the weights it has NOW: the spec is never
 * rewritten by setTraffic and the like, so showing it alone would present creation weights
 * as current ones.
 */
export function SpecPanel({ task, colours }: { task: TaskDetail; colours: VersionColours }) {
  const t = useT();
  const hasWeights = Object.keys(task.weights).length > 0;
  return (
    <section className="card p-5" aria-labelledby="spec-heading">
      <h2 id="spec-heading">{t("task.spec")}</h2>
      <p className="mt-1 text-xs text-slate-500">{t("task.revision", { revision: task.revision })}</p>
      <div className="mt-3" data-testid="task-spec-current">
        <h3 className="text-sm font-medium text-slate-700">{t("task.specCurrent")}</h3>
        <p className="mb-1 text-xs text-slate-500">{t("task.specCurrentHint")}</p>
        {hasWeights ? (
          <WeightBar weights={task.weights} colours={colours} t={t} size="sm" testId="task-spec-current-weights" />
        ) : (
          <p className="text-sm text-slate-500">—</p>
        )}
        {task.mirrorPercent !== null && (
          <p className="mt-1 text-xs text-slate-700">
            {t("task.mirrorConfigured", { percent: task.mirrorPercent, version: task.newVersion })}
          </p>
        )}
      </div>
      <h3 className="mt-4 text-sm font-medium text-slate-700">{t("task.specAsCreated")}</h3>
      <pre
        className="mt-1 max-h-[28rem] overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
        data-testid="task-spec"
      >
        {JSON.stringify(task.spec, null, 2)}
      </pre>
    </section>
  );
}
