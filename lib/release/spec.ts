// Request schema of a release task (zod v4). PURE. The strategy-specific part of `traffic` and
// `batch` is each strategy module's (lib/release/strategies): which fields it takes and its
// checks. Every error carries a `path` naming the offending field so the API can tell the user
// exactly what to fix; formatZodError (spec-errors.ts) turns that into the API's error body.
import { z } from "zod";
import { localized } from "@/lib/i18n/localized";
import { STRATEGIES } from "./types";
import { ROUTING_BACKENDS } from "./routing/backend";
import { strategyOf, type IssueAt, type TrafficField } from "./strategies";
import {
  annotationKey,
  dnsLabel,
  envVar,
  imageReference,
  msg,
  newVersionLabel,
  probe,
  resources,
  textIssue,
  versionRef,
} from "./spec-rules";
import { COOKIE_NAME, COOKIE_VALUE, headerName, matchRules, weightValue, WeightsSchema } from "./match-schema";
import { NotificationTargetsSchema } from "@/lib/notify/schema";
import { AnalysisSchema, OnFailureSchema } from "./analysis-schema";
import { StepsSchema } from "./steps-schema";

export {
  dnsLabel,
  versionRef,
  newVersionLabel,
  imageReferenceIssue,
  imageReferenceProblem,
  imageReference,
  annotationKeyIssue,
  annotationKeyProblem,
} from "./spec-rules";
export {
  regexIssue,
  regexProblem,
  MatchRuleSchema,
  WeightsSchema,
  OS_VALUES,
  BROWSER_VALUES,
  type MatchRule,
  type Weights,
} from "./match-schema";
export { ActionRequestSchema, type ActionRequest } from "./action-schema";
export { formatPath, formatZodError, type FieldError } from "./spec-errors";

const variant = z
  .object({
    name: dnsLabel,
    version: versionRef,
    match: matchRules.optional(),
    weight: weightValue.optional(),
  })
  .strict();

