// Query-key factory: every cache entry the UI uses is named here, so invalidation after a
// mutation can target exactly the entries it made stale (hierarchical keys: invalidating
// ["tasks"] covers lists, details and events).

export interface TaskListFilters {
  namespace?: string;
  state?: string;
  service?: string;
  strategy?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export const queryKeys = {
  session: () => ["auth", "session"] as const,
  // Not below namespace(ns): a task action invalidates its namespace, and that need not
  // re-ask the apiserver what the caller may do.
  permissions: (ns: string) => ["permissions", ns] as const,
  health: () => ["health"] as const,
  cluster: () => ["cluster"] as const,
  namespaces: () => ["namespaces"] as const,
  namespace: (ns: string) => ["namespaces", ns] as const,
  services: (ns: string) => ["namespaces", ns, "services"] as const,
  stepTemplates: (ns: string) => ["namespaces", ns, "step-templates"] as const,
  namespaceNotifications: (ns: string) => ["namespaces", ns, "notifications"] as const,
  service: (ns: string, name: string) => ["namespaces", ns, "services", name] as const,
  tasks: () => ["tasks"] as const,
  taskLists: () => ["tasks", "list"] as const,
  taskList: (filters: TaskListFilters) => ["tasks", "list", normaliseFilters(filters)] as const,
  task: (id: string) => ["tasks", "detail", id] as const,
  taskEvents: (id: string) => ["tasks", "detail", id, "events"] as const,
  taskMetrics: (id: string, range: string) => ["tasks", "detail", id, "metrics", range] as const,
  taskAnalysis: (id: string) => ["tasks", "detail", id, "analysis"] as const,
  serviceMetrics: (ns: string, name: string, range: string) =>
    ["namespaces", ns, "services", name, "metrics", range] as const,
};

/** Drops empty filters so `{q: ""}` and `{}` share one cache entry. */
export function normaliseFilters(filters: TaskListFilters): TaskListFilters {
  const out: TaskListFilters = {};
  for (const [k, v] of Object.entries(filters) as [keyof TaskListFilters, TaskListFilters[keyof TaskListFilters]][]) {
    if (v === undefined || v === "" || (typeof v === "number" && !Number.isFinite(v))) continue;
    (out as Record<string, unknown>)[k] = typeof v === "string" ? v.trim() : v;
    if (out[k] === "") delete out[k];
  }
  return out;
}

export function tasksListUrl(filters: TaskListFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(normaliseFilters(filters))) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `/api/tasks?${qs}` : "/api/tasks";
}
