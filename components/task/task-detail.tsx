"use client";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isLiveTask, useTask } from "@/lib/queries/hooks";
import { isApiError } from "@/lib/queries/fetcher";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { StateBadge } from "@/components/ui/state-badge";
import { VersionCards } from "./version-cards";
import { TrafficPanel } from "./traffic-panel";
import { ActionBar } from "./action-bar";
import { DriftBanner } from "./drift-banner";
import { OperationBanner } from "./operation-banner";
import { BatchTimeline } from "./batch-timeline";
import { StepsTimeline } from "./steps-timeline";
import { EventsTimeline } from "./events-timeline";
import { useActionRunner } from "./action-runner";
import { MetricsPanel } from "@/components/metrics/metrics-panel";
import type { TaskDetail } from "@/lib/api/contracts";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { taskColours } from "./colours";
import { SpecPanel } from "./spec-panel";
import { NotificationsPanel } from "./notifications-panel";
import { AnalysisPanel } from "./analysis-panel";
import { actorName } from "@/components/auth/actor";
import { keyedText } from "@/lib/i18n/error-text";

export function TaskDetailView({ id }: { id: string }) {
  const q = useTask(id);
  if (q.isPending) return <LoadingBlock />;
  if (q.isError) {
    if (isApiError(q.error) && q.error.status === 404) notFound();
    return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  }
  return <TaskView task={q.data.task} fetching={q.isFetching} />;
}

function TaskView({ task, fetching }: { task: TaskDetail; fetching: boolean }) {
  const t = useT();
  const locale = useLocale();
  const runner = useActionRunner(task);
  const live = isLiveTask(task);
  // One colour per version for every panel below (traffic, live routing, charts, cards).
  const colours = taskColours(task);
  return (
    <div className="space-y-5" data-testid="task-detail" data-state={task.state} data-revision={task.revision}>
      <Breadcrumbs
        label={t("nav.breadcrumb")}
        items={[{ label: t("nav.releases"), href: "/releases" }, { label: task.name }]}
      />
      <header className="flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-3">
            <h1 className="truncate">{task.name}</h1>
            <StateBadge state={task.state} t={t} />
            {live && (
              <span className="flex items-center gap-1 text-xs text-slate-500" title={t("task.liveHint")}>
                <span
                  className={`inline-block size-1.5 rounded-full ${fetching ? "bg-sky-500" : "bg-slate-300"}`}
                  aria-hidden
                />
                {t("task.live")}
              </span>
            )}
          </div>
          <p className="mt-1 text-sm text-slate-600">
            {t(`strategy.${task.strategy}.name`)} ·{" "}
            <Link
              className="link font-mono"
              href={`/namespaces/${encodeURIComponent(task.namespace)}/services/${encodeURIComponent(task.service)}`}
            >
              {task.namespace}/{task.service}
            </Link>{" "}
            · <span className="font-mono">{task.baseVersion}</span> →{" "}
            <span className="font-mono">{task.newVersion}</span> ·{" "}
            {t("task.createdBy", { actor: actorName(task.createdBy, t) })}{" "}
            <time dateTime={task.createdAt} title={formatDateTime(task.createdAt, locale)}>
              {formatRelative(task.createdAt, locale)}
            </time>
          </p>
        </div>
        <ActionBar task={task} runner={runner} />
      </header>

      {runner.refusal}

      {task.clusterError && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
          data-testid="task-cluster-error"
        >
          <p className="font-medium">{t("task.clusterErrorTitle")}</p>
          <p className="mt-1 opacity-80">
            {t("task.clusterErrorHint", { message: keyedText(task.clusterErrorText, t) ?? task.clusterError })}
          </p>
        </div>
      )}

      <OperationBanner task={task} />
      <DriftBanner task={task} runner={runner} />

      {task.batch && (
        <section className="card p-5" aria-labelledby="batch-heading">
          <h2 id="batch-heading">{t("task.batchTimeline")}</h2>
          <div className="mt-4">
            <BatchTimeline
              batch={task.batch}
              state={task.state}
              newVersion={task.newVersion}
              betaGroup={task.spec.batch?.betaGroup ?? false}
            />
          </div>
        </section>
      )}

      {task.steps && (
        <section className="card p-5" aria-labelledby="steps-heading">
          <h2 id="steps-heading">{t("steps.title")}</h2>
          <div className="mt-4">
            <StepsTimeline steps={task.steps} />
          </div>
        </section>
      )}

      <section className="card p-5" aria-labelledby="traffic-heading">
        <h2 id="traffic-heading">{t("task.traffic")}</h2>
        <div className="mt-3">
          <TrafficPanel task={task} colours={colours} />
        </div>
      </section>

      <section className="card p-5" aria-labelledby="metrics-heading">
        <h2 id="metrics-heading" className="mb-3">
          {t("metrics.title")}
        </h2>
        <MetricsPanel source={{ kind: "task", id: task.id, live }} configured={task.weights} colours={colours} />
      </section>

      <AnalysisPanel task={task} />

      <section aria-labelledby="versions-heading" className="space-y-3">
        <h2 id="versions-heading">{t("services.versions")}</h2>
        <VersionCards versions={task.versions} colours={colours} />
      </section>

      <NotificationsPanel task={task} />

      <div className="grid grid-cols-[2fr_1fr] gap-5">
        <section className="card p-5" aria-labelledby="events-heading">
          <h2 id="events-heading" className="mb-4">
            {t("task.history")}
          </h2>
          <EventsTimeline id={task.id} live={live} />
        </section>
        <SpecPanel task={task} colours={colours} />
      </div>
      {runner.dialog}
    </div>
  );
}