const NewVersionSchema = z
  .object({
    version: newVersionLabel,
    image: imageReference,
    replicas: z
      .number({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
      .int({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
      .min(0, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
      .max(100, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
      .default(1),
    resources: resources.optional(),
    env: z.array(envVar).max(200).optional(),
    readinessProbe: probe.optional(),
    livenessProbe: probe.optional(),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    /** Pod template annotations of the new Deployment, merged over the base's. */
    annotations: z.record(annotationKey, z.string()).optional(),
  })
  .strict();

const seconds = (min: number, max: number) =>
  z
    .number({ error: msg("err.spec.intBetween", { min, max }) })
    .int({ error: msg("err.spec.intBetween", { min, max }) })
    .min(min, { error: msg("err.spec.intBetween", { min, max }) })
    .max(max, { error: msg("err.spec.intBetween", { min, max }) });
// Argo Rollouts' progressDeadlineSeconds (600) and scaleDownDelaySeconds (30) are the defaults.
export const DEFAULT_READY_TIMEOUT_SECONDS = 600;
export const DEFAULT_DRAIN_SECONDS = 30;
const RolloutSchema = z
  .object({
    /** How long a new version may take to have all its desired pods Ready before the step fails. */
    readyTimeoutSeconds: seconds(1, 3600).optional(),
    /** How long requests in flight to a version that lost its routes may finish before its pods go (0 = none). */
    drainSeconds: seconds(0, 3600).optional(),
  })
  .strict();

/**
 * What the task does with routes of gateway-bound VirtualServices (the ingress gateway's) that
 * send to the service: "follow" (default) gives each the task's version weights as an owned,
 * recorded change, and refuses to start when one cannot be followed safely; "ignore" leaves
 * them as they are (users entering through that gateway then never reach the new version).
 */
export const ENTRY_ROUTE_MODES = ["follow", "ignore"] as const;
const RoutingSchema = z
  .object({
    entryRoutes: z
      .enum(ENTRY_ROUTE_MODES, { error: msg("err.spec.oneOf", { values: ENTRY_ROUTE_MODES.join(", ") }) })
      .optional()
      .describe(
        'Routes of gateway-bound VirtualServices (the ingress gateway\'s) that send to the service. "follow" (default): each gets the task\'s version weights as an owned change, abort restores it; a route that cannot be followed (its own split, several hosts, a mirror to the service, another version\'s subset) refuses the create. "ignore": leave them as they are.',
      ),
    backend: z
      .enum(ROUTING_BACKENDS, { error: msg("err.spec.oneOf", { values: ROUTING_BACKENDS.join(", ") }) })
      .optional()
      .describe(
        'The router the task steers (lib/release/routing): "istio" (VirtualService + DestinationRule), "gateway-api" (a Gateway API HTTPRoute with per-version Services <service>-<version> as backendRefs), "none" (no router: traffic follows replica counts; no match rules, no mirror). Omitted: the one the service uses (an HTTPRoute that attaches to or sends to the service: gateway-api; else istio).',
      ),
  })
  .strict();

const TrafficSchema = z
  .object({
    weights: WeightsSchema.optional(),
    match: matchRules.optional(),
    matchWeight: z
      .number()
      .int({ error: msg("err.spec.intBetween", { min: 1, max: 100 }) })
      .min(1, { error: msg("err.spec.intBetween", { min: 1, max: 100 }) })
      .max(100, { error: msg("err.spec.intBetween", { min: 1, max: 100 }) })
      .optional(),
    mirrorPercent: z
      .number({ error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .min(0, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .max(100, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .optional(),
    previewHeader: z
      .object({ name: headerName, value: z.string().min(1, { error: msg("err.spec.notEmpty") }) })
      .strict()
      .optional(),
    /**
     * Blue-green: requests whose Cookie header carries `name=value` also reach the new version
     * before the switch (a browser keeps a cookie across every call an app forwards it on).
     */
    previewCookie: z
      .object({
        name: z.string().regex(COOKIE_NAME, { error: msg("err.spec.cookieName") }),
        value: z
          .string()
          .min(1, { error: msg("err.spec.notEmpty") })
          .regex(COOKIE_VALUE, { error: msg("err.spec.cookieValue") }),
      })
      .strict()
      .optional(),
    variants: z.array(variant).optional(),
  })
  .strict();

const BatchSchema = z
  .object({
    groups: z
      .number()
      .int({ error: msg("err.spec.intBetween", { min: 1, max: 100 }) })
      .min(1, { error: msg("err.spec.intBetween", { min: 1, max: 100 }) })
      .max(100, { error: msg("err.spec.intBetween", { min: 1, max: 100 }) }),
    betaGroup: z.boolean().optional(),
    // false means the orchestrator confirms each group itself once it is ready.
    pauseBetweenGroups: z.boolean().default(true),
  })
  .strict();

export const TaskSpecSchema = z
  .object({
    name: dnsLabel,
    namespace: dnsLabel,
    service: dnsLabel,
    baseVersion: versionRef.optional(),
    strategy: z.enum(STRATEGIES, { error: msg("err.spec.oneOf", { values: STRATEGIES.join(", ") }) }),
    newVersion: NewVersionSchema,
    traffic: TrafficSchema.optional(),
    batch: BatchSchema.optional(),
    rollout: RolloutSchema.optional(),
    routing: RoutingSchema.optional(),
    notifications: NotificationTargetsSchema.optional(),
    analysis: AnalysisSchema.optional(),
    onFailure: OnFailureSchema.optional(),
    steps: StepsSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const issue: IssueAt = (path, key, params) => ctx.addIssue(textIssue(localized(key, params), path));
    const nv = spec.newVersion.version;
    if (spec.baseVersion !== undefined && spec.baseVersion === nv)
      issue(["newVersion", "version"], "err.spec.differsFromBase", { version: nv });
    const strategy = strategyOf(spec.strategy);
    refuseForeignSettings(spec, strategy.trafficFields, strategy.capabilities.hasBatches, issue);
    strategy.checkSpec(spec, issue);
  });
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
/** What clients send (before defaults are applied). */
export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

/**
 * Traffic fields (and a batch section) the strategy does not understand are refused rather than
 * silently ignored, so a user never believes a setting took effect when it did not.
 */
function refuseForeignSettings(
  spec: { strategy: string; traffic?: Partial<Record<TrafficField, unknown>>; batch?: unknown },
  allowed: readonly TrafficField[],
  batches: boolean,
  issue: IssueAt,
): void {
  const t = spec.traffic ?? {};
  for (const field of Object.keys(t) as TrafficField[]) {
    if (t[field] !== undefined && !allowed.includes(field))
      issue(["traffic", field], "err.spec.notUsedByStrategy", { strategyKey: `err.word.strategy.${spec.strategy}` });
  }
  if (spec.batch !== undefined && !batches) issue(["batch"], "err.spec.batchOnly");
}
