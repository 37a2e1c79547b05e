// React Query hooks over the REST API. Components import these, never fetch() directly.
import {
  keepPreviousData,
  useIsMutating,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import type {
  AuthSessionResponse,
  ClusterResponse,
  HealthResponse,
  LogoutResponse,
  NamespacesResponse,
  PermissionsResponse,
  PreviewCheckResponse,
  PreviewResponse,
  ServiceResponse,
  ServicesResponse,
  TaskDetail,
  TaskEventsResponse,
  TaskListResponse,
  TaskResponse,
} from "@/lib/api/contracts";
import type { ActionRequest, TaskSpecInput } from "@/lib/release/spec";
import type { CheckSection } from "@/lib/release/spec-sections";
// Type-only: the metrics response shape is defined beside its server-side builder.
import type {
  AnalysisResponse,
  MetricsResponse,
  StepTemplateRequest,
  StepTemplateResponse,
  StepTemplatesResponse,
} from "@/lib/api/contracts";
import { isTerminal } from "@/lib/release/terminal";
import { apiFetch, setCsrfToken, type ApiError } from "./fetcher";
import { LIVE_POLL_MS } from "./client";
import { queryKeys, tasksListUrl, type TaskListFilters } from "./keys";

const enc = encodeURIComponent;

// ---- sign-in ----

/** Keeps what GET /api/auth/session said: the cached answer, and its CSRF token for apiFetch. */
function rememberSession(qc: QueryClient, session: AuthSessionResponse): void {
  setCsrfToken(session.csrfToken);
  qc.setQueryData(queryKeys.session(), session);
}

/** Who is signed in, in which mode; fills the CSRF token every POST/DELETE sends. Never 401. */
export function useSession() {
  return useQuery<AuthSessionResponse, ApiError>({
    queryKey: queryKeys.session(),
    queryFn: async ({ signal }) => {
      const session = await apiFetch<AuthSessionResponse>("/api/auth/session", { signal });
      setCsrfToken(session.csrfToken);
      return session;
    },
    staleTime: 60_000,
  });
}

/** POST /api/auth/login with a Kubernetes bearer token (token mode); 401 when the apiserver rejects it. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation<AuthSessionResponse, ApiError, { token: string }>({
    mutationFn: (body) => apiFetch<AuthSessionResponse>("/api/auth/login", { method: "POST", body }),
    onSuccess: (session) => rememberSession(qc, session),
  });
}

/** POST /api/auth/logout; the caller navigates to `redirect` (or the signed-out page). */
export function useLogout() {
  return useMutation<LogoutResponse, ApiError, void>({
    mutationFn: () => apiFetch<LogoutResponse>("/api/auth/logout", { method: "POST" }),
    onSuccess: () => setCsrfToken(null),
  });
}

/** What the caller may do in `ns` (the apiserver's answer); re-asked at most every 10 s. */
export function usePermissions(ns: string | undefined) {
  return useQuery<PermissionsResponse, ApiError>({
    queryKey: queryKeys.permissions(ns ?? ""),
    queryFn: ({ signal }) => apiFetch<PermissionsResponse>(`/api/namespaces/${enc(ns ?? "")}/permissions`, { signal }),
    enabled: !!ns,
    staleTime: 10_000,
  });
}

export function useHealth() {
  return useQuery<HealthResponse, ApiError>({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => apiFetch<HealthResponse>("/api/health", { signal }),
    refetchInterval: 15_000,
  });
}

export function useCluster() {
  return useQuery<ClusterResponse, ApiError>({
    queryKey: queryKeys.cluster(),
    queryFn: ({ signal }) => apiFetch<ClusterResponse>("/api/cluster", { signal }),
    refetchInterval: 30_000,
  });
}

export function useNamespaces() {
  return useQuery<NamespacesResponse, ApiError>({
    queryKey: queryKeys.namespaces(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>("/api/namespaces", { signal }),
    staleTime: 30_000,
  });
}

/** A namespace's services; polls quickly while one of them is being released. */
export function useServices(ns: string | undefined) {
  return useQuery<ServicesResponse, ApiError>({
    queryKey: queryKeys.services(ns ?? ""),
    queryFn: ({ signal }) => apiFetch<ServicesResponse>(`/api/namespaces/${enc(ns ?? "")}/services`, { signal }),
    enabled: !!ns,
    refetchInterval: (q) => (q.state.data?.services.some((s) => s.activeTask !== null) ? LIVE_POLL_MS : 15_000),
  });
}

export function useService(ns: string, name: string) {
  return useQuery<ServiceResponse, ApiError>({
    queryKey: queryKeys.service(ns, name),
    queryFn: ({ signal }) => apiFetch<ServiceResponse>(`/api/namespaces/${enc(ns)}/services/${enc(name)}`, { signal }),
    refetchInterval: (q) => (q.state.data?.service.activeTask ? LIVE_POLL_MS : 15_000),
  });
}

export function useTasks(filters: TaskListFilters) {
  return useQuery<TaskListResponse, ApiError>({
    queryKey: queryKeys.taskList(filters),
    queryFn: ({ signal }) => apiFetch<TaskListResponse>(tasksListUrl(filters), { signal }),
    // Keep the current page on screen while the next one loads (no flash on paging/filtering).
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
}

/** Mutations on one task share this key, so polling can hold off while one is in flight. */
export const taskMutationKey = (id: string) => ["task-mutation", id] as const;

/** Worth polling: a running release, or a finished one whose last operation is still in flight (a drain). */
export function isLiveTask(
  task: (Pick<TaskDetail, "state"> & Partial<Pick<TaskDetail, "operation">>) | undefined,
): boolean {
  return task !== undefined && (!isTerminal(task.state) || (task.operation ?? null) !== null);
}

export function useTask(id: string) {
  // A poll landing mid-mutation would briefly show the old weights over the optimistic ones.
  const mutating = useIsMutating({ mutationKey: taskMutationKey(id) }) > 0;
  return useQuery<TaskResponse, ApiError>({
    queryKey: queryKeys.task(id),
    queryFn: ({ signal }) => apiFetch<TaskResponse>(`/api/tasks/${enc(id)}`, { signal }),
    refetchInterval: (q) => (!mutating && isLiveTask(q.state.data?.task) ? LIVE_POLL_MS : false),
    refetchOnWindowFocus: true,
  });
}

export function useTaskEvents(id: string, live: boolean) {
  return useQuery<TaskEventsResponse, ApiError>({
    queryKey: queryKeys.taskEvents(id),
    queryFn: ({ signal }) => apiFetch<TaskEventsResponse>(`/api/tasks/${enc(id)}/events`, { signal }),
    refetchInterval: live ? LIVE_POLL_MS * 2 : false,
  });
}

/** Prometheus is scraped every few seconds; polling faster than this only repeats the same points. */
const METRICS_POLL_MS = 10_000;

/** Observed traffic of a task's versions next to its configured weights over `range` ("15m"). */
export function useTaskMetrics(id: string, range: string, live: boolean) {
  return useQuery<MetricsResponse, ApiError>({
    queryKey: queryKeys.taskMetrics(id, range),
    queryFn: ({ signal }) => apiFetch<MetricsResponse>(`/api/tasks/${enc(id)}/metrics?range=${enc(range)}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? METRICS_POLL_MS : false,
  });
}

/** The task's metric analysis runs; polled like the metrics while the task is live (a run lands every interval). */
export function useTaskAnalysis(id: string, live: boolean) {
  return useQuery<AnalysisResponse, ApiError>({
    queryKey: queryKeys.taskAnalysis(id),
    queryFn: ({ signal }) => apiFetch<AnalysisResponse>(`/api/tasks/${enc(id)}/analysis`, { signal }),
    refetchInterval: live ? LIVE_POLL_MS * 2 : false,
  });
}

export function useServiceMetrics(ns: string, name: string, range: string) {
  return useQuery<MetricsResponse, ApiError>({
    queryKey: queryKeys.serviceMetrics(ns, name, range),
    queryFn: ({ signal }) =>
      apiFetch<MetricsResponse>(`/api/namespaces/${enc(ns)}/services/${enc(name)}/metrics?range=${enc(range)}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: METRICS_POLL_MS,
  });
}

/** The create wizard's check of one step: POST /api/tasks/preview?check=<section>. */
export function useCheckTaskStep() {
  return useMutation<PreviewCheckResponse, ApiError, { section: CheckSection; spec: TaskSpecInput }>({
    mutationFn: ({ section, spec }) =>
      apiFetch<PreviewCheckResponse>(`/api/tasks/preview?check=${enc(section)}`, { method: "POST", body: spec }),
  });
}

export function usePreviewTask() {
  return useMutation<PreviewResponse, ApiError, TaskSpecInput>({
    mutationFn: (spec) => apiFetch<PreviewResponse>("/api/tasks/preview", { method: "POST", body: spec }),
  });
}

/** Caches that change when `task` changes: its detail, its events, every list, its namespace's services. */
export function invalidateTaskCaches(qc: QueryClient, task: Pick<TaskDetail, "id" | "namespace">): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.task(task.id) }),
    qc.invalidateQueries({ queryKey: queryKeys.taskLists() }),
    qc.invalidateQueries({ queryKey: queryKeys.namespace(task.namespace) }),
  ]);
}

