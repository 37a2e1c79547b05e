// What the release use-cases answer (tasks, history, preview, audit), as zod schemas: the one
// source of these shapes, their TypeScript types inferred. lib/api/contracts registers them per
// route (OpenAPI document, response checks); this module knows nothing of HTTP. Fields may be
// added, never renamed (issue 3's REST contract).
import { z } from "zod";
import type { Same } from "@/lib/type-check";
import { TaskSpecSchema } from "@/lib/release/spec";
import { CHECK_SECTIONS } from "@/lib/release/spec-sections";
import { ACTIONS, STRATEGIES, TASK_STATES } from "@/lib/release/types";
import type { GroupSplit as ReleaseGroupSplit } from "@/lib/release/batch";
import type { Drift } from "@/lib/release/drift";
import type { ForeignRoute as ReleaseForeignRoute } from "@/lib/release/foreign-routes";
import type { StepView as ReleaseStepView } from "@/lib/release/ops";
import type { CreateSummary as ReleaseCreateSummary } from "@/lib/release/planner";
import { EntryRouteReading, RoutingReading, VersionGroup } from "@/lib/inventory/views";
import { DeliveryView, TargetView } from "@/lib/notify/schema";

const text = z.string();
const count = z.number().int();
const time = z.string().describe("ISO 8601 time");
const weights = z.record(z.string(), z.number()).describe("traffic share (0-100) per version label");

/** The task spec: the validator POST /api/tasks parses with, as the OpenAPI component TaskSpec. */
export const TaskSpec = TaskSpecSchema.meta({ id: "TaskSpec" });
/** The spec as GET answers it: notification targets without secrets or URL credentials. */
export const SpecView = TaskSpecSchema.safeExtend({ notifications: z.array(TargetView).optional() }).meta({
  id: "TaskSpecView",
});

/** A server message as a catalog key + params (lib/i18n/messages/errors-en.ts): the UI renders it in the reader's language. */
export const KeyedText = z
  .object({ key: text, params: z.record(z.string(), z.union([z.string(), z.number()])) })
  .meta({ id: "KeyedText" });
export type KeyedText = z.infer<typeof KeyedText>;
export type MessageText = KeyedText;

export const TaskSummary = z
  .object({
    id: text,
    name: text,
    namespace: text,
    service: text,
    strategy: z.enum(STRATEGIES),
    state: z.enum(TASK_STATES),
    baseVersion: text,
    newVersion: text,
    weights: weights.describe("configured weights per version (the jobs list shows them at a glance)"),
    mirrorPercent: z.number().nullable(),
    createdBy: text,
    createdAt: time,
    updatedAt: time,
    finishedAt: time.nullable(),
  })
  .meta({ id: "TaskSummary" });
export type TaskSummary = z.infer<typeof TaskSummary>;

export const PodSummary = z.object({
  name: text,
  phase: text,
  ready: z.boolean(),
  node: text.nullable(),
  startedAt: text.nullable(),
});
export type PodSummary = z.infer<typeof PodSummary>;
export const TaskVersion = VersionGroup.extend({
  role: z.enum(["base", "new", "other"]),
  weight: z.number().nullable().describe("configured traffic share (0-100) on the default route, null if it has none"),
  createdAt: text.nullable(),
  pods: z.array(PodSummary),
});
export type TaskVersion = z.infer<typeof TaskVersion>;

export const GroupSplit = z
  .object({
    group: count.describe("the group the confirm rolls out, 1-based"),
    total: count,
    last: z.boolean().describe("the base goes to 0 replicas and the new version takes all traffic"),
    newReplicas: count,
    baseReplicas: count,
    ratioWeights: weights.describe('the split by replica ratio (confirm weights "replicas", the default)'),
    overridden: z
      .boolean()
      .describe(
        "the current split differs from the replica ratio of the groups rolled out (someone set it with setTraffic)",
      ),
    keepable: z
      .boolean()
      .describe(
        'confirm weights "keep" is possible: not the last group, the base keeps pods, routed by a VirtualService',
      ),
  })
  .describe("what confirming the next group does; null when no group is left");
