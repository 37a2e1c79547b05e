"use client";
import Link from "next/link";
import { useNamespaces } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { formatAge } from "@/lib/i18n/format";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";

export function NamespaceList() {
  const t = useT();
  const q = useNamespaces();
  if (q.isPending) return <LoadingBlock />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const namespaces = q.data.namespaces;
  return (
    <div className="card overflow-x-auto">
      <table className="table" data-testid="namespace-table">
        <caption className="sr-only">{t("namespaces.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("namespaces.name")}</th>
            <th scope="col">{t("namespaces.phase")}</th>
            <th scope="col">{t("namespaces.labels")}</th>
            <th scope="col">{t("common.age")}</th>
          </tr>
        </thead>
        <tbody>
          {namespaces.length === 0 && (
            <tr>
              <td colSpan={4} className="text-slate-500">
                {t("namespaces.empty")}
              </td>
            </tr>
          )}
          {namespaces.map((ns) => (
            <tr key={ns.name} data-testid={`namespace-row-${ns.name}`}>
              <td>
                <Link href={`/namespaces/${encodeURIComponent(ns.name)}`} className="link font-mono font-medium">
                  {ns.name}
                </Link>
              </td>
              <td>
                {ns.phase === "Active" || ns.phase === "Terminating" ? t(`namespaces.phase.${ns.phase}`) : ns.phase}
              </td>
              <td className="max-w-xl">
                <div className="flex flex-wrap gap-1">
                  {Object.entries(ns.labels)
                    .filter(([k]) => k !== "kubernetes.io/metadata.name")
                    .map(([k, v]) => (
                      <span key={k} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                        {k}={v}
                      </span>
                    ))}
                </div>
              </td>
              <td className="tabular-nums">{formatAge(ns.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