export function useCreateTask() {
  const qc = useQueryClient();
  return useMutation<TaskResponse, ApiError, TaskSpecInput>({
    mutationFn: (spec) => apiFetch<TaskResponse>("/api/tasks", { method: "POST", body: spec }),
    onSuccess: (res) => {
      qc.setQueryData(queryKeys.task(res.task.id), res);
      void qc.invalidateQueries({ queryKey: queryKeys.taskLists() });
      void qc.invalidateQueries({ queryKey: queryKeys.namespace(res.task.namespace) });
    },
  });
}

/** The task with `weights` applied as the configured split (what an optimistic setTraffic shows). */
export function withWeights(
  task: TaskDetail,
  weights: Record<string, number> | undefined,
  mirrorPercent: number | undefined,
): TaskDetail {
  return {
    ...task,
    weights: weights ?? task.weights,
    mirrorPercent: mirrorPercent ?? task.mirrorPercent,
    versions: task.versions.map((v) =>
      weights && v.version in weights ? { ...v, weight: weights[v.version] ?? v.weight } : v,
    ),
  };
}

interface OptimisticContext {
  previous: TaskResponse | undefined;
}

/**
 * POST /api/tasks/{id}/actions. setTraffic is optimistic: the new split shows at once and is
 * put back if the API refuses it (the caller shows the refusal).
 */