export type GroupSplit = z.infer<typeof GroupSplit>;
true satisfies Same<GroupSplit, ReleaseGroupSplit>;

export const BatchView = z.object({
  plan: z.array(count),
  current: count,
  total: count,
  groupsDone: count,
  awaitingConfirmation: z.boolean(),
  next: GroupSplit.nullable(),
});
export type BatchView = z.infer<typeof BatchView>;

const STEP_KINDS = ["setWeight", "pause", "analysis", "setMatch", "setMirror", "setReplicas", "batchGroup"] as const;
export const StepStateView = z
  .object({
    index: count.describe("the current step, 0-based"),
    kind: z.enum(STEP_KINDS),
    startedAt: time,
    until: time.optional().describe("a timed pause resumes itself / an analysis step ends at this time"),
    heldBy: z.literal("user").optional().describe("a person moved the slider: the steps wait for resume"),
    total: count,
    done: z.boolean().optional().describe("every step is done"),
    notStarted: z
      .boolean()
      .optional()
      .describe("held before step 1 was entered (a slider move right after create or retry): resume starts it"),
  })
  .meta({ id: "StepState" });
export const StepsView = z
  .object({
    plan: z
      .array(
        z.object({
          kind: z.enum(STEP_KINDS),
          value: z.number().optional(),
          duration: text.optional(),
          durationMs: z.number().optional(),
          match: z.array(z.unknown()).optional(),
          group: count.optional(),
        }),
      )
      .describe("the step plan (a batch's groups are steps, with the spec's steps between them)"),
    state: StepStateView.nullable().describe("where the task is in the plan; null: not started yet"),
  })
  .meta({ id: "TaskSteps" });
export type StepsView = z.infer<typeof StepsView>;

export const DriftEntry = z.object({ path: text, expected: z.unknown().optional(), actual: z.unknown().optional() });
export type DriftEntry = z.infer<typeof DriftEntry>;
export const TaskDrift = z
  .object({
    virtualService: z.array(DriftEntry).optional(),
    destinationRule: z.array(DriftEntry).optional(),
    entryRoutes: z.array(DriftEntry).optional(),
    httpRoute: z.array(DriftEntry).optional(),
  })
  .describe(
    "paths where the live VirtualService/DestinationRule (and followed entry routes), or the task's HTTPRoute rules and per-version Services, differ from what the task wrote",
  );
export type TaskDrift = z.infer<typeof TaskDrift>;
true satisfies Same<TaskDrift, Drift>;

const destination = z.object({
  host: text,
  subset: text.nullable(),
  version: text.nullable().describe("the version label the subset selects (this service's destinations only)"),
});
export const ForeignRoute = z
  .object({
    virtualService: text,
    index: count.describe("position in the VirtualService's http list"),
    name: text.nullable(),
    id: text.describe("<virtualService>/<route name or http[i]>: what moveRoutes lists"),
    gateways: z.array(text).describe("the VirtualService's gateways; empty for mesh routing"),
    match: z
      .array(
        z.array(
          z.object({
            field: text,
            name: text.nullable(),
            op: z.enum(["exact", "prefix", "regex", "present"]).nullable(),
            value: text.nullable(),
          }),
        ),
      )
      .describe("alternatives (ORed), each a list of conditions (ANDed); empty: every request"),
    destinations: z.array(destination.extend({ weight: z.number() })),
    mirror: destination.extend({ percent: z.number() }).nullable(),
    sends: z
      .boolean()
      .describe("sends requests to the old version now (a weight or mirror above 0), not only names it"),
  })
  .describe(
    "a route the task does not own that still uses the old version, read live; retireOld refuses (409) while one is not listed in moveRoutes",
  )
  .meta({ id: "ForeignRoute" });
export type ForeignRoute = z.infer<typeof ForeignRoute>;
true satisfies Same<ForeignRoute, ReleaseForeignRoute>;

