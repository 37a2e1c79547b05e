"use client";
import { useCluster, useHealth } from "@/lib/queries/hooks";
import { useT } from "@/lib/i18n/client";
import { formatAge } from "@/lib/i18n/format";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import type { HealthResponse, NodeSummary } from "@/lib/api/contracts";

export function ClusterOverview() {
  const t = useT();
  const cluster = useCluster();
  const health = useHealth();
  return (
    <div className="space-y-6">
      <section aria-labelledby="health-heading" className="card p-5">
        <h2 id="health-heading">{t("overview.health")}</h2>
        {health.isError && <QueryError error={health.error} onRetry={() => void health.refetch()} />}
        {health.isPending && <LoadingBlock />}
        {health.data && <HealthGrid health={health.data} />}
      </section>
      <section aria-labelledby="cluster-heading" className="card p-5">
        <h2 id="cluster-heading">{t("overview.cluster")}</h2>
        {cluster.isError && (
          <div className="mt-3">
            <QueryError error={cluster.error} onRetry={() => void cluster.refetch()} />
          </div>
        )}
        {cluster.isPending && <LoadingBlock />}
        {cluster.data && (
          <>
            <dl className="mt-3 grid grid-cols-3 gap-4 text-sm">
              <div>
                <dt className="text-slate-500">{t("overview.version")}</dt>
                <dd className="font-mono text-base" data-testid="k8s-version">
                  {cluster.data.version}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("overview.nodeCount")}</dt>
                <dd className="text-base tabular-nums">{cluster.data.nodes.length}</dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("overview.namespaceCount")}</dt>
                <dd className="text-base tabular-nums">{cluster.data.namespaces}</dd>
              </div>
            </dl>
            <NodesTable nodes={cluster.data.nodes} />
          </>
        )}
      </section>
    </div>
  );
}

function HealthGrid({ health }: { health: HealthResponse }) {
  const t = useT();
  const rows: { key: string; name: string; ok: boolean; detail: string }[] = [
    {
      key: "kubernetes",
      name: t("overview.kubernetes"),
      ok: health.kubernetes.ok,
      detail: health.kubernetes.ok ? (health.kubernetes.version ?? "") : (health.kubernetes.error ?? ""),
    },
    {
      key: "database",
      name: t("overview.database"),
      ok: health.database.ok,
      detail: health.database.ok ? health.database.kind : `${health.database.kind}: ${health.database.error ?? ""}`,
    },
    {
      key: "prometheus",
      name: t("overview.prometheus"),
      ok: health.prometheus.ok,
      detail: health.prometheus.ok ? health.prometheus.url : (health.prometheus.error ?? health.prometheus.url),
    },
  ];
  return (
    <ul className="mt-3 grid grid-cols-3 gap-4">
      {rows.map((r) => (
        <li
          key={r.key}
          className="rounded-md border border-slate-200 p-3"
          data-testid={`health-${r.key}`}
          data-ok={r.ok}
        >
          <div className="flex items-center gap-2 font-medium">
            <span
              className={`inline-block size-2.5 rounded-full ${r.ok ? "bg-emerald-500" : "bg-red-500"}`}
              aria-hidden
            />
            {r.name}
            <span className={`ml-auto text-xs ${r.ok ? "text-emerald-700" : "text-red-700"}`}>
              {r.ok ? t("health.ok") : t("health.failing")}
            </span>
          </div>
          <p className="mt-1 truncate text-xs text-slate-600" title={r.detail}>
            {r.detail}
          </p>
        </li>
      ))}
    </ul>
  );
}

function NodesTable({ nodes }: { nodes: NodeSummary[] }) {
  const t = useT();
  return (
    <div className="mt-5 overflow-x-auto">
      <table className="table" data-testid="nodes-table">
        <caption className="sr-only">{t("overview.nodes")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("overview.node")}</th>
            <th scope="col">{t("overview.status")}</th>
            <th scope="col">{t("overview.kind")}</th>
            <th scope="col">{t("overview.cpu")}</th>
            <th scope="col">{t("overview.memory")}</th>
            <th scope="col">{t("overview.pods")}</th>
            <th scope="col">{t("common.age")}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.length === 0 && (
            <tr>
              <td colSpan={7} className="text-slate-500">
                {t("overview.noNodes")}
              </td>
            </tr>
          )}
          {nodes.map((n) => (
            <tr key={n.name} data-testid={`node-row-${n.name}`}>
              <td className="font-mono">{n.name}</td>
              <td>
                <span className={n.ready ? "text-emerald-700" : "text-red-700"}>
                  {n.ready ? t("overview.ready") : t("overview.notReady")}
                </span>
              </td>
              <td>
                {n.fake ? (
                  <span
                    className="rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-800"
                    title={t("overview.fakeHint")}
                  >
                    {t("overview.fake")}
                  </span>
                ) : (
                  <span className="text-xs text-slate-600">{t("overview.real")}</span>
                )}
              </td>
              <td className="tabular-nums">{n.cpu ?? "—"}</td>
              <td className="tabular-nums">{n.memory ?? "—"}</td>
              <td className="tabular-nums">{n.pods ?? "—"}</td>
              <td className="tabular-nums">{formatAge(n.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
