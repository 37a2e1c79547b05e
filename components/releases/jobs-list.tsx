"use client";
import { actorName } from "@/components/auth/actor";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { useNamespaces, useTasks } from "@/lib/queries/hooks";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { STRATEGIES, TASK_STATES } from "@/lib/release/types";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import { StateBadge } from "@/components/ui/state-badge";
import { WeightBar } from "@/components/routing/weight-bar";
import { versionColours } from "@/components/routing/version-colours";
import { filtersFromParams, filtersToQuery, pageCount, toListFilters, withFilter, type JobFilters } from "./filters";

const SEARCH_DEBOUNCE_MS = 300;

export function JobsList() {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = filtersFromParams(params);
  const list = useTasks(toListFilters(filters));
  const namespaces = useNamespaces();
  const ids = { q: useId() };

  const go = (next: JobFilters) => {
    const qs = filtersToQuery(next);
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  // The search box is local so typing stays responsive; the URL follows after a pause.
  const [search, setSearch] = useState(filters.q);
  useEffect(() => setSearch(filters.q), [filters.q]);
  // Latest filters for the debounced update without restarting its timer on every poll re-render.
  const latest = useRef({ filters, go });
  latest.current = { filters, go };
  useEffect(() => {
    if (search === latest.current.filters.q) return;
    const timer = setTimeout(
      () => latest.current.go(withFilter(latest.current.filters, { q: search })),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [search]);

  const total = list.data?.total ?? 0;
  const pages = pageCount(total, list.data?.pageSize ?? 20);

  return (
    <section aria-labelledby="jobs-heading" className="card">
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4">
        <h2 id="jobs-heading" className="mr-auto flex items-center gap-3">
          {t("releases.jobs")}
          {filters.service && (
            <button
              type="button"
              className="inline-flex items-center gap-1 rounded-full bg-sky-100 px-2.5 py-0.5 text-xs font-medium text-sky-900 hover:bg-sky-200"
              onClick={() => go(withFilter(filters, { service: "" }))}
              aria-label={t("releases.clearService", { service: filters.service })}
              data-testid="filter-service"
            >
              {t("releases.serviceChip", { service: filters.service })} ✕
            </button>
          )}
        </h2>
        <div>
          <label htmlFor={ids.q} className="label">
            {t("releases.search")}
          </label>
          <input
            id={ids.q}
            type="search"
            className="input w-56"
            placeholder={t("releases.searchPlaceholder")}
            value={search}
            maxLength={100}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="filter-search"
          />
        </div>
        <FilterSelect
          label={t("releases.namespace")}
          width="w-44"
          testId="filter-namespace"
          value={filters.namespace}
          onChange={(namespace) => go(withFilter(filters, { namespace }))}
          options={[
            { value: "", label: t("releases.all") },
            // a namespace from the URL stays selectable even if it is not (or no longer) listed
            ...(filters.namespace && !namespaces.data?.namespaces.some((n) => n.name === filters.namespace)
              ? [{ value: filters.namespace, label: filters.namespace }]
              : []),
            ...(namespaces.data?.namespaces ?? []).map((n) => ({ value: n.name, label: n.name })),
          ]}
        />
        <FilterSelect
          label={t("releases.state")}
          width="w-48"
          testId="filter-state"
          value={filters.state}
          onChange={(state) => go(withFilter(filters, { state: state as JobFilters["state"] }))}
          options={[
            { value: "", label: t("releases.all") },
            ...TASK_STATES.map((s) => ({ value: s, label: t(`state.${s}`) })),
          ]}
        />
        <FilterSelect
          label={t("releases.strategy")}
          width="w-44"
          testId="filter-strategy"
          value={filters.strategy}
          onChange={(strategy) => go(withFilter(filters, { strategy: strategy as JobFilters["strategy"] }))}
          options={[
            { value: "", label: t("releases.all") },
            ...STRATEGIES.map((s) => ({ value: s, label: t(`strategy.${s}.name`) })),
          ]}
        />
      </div>

      {list.isPending && <LoadingBlock />}
      {list.isError && (
        <div className="p-4">
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        </div>
      )}
      {list.data && (
        <>
          <div className="overflow-x-auto">
            <table
              className={`table ${list.isPlaceholderData ? "opacity-60" : ""}`}
              data-testid="jobs-table"
              aria-busy={list.isFetching}
            >
              <caption className="sr-only">{t("releases.jobs")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("releases.name")}</th>
                  <th scope="col">{t("releases.strategy")}</th>
                  <th scope="col">{t("releases.state")}</th>
                  <th scope="col">{t("releases.versions")}</th>
                  <th scope="col" className="w-72">
                    {t("releases.traffic")}
                  </th>
                  <th scope="col">{t("releases.created")}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.tasks.length === 0 && (
                  <tr>
                    <td colSpan={6} className="py-8 text-center text-slate-500" data-testid="jobs-empty">
                      {filtersToQuery({ ...filters, page: 1 }) ? t("releases.noMatches") : t("releases.noJobs")}
                    </td>
                  </tr>
                )}
                {list.data.tasks.map((task) => (
                  <tr key={task.id} data-testid={`job-row-${task.id}`} data-name={task.name}>
                    <td>
                      <Link href={`/releases/${encodeURIComponent(task.id)}`} className="link font-medium">
                        {task.name}
                      </Link>
                      <div className="font-mono text-xs text-slate-500">
                        {task.namespace}/{task.service}
                      </div>
                    </td>
                    <td className="whitespace-nowrap">{t(`strategy.${task.strategy}.name`)}</td>
                    <td>
                      <StateBadge state={task.state} t={t} />
                    </td>
                    <td className="font-mono text-xs whitespace-nowrap">
                      {task.baseVersion} → {task.newVersion}
                    </td>
                    <td>
                      <WeightBar
                        weights={task.weights}
                        colours={versionColours({
                          versions: Object.keys(task.weights),
                          base: task.baseVersion,
                          next: task.newVersion,
                        })}
                        t={t}
                        size="sm"
                      />
                      {task.mirrorPercent !== null && (
                        <p className="text-xs text-slate-600">
                          {t("releases.mirroring", { percent: task.mirrorPercent })}
                        </p>
                      )}
                    </td>
                    <td className="text-xs whitespace-nowrap text-slate-600">
                      <span title={formatDateTime(task.createdAt, locale)}>
                        {formatRelative(task.createdAt, locale)}
                      </span>
                      <div>{actorName(task.createdBy, t)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="flex items-center justify-between p-4 text-sm" aria-label={t("releases.pagination")}>
            <span className="text-slate-600" data-testid="jobs-total">
              {t("releases.total", { total })}
            </span>
            <div className="flex items-center gap-2">
              <button
                type="button"
                className="btn"
                disabled={filters.page <= 1}
                onClick={() => go({ ...filters, page: filters.page - 1 })}
                data-testid="page-prev"
              >
                {t("releases.prev")}
              </button>
              <span className="tabular-nums" aria-live="polite" data-testid="page-indicator">
                {t("releases.page", { page: filters.page, pages })}
              </span>
              <button
                type="button"
                className="btn"
                disabled={filters.page >= pages}
                onClick={() => go({ ...filters, page: filters.page + 1 })}
                data-testid="page-next"
              >
                {t("releases.next")}
              </button>
            </div>
          </nav>
        </>
      )}
    </section>
  );
}

function FilterSelect(props: {
  label: string;
  width: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="label">
        {props.label}
      </label>
      <select
        id={id}
        className={`input ${props.width}`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