export const StepView = z
  .union([
    z.object({ op: z.enum(["create", "replace", "delete"]), kind: text, name: text }),
    z.object({ op: z.literal("scale"), kind: text, name: text, from: count, to: count }),
    z.object({ op: z.literal("waitReady"), deployment: text, replicas: count }),
    z.object({ op: z.literal("drain"), version: text, seconds: z.number() }),
  ])
  .meta({ id: "StepView" });
export type StepView = z.infer<typeof StepView>;
true satisfies Same<StepView, ReleaseStepView>;

const OPERATION_STEP_STATES = ["pending", "running", "done", "failed", "undone", "skipped"] as const;
export const OperationStepView = z.object({
  description: text.describe("English (describeOp)"),
  step: StepView,
  state: z.enum(OPERATION_STEP_STATES),
  error: text.nullable(),
});
export type OperationStepView = z.infer<typeof OperationStepView>;

export const OperationView = z
  .object({
    id: text,
    action: text,
    actor: text,
    state: text.describe(
      "pending | running | waiting | compensating | needs-attention (unfinished); done | compensated | cancelled",
    ),
    summary: text,
    steps: z.array(OperationStepView),
    waiting: z
      .object({
        kind: z.enum(["ready", "drain"]),
        version: text,
        deployment: text.optional(),
        ready: count.optional(),
        desired: count.optional(),
        until: time,
      })
      .nullable()
      .describe("what the operation waits for now: pods of a version becoming Ready, or a drain delay"),
    error: text.nullable(),
    leftovers: z.array(text).describe("needs-attention: exactly what is left in the cluster from this operation"),
    leftoverSteps: z.array(StepView),
    attempts: count,
    nextAttemptAt: time.nullable(),
    createdAt: time,
  })
  .describe("the journalled operation still in flight (waiting for Ready pods, draining, needs attention)")
  .meta({ id: "OperationView" });
export type OperationView = z.infer<typeof OperationView>;

export const TaskDetail = TaskSummary.extend({
  spec: SpecView,
  revision: count,
  routingBackend: z
    .enum(["istio", "gateway-api", "none"])
    .describe(
      "the router the task steers: spec routing.backend, or detected at create (an HTTPRoute for the service: gateway-api; else istio); none: replica ratio",
    ),
  allowedActions: z.array(z.enum(ACTIONS)),
  batch: BatchView.nullable(),
  steps: StepsView.nullable().describe("the release steps, when the spec has them"),
  previewHeader: z.object({ name: text, value: text }).nullable(),
  versions: z.array(TaskVersion),
  routing: RoutingReading,
  entryRoutes: z
    .array(EntryRouteReading)
    .describe("the ingress gateway's routes that follow the task's weights, read live"),
  drift: TaskDrift.nullable(),
  foreignRoutes: z.array(ForeignRoute),
  clusterError: text
    .optional()
    .describe("set when the cluster could not be read: the task's own data is still returned"),
  clusterErrorText: KeyedText.optional(),
  operation: OperationView.nullable(),
  notifications: z
    .array(DeliveryView)
    .describe("the task's notification deliveries, newest first: pending and failed ones say why"),
}).meta({ id: "TaskDetail" });
export type TaskDetail = z.infer<typeof TaskDetail>;

export const TaskListResponse = z
  .object({ tasks: z.array(TaskSummary), total: count, page: count, pageSize: count })
  .meta({ id: "TaskListResponse" });
export type TaskListResponse = z.infer<typeof TaskListResponse>;
export const TaskResponse = z.object({ task: TaskDetail }).meta({ id: "TaskResponse" });
export type TaskResponse = z.infer<typeof TaskResponse>;

// ---- history ----

export const MovedRouteSnapshot = z.object({ id: text, to: text });
export type MovedRouteSnapshot = z.infer<typeof MovedRouteSnapshot>;
export const RoutingSnapshot = z
  .object({
    state: z.enum(TASK_STATES),
    weights,
    mirrorPercent: z.number().nullable(),
    batchGroup: count.nullable(),
    movedRoutes: z
      .array(MovedRouteSnapshot)
      .optional()
      .describe("foreign routes moved so far (absent in events recorded before they were kept)"),
  })
  .describe("routing as recorded in history: configured weights and the extras that shape traffic")
  .meta({ id: "RoutingSnapshot" });
