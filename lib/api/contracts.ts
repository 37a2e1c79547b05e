// Response shapes of the read API, shared by route handlers and the UI's query hooks.

/** A message the server words as a catalog key + params; the UI renders it in the reader's language. */
export interface MessageText {
  key: string;
  params: Record<string, string | number>;
}
import type { RoutingReading, VersionGroup } from "@/lib/release/routing";
import type { EntryRouteReading } from "@/lib/release/entry-routes";
export type { EntryRouteReading };

export interface HealthResponse {
  kubernetes: { ok: boolean; version: string | null; error?: string };
  database: { ok: boolean; kind: "sqlite" | "postgresql"; error?: string };
  prometheus: { ok: boolean; url: string; error?: string };
  /** The task reconciler's leader election: exactly one console process writes to the cluster. */
  reconciler: { lease: string; identity: string | null; leader: boolean; holder: string | null; error?: string };
}

export interface NodeSummary { name: string; ready: boolean; fake: boolean; cpu: string | null; memory: string | null; pods: string | null; createdAt: string | null }
/** `nodesHidden`: the user may not list Nodes (RBAC), so `nodes` is empty; `namespaces` counts those the user may see. */
export interface ClusterResponse { version: string; nodes: NodeSummary[]; namespaces: number; nodesHidden?: boolean }

export interface NamespaceSummary { name: string; phase: string; createdAt: string | null; labels: Record<string, string> }
export interface NamespacesResponse { namespaces: NamespaceSummary[] }

/** `baseVersion`/`newVersion`: the service's pages colour them as the task page does. */
export interface ActiveTaskRef { id: string; name: string; state: string; strategy: string; baseVersion: string; newVersion: string }
export interface ServiceOverview {
  name: string;
  namespace: string;
  ports: { port: number; name?: string; protocol?: string }[];
  selector: Record<string, string>;
  versions: VersionGroup[];
  routing: RoutingReading;
  /** Routes of gateway-bound VirtualServices (the ingress gateway's) that send users to this service. */
  entryRoutes: EntryRouteReading[];
  destinationRule: { name: string; subsets: string[] } | null;
  activeTask: ActiveTaskRef | null;
}
export interface ServicesResponse { namespace: string; istioAvailable: boolean; services: ServiceOverview[] }
export interface ServiceResponse { service: ServiceOverview; istioAvailable: boolean }

// ---- release tasks (issue 3 REST contract; fields may be added, never renamed) ----
import type { ActionName, Strategy, TaskState } from "@/lib/release/types";
import type { TaskSpec } from "@/lib/release/spec";

export interface PodSummary { name: string; phase: string; ready: boolean; node: string | null; startedAt: string | null }
export interface TaskVersion {
  version: string;
  role: "base" | "new" | "other";
  deployments: string[];
  image: string;
  replicas: { ready: number; desired: number };
  /** Configured traffic share (0-100) of this version on the default route, null if it has none. */
  weight: number | null;
  createdAt: string | null;
  pods: PodSummary[];
}
import type { Drift, DriftEntry as ReleaseDriftEntry } from "@/lib/release/drift";
export type DriftEntry = ReleaseDriftEntry;
export type TaskDrift = Drift;
import type { GroupSplit } from "@/lib/release/batch";
import type { ForeignRoute } from "@/lib/release/foreign-routes";
export type { ForeignRoute, GroupSplit };
/** `next`: what confirming the next group does (replicas, the split by replica ratio, whether the current split can be kept); null when none is left. */
export interface BatchView { plan: number[]; current: number; total: number; groupsDone: number; awaitingConfirmation: boolean; next: GroupSplit | null }

