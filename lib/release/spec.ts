// Request schemas for release tasks and task actions (zod v4). PURE.
// Every error carries a `path` naming the offending field so the API can tell the user
// exactly what to fix; formatZodError turns that into the API's error body.
import { re2CompileError } from "./re2/compile";
import { z } from "zod";
import { english, isErrorKey, localized, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";
import { STRATEGIES } from "./types";
import { NotificationTargetsSchema } from "@/lib/notify/schema";

/**
 * A zod message that is a catalog key (errors-en.ts), its params appended as JSON: zod keeps a
 * message as one string, formatZodError splits it again and renders the English.
 */
function msg(key: ErrorKey, params?: MessageVars): string {
  return params ? `${key}${JSON.stringify(params)}` : key;
}

/** A custom zod issue saying `text` at `path` (relative to the refined value). */
function textIssue(text: Localized, path?: (string | number)[]): z.core.$ZodRawIssue {
  return { code: "custom", message: msg(text.key, text.params), input: undefined, ...(path ? { path } : {}) };
}

// ---------- primitive rules ----------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z
  .string()
  .max(63, { error: msg("err.spec.maxChars", { max: 63 }) })
  .regex(DNS1123_LABEL, { error: msg("err.spec.dnsLabel") });

// A version label is any Kubernetes label value (Bookinfo has `v2-mysql`; releases say `v2.1`,
// `1.4.0-rc1`): what the console derives from it (Deployment name, DR subset name) is made a
// DNS-1123 label in lib/release/subsets.ts, so the label itself need not be one.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const versionRef = z
  .string()
  .min(1, { error: msg("err.spec.notEmpty") })
  .max(63, { error: msg("err.spec.maxChars", { max: 63 }) })
  .regex(LABEL_VALUE, { error: msg("err.spec.labelValue") });
/** The version of a NEW release: the same rule as any version label. */
export const newVersionLabel = versionRef;

// OCI / Docker image reference grammar (distribution/reference), anchored.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const IMAGE_TAG = "[\\w][\\w.-]{0,127}";
const IMAGE_DIGEST = "([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})";
const IMAGE_REFERENCE = new RegExp(`^(${IMAGE_NAME})(?::(${IMAGE_TAG}))?(?:@${IMAGE_DIGEST})?$`);
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

/**
 * The grammar lets a first component with capitals pass as a registry host (`UPPER/case:1`);
 * distribution's own tests keep that case as a FIXME (distribution/reference reference_test.go,
 * "Uppercase/lowercase:tag"). Docker takes the first component for a host only when it has a '.'
 * or ':' or is `localhost` (splitDockerDomain, distribution/reference normalize.go); anything else
 * is part of the repository, which must be lowercase.
 */
function uppercaseRepository(name: string): boolean {
  const slash = name.indexOf("/");
  if (slash < 0) return false;
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === "localhost";
  return !isHost && first !== first.toLowerCase();
}

/** Why `ref` is not a valid image reference, or null when it is. */
export function imageReferenceIssue(ref: string): Localized | null {
  if (ref.length === 0) return localized("err.spec.notEmpty");
  if (/\s/.test(ref)) return localized("err.spec.image.whitespace");
  const m = IMAGE_REFERENCE.exec(ref);
  if (!m) return localized("err.spec.image.invalid");
  const name = m[1] ?? "";
  if (uppercaseRepository(name)) return localized("err.spec.image.uppercase");
  if (name.length > 255) return localized("err.spec.image.tooLong");
  const algorithm = m[3];
  const hex = m[4];
  if (algorithm && hex) {
    const expected = DIGEST_HEX_LENGTH[algorithm];
    if (expected !== undefined && hex.length !== expected) return localized("err.spec.image.digestLength", { algorithm, length: expected });
  }
  return null;
}
/** imageReferenceIssue in English. */
export function imageReferenceProblem(ref: string): string | null {
  const issue = imageReferenceIssue(ref);
  return issue ? english(issue) : null;
}
export const imageReference = z.string().superRefine((v, ctx) => {
  const issue = imageReferenceIssue(v);
  if (issue) ctx.addIssue(textIssue(issue));
});

// Kubernetes resource.Quantity (non-negative: requests/limits cannot be negative).
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const quantity = z
  .union([z.string(), z.number().nonnegative()])
  .transform((v) => String(v))
  .refine((v) => QUANTITY.test(v), { error: msg("err.spec.quantity") });
const resourceList = z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict();
const resources = z.object({ requests: resourceList.optional(), limits: resourceList.optional() }).strict();

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const envName = z.string().regex(ENV_NAME, { error: msg("err.spec.envName") });
const keyRef = z.object({ name: dnsSubdomain(), key: z.string().min(1, { error: msg("err.spec.notEmpty") }) }).strict();
function dnsSubdomain() {
  return z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: msg("err.spec.dnsSubdomain") });
}
const envVar = z.union([
  z.object({ name: envName, value: z.string() }).strict(),
  z.object({ name: envName, secretKeyRef: keyRef }).strict(),
  z.object({ name: envName, configMapKeyRef: keyRef }).strict(),
]);