export type RoutingSnapshot = z.infer<typeof RoutingSnapshot>;

const eventFields = {
  at: time,
  actor: text,
  actorGroups: z
    .array(text)
    .nullable()
    .describe("the actor's groups as authenticated; null for the console's own events"),
  actorSource: text.nullable().describe("the client's address the action came from"),
  action: text,
  before: RoutingSnapshot.nullable(),
  after: RoutingSnapshot.nullable(),
  resourceVersions: z.record(z.string(), z.string()).nullable(),
  result: z.enum(["ok", "error"]),
  error: text.nullable(),
  note: text.nullable().describe("what the reconciler did beyond the action (resumed, compensated, needs attention)"),
};
export const TaskEventView = z
  .object({
    id: text,
    ...eventFields,
    errorText: KeyedText.nullable().describe("`error` as a catalog message, when it has one"),
  })
  .meta({ id: "TaskEvent" });
export type TaskEventView = z.infer<typeof TaskEventView>;
export const TaskEventsResponse = z.object({ events: z.array(TaskEventView) }).meta({ id: "TaskEventsResponse" });
export type TaskEventsResponse = z.infer<typeof TaskEventsResponse>;

/** One recorded action in the audit export, with the task it belongs to. */
export const AuditEvent = z
  .object({ namespace: text, service: text, task: text, taskId: text, ...eventFields })
  .meta({ id: "AuditEvent" });
export type AuditEvent = z.infer<typeof AuditEvent>;
export const AuditResponse = z
  .object({
    events: z.array(AuditEvent),
    truncated: z.boolean().describe("the limit was reached; ask again with `since` set to the last event's time"),
  })
  .meta({ id: "AuditResponse" });
export type AuditResponse = z.infer<typeof AuditResponse>;

// ---- preview ----

export const PreviewObject = z.object({
  op: z.enum(["create", "replace", "delete", "scale"]),
  kind: text,
  name: text,
  namespace: text,
  object: z.record(z.string(), z.unknown()).describe("the object as applied (a scale: {spec: {replicas}})"),
});
export type PreviewObject = z.infer<typeof PreviewObject>;
export const PreviewDiffEntry = z.object({
  op: text,
  kind: text,
  name: text,
  before: text.optional(),
  after: text.optional(),
});
export type PreviewDiffEntry = z.infer<typeof PreviewDiffEntry>;

export const CreateSummary = z
  .object({
    strategy: z.enum(STRATEGIES),
    service: text,
    baseVersion: text,
    newVersion: text,
    image: text,
    newReplicas: count,
    weights: z.array(z.object({ version: text, weight: z.number() })).nullable(),
    replicas: z
      .object({ newDeployment: text, newReplicas: count, baseDeployment: text, baseTarget: count.nullable() })
      .nullable(),
    mirrorPercent: z.number().nullable(),
    ownedRoutes: z.array(text),
    entryRoutes: z.array(text),
    batch: z.object({ total: count, plan: z.array(count) }).nullable(),
  })
  .describe("the create plan's summary as data, worded by the UI");
export type CreateSummary = z.infer<typeof CreateSummary>;
true satisfies Same<CreateSummary, ReleaseCreateSummary>;

export const PreviewResponse = z
  .object({
    yaml: text,
    objects: z.array(PreviewObject),
    diff: z.array(PreviewDiffEntry),
    baseVersion: text,
    summary: text.describe("English"),
    summaryView: CreateSummary,
  })
  .meta({ id: "PreviewResponse" });
export type PreviewResponse = z.infer<typeof PreviewResponse>;

/** POST /api/tasks/preview?check=<section>: the spec's fields through that section passed every check (problems are 4xx answers). */
export const PreviewCheckResponse = z
  .object({ check: z.enum(CHECK_SECTIONS), ok: z.literal(true) })
  .meta({ id: "PreviewCheckResponse" });
export type PreviewCheckResponse = z.infer<typeof PreviewCheckResponse>;