export interface TaskSummary {
  id: string;
  name: string;
  namespace: string;
  service: string;
  strategy: Strategy;
  state: TaskState;
  baseVersion: string;
  newVersion: string;
  /** Configured weights per version (the jobs list shows them at a glance). */
  weights: Record<string, number>;
  mirrorPercent: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
export interface TaskDetail extends TaskSummary {
  /** As submitted, except notification targets: no secrets (secretSet), no credentials in URLs. */
  spec: SpecView;
  revision: number;
  allowedActions: ActionName[];
  batch: BatchView | null;
  previewHeader: { name: string; value: string } | null;
  versions: TaskVersion[];
  routing: RoutingReading;
  /** The ingress gateway's routes that follow the task's weights (live weights; null for one that is gone). */
  entryRoutes: EntryRouteReading[];
  drift: TaskDrift | null;
  /**
   * Routes the task does not own (any VirtualService for the host, gateway ones that are not its
   * entry routes) that still use the old version, read live: retireOld refuses while one is not
   * listed in moveRoutes; takeover, switch and the last batch group may move them.
   */
  foreignRoutes: ForeignRoute[];
  /** Set when the cluster could not be read: the task's own data is still returned. */
  clusterError?: string;
  /** clusterError as catalog key + params (lib/i18n/messages/errors-en.ts). */
  clusterErrorText?: MessageText;
  /** The journalled operation still in flight (waiting for Ready pods, draining, needs attention), else null. */
  operation: OperationView | null;
  /** The task's notification deliveries, newest first: pending and failed ones say why. */
  notifications: DeliveryView[];
}
import type { DeliveryView, SpecView } from "@/lib/notify/schema";
export type { DeliveryView };

/** `description`: English (describeOp); `step`: the same as data, worded by the UI. */
export interface OperationStepView { description: string; step: StepView; state: "pending" | "running" | "done" | "failed" | "undone" | "skipped"; error: string | null }
import type { StepView } from "@/lib/release/ops";
export type { StepView };
export interface OperationView {
  id: string;
  action: string;
  actor: string;
  /** pending | running | waiting | compensating | needs-attention (unfinished); done | compensated | cancelled */
  state: string;
  summary: string;
  steps: OperationStepView[];
  /** What the operation waits for now: pods of a version becoming Ready, or a drain delay. */
  waiting: { kind: "ready" | "drain"; version: string; deployment?: string; ready?: number; desired?: number; until: string } | null;
  error: string | null;
  /** needs-attention: exactly what is left in the cluster from this operation. */
  leftovers: string[];
  /** `leftovers` as data (same order). */
  leftoverSteps: StepView[];
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
}
export interface TaskListResponse { tasks: TaskSummary[]; total: number; page: number; pageSize: number }
export interface TaskResponse { task: TaskDetail }

/** Routing as recorded in history: configured weights and the extras that shape traffic. */
/** `movedRoutes`: foreign routes the task has moved to another version so far (absent in events recorded before they were kept). */
export interface RoutingSnapshot { state: TaskState; weights: Record<string, number>; mirrorPercent: number | null; batchGroup: number | null; movedRoutes?: MovedRouteSnapshot[] }
export interface MovedRouteSnapshot { id: string; to: string }
/** A server message as a catalog key + params (lib/i18n/messages/errors-en.ts). */
export interface KeyedText { key: string; params: Record<string, string | number> }
export interface TaskEventView {
  id: string;
  at: string;
  actor: string;
  /** The actor's groups as authenticated; null for the console's own events and those recorded before sign-in existed. */
  actorGroups: string[] | null;
  /** The client's address the action came from. */
  actorSource: string | null;
  action: string;
  before: RoutingSnapshot | null;
  after: RoutingSnapshot | null;
  resourceVersions: Record<string, string> | null;
  result: "ok" | "error";
  error: string | null;
  /** `error` as a catalog message, when it has one: render it in the reader's language. */
  errorText: KeyedText | null;
  /** What the reconciler did beyond the action (resumed after a restart, compensated, needs attention). */
  note: string | null;
}
export interface TaskEventsResponse { events: TaskEventView[] }

export interface PreviewObject { op: "create" | "replace" | "delete" | "scale"; kind: string; name: string; namespace: string; object: unknown }
export interface PreviewDiffEntry { op: string; kind: string; name: string; before?: string; after?: string }
/** `summary`: English; `summaryView`: the same as data, worded by the UI. */
export interface PreviewResponse { yaml: string; objects: PreviewObject[]; diff: PreviewDiffEntry[]; baseVersion: string; summary: string; summaryView: CreateSummary }
import type { CreateSummary } from "@/lib/release/planner";
export type { CreateSummary };
/** POST /api/tasks/preview?check=<section>: the spec's fields through that section passed every check (problems are 4xx answers). */
export interface PreviewCheckResponse { check: CheckSection; ok: true }
import type { CheckSection } from "@/lib/release/spec-sections";

// ---- live metrics (issue 5) ----
import type { TrafficSummary, VersionMetrics } from "@/lib/metrics/version-metrics";
import type { WeightPoint } from "@/lib/metrics/range";
import type { PodCounts, VersionStatus } from "@/lib/metrics/version-status";

/** Observed per-version metrics next to the configured weights, for a task or a service. */
export interface MetricsResponse extends VersionMetrics {
  /** Configured weight per version as a step line over the same range. */
  configured: Record<string, WeightPoint[]>;
  /** Gray vs main since the last routing change (or the last 5 minutes). */
  summary: TrafficSummary;
  /** Ready/desired pods per version from the cluster; null when the cluster could not be read. */
  pods: Record<string, PodCounts> | null;
  /** One word per version; "no-ready-pods" whatever the metrics say when no pod of it is Ready. */
  versionStatus: Record<string, VersionStatus>;
  /**
   * Set for a task's metrics: `versions` then holds its base and new versions and, as
   * "__other__" (OTHER_TRAFFIC), every other version's traffic summed; `startedAt` (unix
   * seconds) is where the charts mark the task's start.
   */
  task?: { baseVersion: string; newVersion: string; startedAt: number };
}

/** One recorded action in the audit export (GET /api/audit), with the task it belongs to. */
export interface AuditEvent {
  at: string;
  namespace: string;
  service: string;
  task: string;
  taskId: string;
  actor: string;
  actorGroups: string[] | null;
  actorSource: string | null;
  action: string;
  result: "ok" | "error";
  before: RoutingSnapshot | null;
  after: RoutingSnapshot | null;
  resourceVersions: Record<string, string> | null;
  error: string | null;
  note: string | null;
}
/** `truncated`: the limit was reached; ask again with `since` set to the last event's time. */
export interface AuditResponse { events: AuditEvent[]; truncated: boolean }

/** Every error code the API answers with (`{error:{code,message,details}}`): one list for the server, the client and the OpenAPI document. */
export const ERROR_CODES = [
  "invalid_argument",
  "bad_json",
  "cross_site",
  "csrf_token",
  "unauthenticated",
  "forbidden",
  "auth_mode",
  "unsupported_media_type",
  "not_found",
  "conflict",
  "illegal_transition",
  "drift",
  "rejected_by_cluster",
  "cluster_unreachable",
  "metrics_unavailable",
  "database_unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

// ---- sign-in and permissions (issue 10) ----
export type AuthMode = "token" | "oidc" | "proxy" | "none";
/** How the caller of this request was recognised. */
export type AuthVia = "session" | "bearer" | "proxy" | "none";
export interface SessionUser {
  /** The Kubernetes user name the apiserver sees (e.g. system:serviceaccount:bookinfo:deployer, oidc:alice@example.com). */
  name: string;
  groups: string[];
  via: AuthVia;
}
/** GET /api/auth/session: never 401; says whether (and as whom) the caller is signed in. */
export interface AuthSessionResponse {
  mode: AuthMode;
  user: SessionUser | null;
  /** When the session cookie stops being accepted (ISO time); null without a cookie session. */
  expiresAt: string | null;
  /** Send as X-CSRF-Token on every POST/DELETE made with the session cookie; null when none is needed. */
  csrfToken: string | null;
  /** Where the sign-out button goes after POST /api/auth/logout (oauth2-proxy's sign-out in proxy mode). */
  signOutUrl: string | null;
}
/** POST /api/auth/logout */
export interface LogoutResponse { signedOut: true; redirect: string | null }

export interface AccessCheck { verb: string; group: string; resource: string; allowed: boolean; reason: string | null }
/** GET /api/namespaces/:ns/permissions: what the caller may do there, as the apiserver answers (SelfSubjectAccessReview). */
export interface PermissionsResponse {
  namespace: string;
  user: string;
  /** May see services, versions and release tasks there. */
  view: { allowed: boolean; reason: string | null };
  /** May create and drive release tasks there (every write a release makes). */
  change: { allowed: boolean; reason: string | null; denied: AccessCheck[] };
  checks: AccessCheck[];
}