export function useTaskAction(id: string) {
  const qc = useQueryClient();
  return useMutation<TaskResponse, ApiError, ActionRequest, OptimisticContext>({
    mutationKey: taskMutationKey(id),
    mutationFn: (action) => apiFetch<TaskResponse>(`/api/tasks/${enc(id)}/actions`, { method: "POST", body: action }),
    onMutate: async (action) => {
      const key = queryKeys.task(id);
      await qc.cancelQueries({ queryKey: key });
      const previous = qc.getQueryData<TaskResponse>(key);
      if (previous && action.action === "setTraffic") {
        qc.setQueryData<TaskResponse>(key, { task: withWeights(previous.task, action.weights, action.mirrorPercent) });
      }
      return { previous };
    },
    onError: (_err, _action, ctx) => {
      if (ctx?.previous) qc.setQueryData(queryKeys.task(id), ctx.previous);
    },
    onSuccess: (res) => {
      qc.setQueryData(queryKeys.task(id), res);
    },
    onSettled: (res, _err, _action, ctx) => {
      const task = res?.task ?? ctx?.previous?.task;
      void qc.invalidateQueries({ queryKey: queryKeys.taskEvents(id) });
      if (task) void invalidateTaskCaches(qc, task);
      else void qc.invalidateQueries({ queryKey: queryKeys.tasks() });
    },
  });
}

/** DELETE /api/tasks/{id}: abort, restoring the service to how the task found it. */
export function useAbortTask(id: string) {
  const qc = useQueryClient();
  return useMutation<TaskResponse, ApiError, void>({
    mutationKey: taskMutationKey(id),
    mutationFn: () => apiFetch<TaskResponse>(`/api/tasks/${enc(id)}`, { method: "DELETE" }),
    onSuccess: (res) => {
      qc.setQueryData(queryKeys.task(id), res);
      void qc.invalidateQueries({ queryKey: queryKeys.taskEvents(id) });
      void invalidateTaskCaches(qc, res.task);
    },
  });
}

/** The wizard's step plan templates: built-in, then the namespace's saved ones. */
export function useStepTemplates(ns: string | undefined) {
  return useQuery<StepTemplatesResponse, ApiError>({
    queryKey: queryKeys.stepTemplates(ns ?? ""),
    queryFn: ({ signal }) =>
      apiFetch<StepTemplatesResponse>(`/api/namespaces/${enc(ns ?? "")}/step-templates`, { signal }),
    enabled: !!ns,
  });
}

/** DELETE /api/namespaces/{ns}/step-templates/{name}: a saved template (built-in ones cannot be). */
export function useDeleteStepTemplate(ns: string) {
  const qc = useQueryClient();
  return useMutation<unknown, ApiError, string>({
    mutationFn: (name) =>
      apiFetch<unknown>(`/api/namespaces/${enc(ns)}/step-templates/${enc(name)}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.stepTemplates(ns) }),
  });
}

export function useSaveStepTemplate(ns: string) {
  const qc = useQueryClient();
  return useMutation<StepTemplateResponse, ApiError, StepTemplateRequest>({
    mutationFn: (body) =>
      apiFetch<StepTemplateResponse>(`/api/namespaces/${enc(ns)}/step-templates`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.stepTemplates(ns) }),
  });
}
