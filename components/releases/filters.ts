// Jobs-list filters <-> URL query string. PURE. The URL is the single source of truth so a
// filtered list can be bookmarked, shared and restored with the back button.
import { STRATEGIES, TASK_STATES, type Strategy, type TaskState } from "@/lib/release/types";
import type { TaskListFilters } from "@/lib/queries/keys";

export const PAGE_SIZE = 20;

export function isTaskState(v: unknown): v is TaskState {
  return typeof v === "string" && (TASK_STATES as readonly string[]).includes(v);
}
export function isStrategy(v: unknown): v is Strategy {
  return typeof v === "string" && (STRATEGIES as readonly string[]).includes(v);
}

export interface JobFilters {
  namespace: string;
  /** Set by links from a service page; shown as a removable chip rather than a control. */
  service: string;
  state: TaskState | "";
  strategy: Strategy | "";
  q: string;
  page: number;
}

type ParamSource = { get(name: string): string | null };

/** Unknown states/strategies and bad page numbers are dropped, not sent to the API to 400. */
export function filtersFromParams(params: ParamSource): JobFilters {
  const state = params.get("state") ?? "";
  const strategy = params.get("strategy") ?? "";
  const page = Number.parseInt(params.get("page") ?? "1", 10);
  return {
    namespace: (params.get("namespace") ?? "").trim(),
    service: (params.get("service") ?? "").trim().slice(0, 63),
    state: isTaskState(state) ? state : "",
    strategy: isStrategy(strategy) ? strategy : "",
    q: (params.get("q") ?? "").slice(0, 100),
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

export function filtersToQuery(f: JobFilters): string {
  const p = new URLSearchParams();
  if (f.namespace) p.set("namespace", f.namespace);
  if (f.service) p.set("service", f.service);
  if (f.state) p.set("state", f.state);
  if (f.strategy) p.set("strategy", f.strategy);
  if (f.q.trim()) p.set("q", f.q.trim());
  if (f.page > 1) p.set("page", String(f.page));
  return p.toString();
}

export function toListFilters(f: JobFilters): TaskListFilters {
  return {
    namespace: f.namespace,
    service: f.service,
    state: f.state,
    strategy: f.strategy,
    q: f.q,
    page: f.page,
    pageSize: PAGE_SIZE,
  };
}

/** Changing any filter goes back to page 1 (page 7 of the old result means nothing now). */
export function withFilter(f: JobFilters, patch: Partial<Omit<JobFilters, "page">>): JobFilters {
  return { ...f, ...patch, page: 1 };
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
}