const port = z.union([
  z.number().int().min(1, { error: msg("err.spec.port") }).max(65535, { error: msg("err.spec.port") }),
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: msg("err.spec.namedPort") }).max(15),
]);
const probe = z
  .object({
    httpGet: z.object({ path: z.string().startsWith("/", { error: msg("err.spec.startsWithSlash") }), port }).strict().optional(),
    tcpSocket: z.object({ port }).strict().optional(),
    exec: z.object({ command: z.array(z.string()).min(1, { error: msg("err.spec.atLeastOneElement") }) }).strict().optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const handlers = [p.httpGet, p.tcpSocket, p.exec].filter((h) => h !== undefined).length;
    if (handlers !== 1) ctx.addIssue(textIssue(localized("err.spec.probeHandler")));
  });

// ---------- match rules ----------

/** Why `re` cannot be used as an Istio (RE2) regex, or null when it can. */
export function regexIssue(re: string): Localized | null {
  if (re.length === 0) return localized("err.spec.regex.empty");
  // RE2 has no lookarounds and no backreferences: name them, since they are what people try.
  if (/\(\?(=|!|<=|<!)/.test(re)) return localized("err.spec.regex.lookaround");
  if (/\\[1-9]/.test(re)) return localized("err.spec.regex.backreference");
  // re2js ports RE2/J, itself a port of Go's regexp: the parser istiod validates StringMatch.regex
  // with (Go's regexp.Compile) and the syntax Envoy's RE2 runs. So `(?i)jason` is fine here.
  const reason = re2CompileError(re);
  return reason === null ? null : localized("err.spec.regex.compile", { reason });
}
/** regexIssue in English (istiod's validation words it the same way). */
export function regexProblem(re: string): string | null {
  const issue = regexIssue(re);
  return issue ? english(issue) : null;
}

const stringOp = z.enum(["exact", "prefix", "regex"]);
// HTTP header names are case-insensitive and Istio requires them lowercase, so lowercasing keeps meaning.
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_]*$/, { error: msg("err.spec.headerName") })
  .transform((v) => v.toLowerCase());
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[^\s;,"\\]*$/;

const headerRule = z
  .object({ kind: z.literal("header"), name: headerName, op: stringOp, value: z.string().min(1, { error: msg("err.spec.notEmpty") }) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const issue = regexIssue(r.value);
      if (issue) ctx.addIssue(textIssue(issue, ["value"]));
    }
  });
const cookieRule = z
  .object({
    kind: z.literal("cookie"),
    name: z.string().regex(COOKIE_NAME, { error: msg("err.spec.cookieName") }),
    value: z.string().regex(COOKIE_VALUE, { error: msg("err.spec.cookieValue") }),
  })
  .strict();
const uriRule = z
  .object({ kind: z.literal("uri"), op: stringOp, value: z.string().min(1, { error: msg("err.spec.notEmpty") }) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const issue = regexIssue(r.value);
      if (issue) ctx.addIssue(textIssue(issue, ["value"]));
    } else if (!r.value.startsWith("/")) {
      ctx.addIssue(textIssue(localized("err.spec.startsWithSlash"), ["value"]));
    }
  });
export { OS_VALUES, BROWSER_VALUES } from "./match-values";
import { OS_VALUES, BROWSER_VALUES } from "./match-values";
const osRule = z.object({ kind: z.literal("os"), value: z.enum(OS_VALUES) }).strict();
const browserRule = z.object({ kind: z.literal("browser"), value: z.enum(BROWSER_VALUES) }).strict();

export const MatchRuleSchema = z.discriminatedUnion("kind", [headerRule, cookieRule, uriRule, osRule, browserRule]);
export type MatchRule = z.infer<typeof MatchRuleSchema>;
const matchRules = z.array(MatchRuleSchema).min(1, { error: msg("err.spec.atLeastOneRule") }).max(16);

// ---------- weights ----------

