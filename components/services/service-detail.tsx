"use client";
import { RouterBadge } from "@/components/routing/router-badge";
import Link from "next/link";
import { useId } from "react";
import { notFound } from "next/navigation";
import { useService } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { isApiError } from "@/lib/queries/fetcher";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { RoutingBar } from "@/components/routing/routing-bar";
import { EntryRoutes } from "@/components/routing/entry-routes";
import { StateBadge } from "@/components/ui/state-badge";
import { isTaskState } from "@/components/releases/filters";
import { VersionsTable } from "./versions-table";
import { newReleaseHref } from "./links";
import { coloursOfService } from "./colours";
import { MetricsPanel } from "@/components/metrics/metrics-panel";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";

export function ServiceDetail({ namespace, name }: { namespace: string; name: string }) {
  const t = useT();
  const q = useService(namespace, name);
  const canChange = useCanChange(namespace);
  const noteId = useId();
  if (q.isPending) return <LoadingBlock />;
  if (q.isError) {
    if (isApiError(q.error) && q.error.status === 404) notFound();
    return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  }
  const { service: s, istioAvailable } = q.data;
  // One assignment for every panel of the page: versions table, routing, gateway routes, charts.
  const colours = coloursOfService(s);
  return (
    <div className="space-y-5" data-testid={`service-detail-${s.name}`}>
      <div className="flex items-start justify-between gap-4">
        <dl className="grid grid-cols-3 gap-6 text-sm">
          <div>
            <dt className="text-slate-500">{t("services.ports")}</dt>
            <dd className="font-mono">
              {s.ports
                .map((p) => `${p.port}${p.name ? `/${p.name}` : ""}${p.protocol ? ` ${p.protocol}` : ""}`)
                .join(", ") || "—"}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("services.selector")}</dt>
            <dd className="font-mono text-xs">
              {Object.entries(s.selector)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ") || "—"}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("services.destinationRule")}</dt>
            <dd className="font-mono text-xs">
              {s.destinationRule
                ? `${s.destinationRule.name} (${s.destinationRule.subsets.join(", ") || "—"})`
                : t("services.none")}
            </dd>
          </div>
        </dl>
        <div className="flex items-center gap-3">
          <Link
            href={`/releases?namespace=${encodeURIComponent(namespace)}&service=${encodeURIComponent(s.name)}`}
            className="link text-sm"
            data-testid="service-history"
          >
            {t("services.history")}
          </Link>
          {s.activeTask ? (
            <Link href={`/releases/${encodeURIComponent(s.activeTask.id)}`} className="btn" data-testid="active-task">
              {t("services.activeTask", { name: s.activeTask.name })}
              {isTaskState(s.activeTask.state) && <StateBadge state={s.activeTask.state} t={t} />}
            </Link>
          ) : canChange.allowed ? (
            <Link href={newReleaseHref(namespace, s.name)} className="btn btn-primary" data-testid="start-release">
              {t("services.startRelease")}
            </Link>
          ) : (
            <button
              type="button"
              className="btn btn-primary"
              disabled
              aria-describedby={noteId}
              data-testid="start-release"
            >
              {t("services.startRelease")}
            </button>
          )}
        </div>
      </div>
      {!s.activeTask && <PermissionNote can={canChange} place="service" id={noteId} />}
      {!istioAvailable && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950">
          {t("services.istioMissing")}
        </p>
      )}
      <section className="card p-5" aria-labelledby="versions-heading">
        <h2 id="versions-heading">{t("services.versions")}</h2>
        <div className="mt-3">
          <VersionsTable versions={s.versions} t={t} testId={`versions-${s.name}`} colours={colours} />
        </div>
        {s.versions.some((v) => v.deployments.length > 0) && (
          <p className="mt-3 text-xs text-slate-500">
            {t("services.deployments")}:{" "}
            <span className="font-mono">{s.versions.flatMap((v) => v.deployments).join(", ")}</span>
          </p>
        )}
      </section>
      <section className="card p-5" aria-labelledby="routing-heading">
        <h2 id="routing-heading">
          {t("services.routing")}
          <span className="ml-2 align-middle">
            <RouterBadge routing={s.routing} t={t} testId={`router-${s.name}`} />
          </span>
        </h2>
        <div className="mt-3">
          <RoutingBar
            routing={s.routing}
            versions={s.versions}
            t={t}
            testId={`routing-bar-${s.name}`}
            colours={colours}
          />
        </div>
        {s.entryRoutes.length > 0 && (
          <div className="mt-3">
            <p className="mb-1 text-xs text-slate-600">{t("routing.entryRoutesHint")}</p>
            <EntryRoutes routes={s.entryRoutes} colours={colours} t={t} testId={`entry-routes-${s.name}`} />
          </div>
        )}
      </section>
      <section className="card p-5" aria-labelledby="metrics-heading">
        <h2 id="metrics-heading" className="mb-3">
          {t("metrics.title")}
        </h2>
        <MetricsPanel
          source={{ kind: "service", namespace, name: s.name }}
          configured={s.routing.defaultRoute?.weights ?? {}}
          colours={colours}
        />
      </section>
    </div>
  );
}
