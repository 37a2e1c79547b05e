"use client";
import { RouterBadge } from "@/components/routing/router-badge";
import Link from "next/link";
import { useId } from "react";
import { useServices } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { RoutingBar } from "@/components/routing/routing-bar";
import { StateBadge } from "@/components/ui/state-badge";
import { isTaskState } from "@/components/releases/filters";
import { VersionsTable } from "./versions-table";
import { newReleaseHref } from "./links";
import { coloursOfService } from "./colours";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";

export function ServicesTable({ namespace }: { namespace: string }) {
  const t = useT();
  const q = useServices(namespace);
  const canChange = useCanChange(namespace);
  const noteId = useId();
  if (q.isPending) return <LoadingBlock />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const { services, istioAvailable } = q.data;
  return (
    <div className="space-y-3">
      {!istioAvailable && (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950"
          data-testid="istio-missing"
        >
          {t("services.istioMissing")}
        </p>
      )}
      <PermissionNote can={canChange} place="services" id={noteId} />
      <div className="card overflow-x-auto">
        <table className="table" data-testid="services-table">
          <caption className="sr-only">{t("services.title", { namespace })}</caption>
          <thead>
            <tr>
              <th scope="col" className="w-48">
                {t("services.service")}
              </th>
              <th scope="col">{t("services.versions")}</th>
              <th scope="col" className="w-[30rem]">
                {t("services.routing")}
              </th>
              <th scope="col" className="w-52">
                {t("services.release")}
              </th>
            </tr>
          </thead>
          <tbody>
            {services.length === 0 && (
              <tr>
                <td colSpan={4} className="text-slate-500">
                  {t("services.empty")}
                </td>
              </tr>
            )}
            {services.map((s) => (
              <tr key={s.name} data-testid={`service-row-${s.name}`}>
                <td>
                  <Link
                    href={`/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(s.name)}`}
                    className="link font-mono font-medium"
                  >
                    {s.name}
                  </Link>
                  <div className="mt-1 text-xs text-slate-500">
                    {s.ports.map((p) => `${p.port}${p.name ? `/${p.name}` : ""}`).join(", ")}
                  </div>
                </td>
                <td>
                  <VersionsTable
                    versions={s.versions}
                    t={t}
                    testId={`versions-${s.name}`}
                    colours={coloursOfService(s)}
                  />
                </td>
                <td>
                  <div className="mb-1">
                    <RouterBadge routing={s.routing} t={t} testId={`router-${s.name}`} />
                  </div>
                  <RoutingBar
                    routing={s.routing}
                    versions={s.versions}
                    t={t}
                    testId={`routing-bar-${s.name}`}
                    colours={coloursOfService(s)}
                  />
                </td>
                <td>
                  {s.activeTask ? (
                    <Link
                      href={`/releases/${encodeURIComponent(s.activeTask.id)}`}
                      className="flex flex-col gap-1 text-sm"
                      data-testid={`active-task-${s.name}`}
                    >
                      <span className="link font-medium">{s.activeTask.name}</span>
                      <span className="flex items-center gap-1 text-xs text-slate-600">
                        {isTaskState(s.activeTask.state) ? (
                          <StateBadge state={s.activeTask.state} t={t} />
                        ) : (
                          s.activeTask.state
                        )}
                      </span>
                    </Link>
                  ) : canChange.allowed ? (
                    <Link
                      href={newReleaseHref(namespace, s.name)}
                      className="btn whitespace-nowrap"
                      data-testid={`start-release-${s.name}`}
                    >
                      {t("services.startRelease")}
                    </Link>
                  ) : (
                    <button
                      type="button"
                      className="btn whitespace-nowrap"
                      disabled
                      aria-describedby={noteId}
                      data-testid={`start-release-${s.name}`}
                    >
                      {t("services.startRelease")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