const weightValue = z
  .number({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .int({ error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .min(0, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) })
  .max(100, { error: msg("err.spec.intBetween", { min: 0, max: 100 }) });
export const WeightsSchema = z.record(versionRef, weightValue).superRefine((w, ctx) => {
  const values = Object.values(w);
  if (values.length === 0) {
    ctx.addIssue(textIssue(localized("err.spec.weightsEmpty")));
    return;
  }
  if (values.every((v) => Number.isInteger(v))) {
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum !== 100) ctx.addIssue(textIssue(localized("err.spec.weightsSum", { sum })));
  }
});
export type Weights = z.infer<typeof WeightsSchema>;

// ---------- task spec ----------

const variant = z
  .object({
    name: dnsLabel,
    version: versionRef,
    match: matchRules.optional(),
    weight: weightValue.optional(),
  })
  .strict();

// Kubernetes annotation keys: [prefix/]name, prefix a DNS-1123 subdomain (<= 253), name a
// qualified name (<= 63: alphanumerics, '-', '_', '.', starting and ending alphanumeric).
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Why `key` is not a Kubernetes annotation key, or null when it is. */
export function annotationKeyIssue(key: string): Localized | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return localized("err.spec.annotationPrefix", { name: JSON.stringify(key) });
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return localized("err.spec.annotationName", { name: JSON.stringify(key) });
  return null;
}
/** annotationKeyIssue in English. */
export function annotationKeyProblem(key: string): string | null {
  const issue = annotationKeyIssue(key);
  return issue ? english(issue) : null;
}
const annotationKey = z.string().superRefine((k, ctx) => {
  const issue = annotationKeyIssue(k);
  if (issue) ctx.addIssue(textIssue(issue));
});

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
    previewHeader: z.object({ name: headerName, value: z.string().min(1, { error: msg("err.spec.notEmpty") }) }).strict().optional(),
    /**
     * Blue-green: requests whose Cookie header carries `name=value` also reach the new version
     * before the switch (a browser keeps a cookie across every call an app forwards it on).
     */
    previewCookie: z
      .object({
        name: z.string().regex(COOKIE_NAME, { error: msg("err.spec.cookieName") }),
        value: z.string().min(1, { error: msg("err.spec.notEmpty") }).regex(COOKIE_VALUE, { error: msg("err.spec.cookieValue") }),
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

type TrafficField = "weights" | "match" | "matchWeight" | "mirrorPercent" | "previewHeader" | "previewCookie" | "variants";
// Which traffic fields each strategy understands; anything else is refused rather than
// silently ignored, so a user never believes a setting took effect when it did not.
const TRAFFIC_FIELDS: Record<(typeof STRATEGIES)[number], TrafficField[]> = {
  canary: ["weights", "match", "matchWeight"],
  "blue-green": ["previewHeader", "previewCookie"],
  "ab-test": ["variants"],
  mirror: ["mirrorPercent"],
  batch: [],
  "replica-canary": ["weights"],
};

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
  })
  .strict()
  .superRefine((spec, ctx) => {
    const t = spec.traffic ?? {};
    const nv = spec.newVersion.version;
    const issue: IssueAt = (path, key, params) => ctx.addIssue(textIssue(localized(key, params), path));

    if (spec.baseVersion !== undefined && spec.baseVersion === nv) issue(["newVersion", "version"], "err.spec.differsFromBase", { version: nv });

    const allowed = TRAFFIC_FIELDS[spec.strategy];
    for (const field of Object.keys(t) as TrafficField[]) {
      if (t[field] !== undefined && !allowed.includes(field))
        issue(["traffic", field], "err.spec.notUsedByStrategy", { strategyKey: `err.word.strategy.${spec.strategy}` });
    }
    if (spec.batch !== undefined && spec.strategy !== "batch") issue(["batch"], "err.spec.batchOnly");

    switch (spec.strategy) {
      case "canary": {
        if (t.weights === undefined && t.match === undefined) issue(["traffic"], "err.spec.canaryNeeds");
        if (t.weights) checkTwoVersionWeights(t.weights, nv, spec.baseVersion, issue);
        if (t.matchWeight !== undefined && t.match === undefined) issue(["traffic", "matchWeight"], "err.spec.matchWeightNeedsMatch");
        break;
      }
      case "replica-canary": {
        if (t.weights === undefined) issue(["traffic", "weights"], "err.spec.replicaCanaryNeeds");
        else checkTwoVersionWeights(t.weights, nv, spec.baseVersion, issue);
        break;
      }
      case "ab-test": {
        const variants = t.variants ?? [];
        if (variants.length < 2) {
          issue(["traffic", "variants"], "err.spec.abNeedsTwo");
          break;
        }
        if (!variants.some((v) => v.version === nv)) issue(["traffic", "variants"], "err.spec.abNeedsNew", { version: nv });
        const names = new Set<string>();
        variants.forEach((v, i) => {
          if (names.has(v.name)) issue(["traffic", "variants", i, "name"], "err.spec.duplicateVariant", { name: v.name });
          names.add(v.name);
          if (v.match === undefined && v.weight === undefined) issue(["traffic", "variants", i], "err.spec.variantNeeds");
        });
        const weighted = variants.filter((v) => v.weight !== undefined);
        if (weighted.length > 0) {
          const sum = weighted.reduce((a, v) => a + (v.weight ?? 0), 0);
          if (sum !== 100) issue(["traffic", "variants"], "err.spec.variantSum", { sum });
        }
        break;
      }
      case "mirror": {
        if (t.mirrorPercent === undefined) issue(["traffic", "mirrorPercent"], "err.spec.mirrorNeeds");
        break;
      }
      case "batch": {
        if (spec.batch === undefined) {
          issue(["batch"], "err.spec.batchNeedsGroups");
          break;
        }
        const r = spec.newVersion.replicas;
        if (spec.batch.groups > r) issue(["batch", "groups"], "err.spec.groupsOverReplicas", { replicas: r, groups: spec.batch.groups });
        if (spec.batch.betaGroup && spec.batch.groups < 2 && r > 1) issue(["batch", "betaGroup"], "err.spec.betaNeedsGroups");
        break;
      }
      case "blue-green":
        break;
    }
  });
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
/** What clients send (before defaults are applied). */
export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

/** Adds a custom issue at `path` saying the catalog message `key`. */
type IssueAt = (path: (string | number)[], key: ErrorKey, params?: MessageVars) => void;

function checkTwoVersionWeights(weights: Record<string, number>, newVersion: string, baseVersion: string | undefined, issue: IssueAt) {
  const keys = Object.keys(weights);
  if (keys.length !== 2 || !keys.includes(newVersion)) {
    issue(["traffic", "weights"], "err.spec.weightsTwo", { version: newVersion });
    return;
  }
  if (baseVersion !== undefined && !keys.includes(baseVersion)) issue(["traffic", "weights"], "err.spec.weightsTwoBase", { base: baseVersion, version: newVersion });
}

// ---------- actions ----------

/**
 * Foreign routes the action may move from the old version's subset to the new version's, named
 * `<virtualService>/<route name or http[i]>` as the refusal that listed them names them.
 */
const ROUTE_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/.+$/;
const moveRoutes = z
  .array(z.string().regex(ROUTE_ID, { error: msg("err.spec.routeId") }))
  .min(1, { error: msg("err.spec.atLeastOneRoute") })
  .max(100)
  .optional();

const SetTrafficSchema = z
  .object({
    action: z.literal("setTraffic"),
    weights: WeightsSchema.optional(),
    mirrorPercent: z
      .number({ error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .min(0, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .max(100, { error: msg("err.spec.numberBetween", { min: 0, max: 100 }) })
      .optional(),
    moveRoutes,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.weights === undefined && a.mirrorPercent === undefined)
      ctx.addIssue(textIssue(localized("err.spec.setTrafficNeeds"), ["weights"]));
  });
const simpleAction = <A extends string>(action: A) => z.object({ action: z.literal(action) }).strict();
const movingAction = <A extends string>(action: A) => z.object({ action: z.literal(action), moveRoutes }).strict();

export const ActionRequestSchema = z.discriminatedUnion("action", [
  SetTrafficSchema,
  movingAction("takeover"),
  movingAction("switch"),
  simpleAction("rollback"),
  movingAction("retireOld"),
  simpleAction("pause"),
  simpleAction("resume"),
  z
    .object({
      action: z.literal("confirm"),
      moveRoutes,
      // How the next group sets traffic: by the replica ratio (default), or keeping the split set while waiting.
      weights: z.enum(["replicas", "keep"], { error: 'must be "replicas" or "keep"' }).optional(),
    })
    .strict(),
  simpleAction("abort"),
  simpleAction("resync"),
  simpleAction("acceptDrift"),
]);
export type ActionRequest = z.infer<typeof ActionRequestSchema>;

// ---------- errors ----------

/** One offending field: `message` is English; `key` + `params` say it from the catalogs. */
export interface FieldError {
  path: string;
  message: string;
  key?: string;
  params?: MessageVars;
}

/** `["traffic","weights","v1"]` -> `traffic.weights.v1`; `["env",0,"name"]` -> `env[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

const OUR_MESSAGE = /^(err\.[A-Za-z0-9.-]+)(\{.*\})?$/s;

/** A message built with msg(): its key and params; null for zod's own wording. */
function ourText(issue: z.core.$ZodIssue): Localized | null {
  const m = OUR_MESSAGE.exec(issue.message);
  const key = m?.[1];
  if (!m || key === undefined || !isErrorKey(key)) return null;
  const custom = issue.code === "custom" && issue.params ? (issue.params as MessageVars) : {};
  return localized(key, { ...(m[2] ? (JSON.parse(m[2]) as MessageVars) : {}), ...custom });
}

const TYPE_WORDS = new Set(["string", "number", "int", "boolean", "object", "array", "undefined", "null"]);
/** `expectedKey: "err.word.type.number"` for a type the catalog names, else the raw name. */
function typeParam(name: string, type: string | undefined): MessageVars {
  if (type === undefined) return { [name]: "?" };
  return TYPE_WORDS.has(type) ? { [`${name}Key`]: `err.word.type.${type}` } : { [name]: type };
}

const SIZED: Record<string, "string" | "array" | "number"> = { string: "string", array: "array", set: "array", number: "number", int: "number", bigint: "number" };

/** Catalog key + params for zod's own issue codes (their English stays zod's `message`). */
function zodText(issue: z.core.$ZodIssue): Localized {
  switch (issue.code) {
    case "invalid_type":
      return localized("err.zod.invalidType", { ...typeParam("expected", issue.expected), ...typeParam("received", / received (\S+)$/.exec(issue.message)?.[1]) });
    case "invalid_value":
      return localized("err.zod.invalidValue", { values: issue.values.map((v) => JSON.stringify(v)).join("|") });
    case "too_big": {
      const sized = SIZED[issue.origin];
      return sized ? localized(`err.zod.tooBig.${sized}`, { maximum: Number(issue.maximum) }) : localized("err.zod.invalid");
    }
    case "too_small": {
      const sized = SIZED[issue.origin];
      return sized ? localized(`err.zod.tooSmall.${sized}`, { minimum: Number(issue.minimum) }) : localized("err.zod.invalid");
    }
    case "invalid_format":
      if (issue.format === "starts_with") return localized("err.zod.startsWith", { prefix: String((issue as { prefix?: string }).prefix ?? "") });
      return issue.format === "regex" ? localized("err.zod.invalidFormat", { pattern: String(issue.pattern ?? "") }) : localized("err.zod.invalid");
    case "not_multiple_of":
      return localized("err.zod.notMultipleOf", { divisor: Number(issue.divisor) });
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      return Array.isArray(options) && options.length > 0 ? localized("err.zod.invalidDiscriminator", { options: options.map((o) => `'${String(o)}'`).join(" | ") }) : localized("err.zod.invalid");
    }
    default:
      return localized("err.zod.invalid");
  }
}

/** One issue as a field error: our messages rendered in English, zod's kept as zod words them. */
function fieldErrorOfIssue(path: string, issue: z.core.$ZodIssue): FieldError {
  const ours = ourText(issue);
  const text = ours ?? zodText(issue);
  return { path, message: ours ? english(ours) : issue.message, key: text.key, params: text.params };
}

/**
 * The API's 400 body: `message` starts with the first offending field's path; `text` is that
 * field's message as catalog key + params (+ path), for the UI.
 */
export function formatZodError(err: z.ZodError): { message: string; details: FieldError[]; text: Localized } {
  const details: FieldError[] = [];
  const visit = (issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...issue.path];
      // Unions report one nested issue list per alternative; the first alternative's reasons
      // are more useful than "Invalid input".
      if (issue.code === "invalid_union" && issue.errors.length > 0 && issue.errors[0] && issue.errors[0].length > 0) {
        visit(issue.errors[0], path);
        continue;
      }
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) details.push({ path: formatPath([...path, key]), message: english(localized("err.zod.unknownField")), key: "err.zod.unknownField", params: {} });
        continue;
      }
      if (issue.code === "invalid_key" && issue.issues.length > 0) {
        const first = issue.issues[0];
        const inner = first ? fieldErrorOfIssue(formatPath(path), first) : fieldErrorOfIssue(formatPath(path), issue);
        details.push({ ...inner, message: `invalid key: ${inner.message}` });
        continue;
      }
      details.push(fieldErrorOfIssue(formatPath(path), issue));
    }
  };
  visit(err.issues, []);
  const first = details[0];
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : english(localized("err.zod.invalidRequest"));
  const text: Localized = first && first.key && isErrorKey(first.key) ? { key: first.key, params: first.params ?? {}, ...(first.path ? { path: first.path } : {}) } : localized("err.zod.invalidRequest");
  return { message, details, text };
}
