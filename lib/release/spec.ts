// Request schemas for release tasks and task actions (zod v4). PURE.
// Every error carries a `path` naming the offending field so the API can tell the user
// exactly what to fix; formatZodError turns that into the API's error body.
import { RE2JS } from "re2js";
import { z } from "zod";
import { STRATEGIES } from "./types";

// ---------- primitive rules ----------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z
  .string()
  .max(63, { error: "must be at most 63 characters" })
  .regex(DNS1123_LABEL, { error: "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit" });

// A version label is any Kubernetes label value (Bookinfo has `v2-mysql`; releases say `v2.1`,
// `1.4.0-rc1`): what the console derives from it (Deployment name, DR subset name) is made a
// DNS-1123 label in lib/release/subsets.ts, so the label itself need not be one.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const versionRef = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(63, { error: "must be at most 63 characters" })
  .regex(LABEL_VALUE, { error: "must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. v2.1)" });
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

/** Returns why `ref` is not a valid image reference, or null when it is. */
export function imageReferenceProblem(ref: string): string | null {
  if (ref.length === 0) return "must not be empty";
  if (/\s/.test(ref)) return "must not contain whitespace";
  const m = IMAGE_REFERENCE.exec(ref);
  if (!m) return "is not a valid image reference (expected [registry/]repository[:tag][@digest], lowercase repository)";
  const name = m[1] ?? "";
  if (uppercaseRepository(name)) return "is not a valid image reference: the repository must be lowercase (a registry host has a '.' or ':' or is localhost)";
  if (name.length > 255) return "repository name must be at most 255 characters";
  const algorithm = m[3];
  const hex = m[4];
  if (algorithm && hex) {
    const expected = DIGEST_HEX_LENGTH[algorithm];
    if (expected !== undefined && hex.length !== expected) return `${algorithm} digest must have ${expected} hex characters`;
  }
  return null;
}
export const imageReference = z.string().superRefine((v, ctx) => {
  const problem = imageReferenceProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

// Kubernetes resource.Quantity (non-negative: requests/limits cannot be negative).
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const quantity = z
  .union([z.string(), z.number().nonnegative()])
  .transform((v) => String(v))
  .refine((v) => QUANTITY.test(v), { error: "must be a Kubernetes quantity such as 500m, 0.5, 128Mi or 1Gi" });
const resourceList = z.object({ cpu: quantity.optional(), memory: quantity.optional() }).strict();
const resources = z.object({ requests: resourceList.optional(), limits: resourceList.optional() }).strict();

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const envName = z.string().regex(ENV_NAME, { error: "must be a valid environment variable name" });
const keyRef = z.object({ name: dnsSubdomain(), key: z.string().min(1, { error: "must not be empty" }) }).strict();
function dnsSubdomain() {
  return z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, { error: "must be a DNS-1123 subdomain" });
}
const envVar = z.union([
  z.object({ name: envName, value: z.string() }).strict(),
  z.object({ name: envName, secretKeyRef: keyRef }).strict(),
  z.object({ name: envName, configMapKeyRef: keyRef }).strict(),
]);

const port = z.union([
  z.number().int().min(1, { error: "port must be 1-65535" }).max(65535, { error: "port must be 1-65535" }),
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "named port must be a lowercase IANA service name" }).max(15),
]);
const probe = z
  .object({
    httpGet: z.object({ path: z.string().startsWith("/", { error: "must start with /" }), port }).strict().optional(),
    tcpSocket: z.object({ port }).strict().optional(),
    exec: z.object({ command: z.array(z.string()).min(1, { error: "must have at least one element" }) }).strict().optional(),
    initialDelaySeconds: z.number().int().min(0).optional(),
    periodSeconds: z.number().int().min(1).optional(),
    timeoutSeconds: z.number().int().min(1).optional(),
    failureThreshold: z.number().int().min(1).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const handlers = [p.httpGet, p.tcpSocket, p.exec].filter((h) => h !== undefined).length;
    if (handlers !== 1) ctx.addIssue({ code: "custom", message: "must set exactly one of httpGet, tcpSocket, exec" });
  });

// ---------- match rules ----------

/** Returns why `re` cannot be used as an Istio (RE2) regex, or null when it can. */
export function regexProblem(re: string): string | null {
  if (re.length === 0) return "regex must not be empty";
  // RE2 has no lookarounds and no backreferences: name them, since they are what people try.
  if (/\(\?(=|!|<=|<!)/.test(re)) return "regex must not use lookarounds (Istio uses RE2)";
  if (/\\[1-9]/.test(re)) return "regex must not use backreferences (Istio uses RE2)";
  // re2js ports RE2/J, itself a port of Go's regexp: the parser istiod validates StringMatch.regex
  // with (Go's regexp.Compile) and the syntax Envoy's RE2 runs. So `(?i)jason` is fine here.
  try {
    RE2JS.compile(re);
  } catch (e) {
    return `regex does not compile (RE2 syntax): ${(e as Error).message}`;
  }
  return null;
}
const regexValue = z.string().superRefine((v, ctx) => {
  const problem = regexProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const stringOp = z.enum(["exact", "prefix", "regex"]);
// HTTP header names are case-insensitive and Istio requires them lowercase, so lowercasing keeps meaning.
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9][-A-Za-z0-9_]*$/, { error: "must be an HTTP header name (letters, digits, '-', '_')" })
  .transform((v) => v.toLowerCase());
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[^\s;,"\\]*$/;

const headerRule = z
  .object({ kind: z.literal("header"), name: headerName, op: stringOp, value: z.string().min(1, { error: "must not be empty" }) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const problem = regexProblem(r.value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["value"] });
    }
  });
const cookieRule = z
  .object({
    kind: z.literal("cookie"),
    name: z.string().regex(COOKIE_NAME, { error: "must be a cookie name (RFC 6265 token)" }),
    value: z.string().regex(COOKIE_VALUE, { error: "must not contain whitespace, ';', ',', '\"' or '\\'" }),
  })
  .strict();
const uriRule = z
  .object({ kind: z.literal("uri"), op: stringOp, value: z.string().min(1, { error: "must not be empty" }) })
  .strict()
  .superRefine((r, ctx) => {
    if (r.op === "regex") {
      const problem = regexProblem(r.value);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["value"] });
    } else if (!r.value.startsWith("/")) {
      ctx.addIssue({ code: "custom", message: "must start with /", path: ["value"] });
    }
  });
export const OS_VALUES = ["windows", "macos", "linux", "android", "ios"] as const;
export const BROWSER_VALUES = ["chrome", "firefox", "safari", "edge"] as const;
const osRule = z.object({ kind: z.literal("os"), value: z.enum(OS_VALUES) }).strict();
const browserRule = z.object({ kind: z.literal("browser"), value: z.enum(BROWSER_VALUES) }).strict();

export const MatchRuleSchema = z.discriminatedUnion("kind", [headerRule, cookieRule, uriRule, osRule, browserRule]);
export type MatchRule = z.infer<typeof MatchRuleSchema>;
const matchRules = z.array(MatchRuleSchema).min(1, { error: "must have at least one rule" }).max(16);

// ---------- weights ----------

const weightValue = z
  .number({ error: "must be an integer between 0 and 100" })
  .int({ error: "must be an integer between 0 and 100" })
  .min(0, { error: "must be an integer between 0 and 100" })
  .max(100, { error: "must be an integer between 0 and 100" });
export const WeightsSchema = z.record(versionRef, weightValue).superRefine((w, ctx) => {
  const values = Object.values(w);
  if (values.length === 0) {
    ctx.addIssue({ code: "custom", message: "must name at least one version" });
    return;
  }
  if (values.every((v) => Number.isInteger(v))) {
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum !== 100) ctx.addIssue({ code: "custom", message: `must sum to 100 (got ${sum})` });
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
export function annotationKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)))
    return `annotation key ${JSON.stringify(key)}: the prefix must be a DNS-1123 subdomain of at most 253 characters`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name))
    return `annotation key ${JSON.stringify(key)}: the name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return null;
}
const annotationKey = z.string().superRefine((k, ctx) => {
  const problem = annotationKeyProblem(k);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const NewVersionSchema = z
  .object({
    version: newVersionLabel,
    image: imageReference,
    replicas: z
      .number({ error: "must be an integer between 0 and 100" })
      .int({ error: "must be an integer between 0 and 100" })
      .min(0, { error: "must be an integer between 0 and 100" })
      .max(100, { error: "must be an integer between 0 and 100" })
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
    .number({ error: `must be an integer between ${min} and ${max}` })
    .int({ error: `must be an integer between ${min} and ${max}` })
    .min(min, { error: `must be an integer between ${min} and ${max}` })
    .max(max, { error: `must be an integer between ${min} and ${max}` });
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
      .enum(ENTRY_ROUTE_MODES, { error: `must be one of ${ENTRY_ROUTE_MODES.join(", ")}` })
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
      .int({ error: "must be an integer between 1 and 100" })
      .min(1, { error: "must be an integer between 1 and 100" })
      .max(100, { error: "must be an integer between 1 and 100" })
      .optional(),
    mirrorPercent: z
      .number({ error: "must be a number between 0 and 100" })
      .min(0, { error: "must be a number between 0 and 100" })
      .max(100, { error: "must be a number between 0 and 100" })
      .optional(),
    previewHeader: z.object({ name: headerName, value: z.string().min(1, { error: "must not be empty" }) }).strict().optional(),
    /**
     * Blue-green: requests whose Cookie header carries `name=value` also reach the new version
     * before the switch (a browser keeps a cookie across every call an app forwards it on).
     */
    previewCookie: z
      .object({
        name: z.string().regex(COOKIE_NAME, { error: "must be a cookie name (RFC 6265 token)" }),
        value: z.string().min(1, { error: "must not be empty" }).regex(COOKIE_VALUE, { error: "must not contain whitespace, ';', ',', '\"' or '\\'" }),
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
      .int({ error: "must be an integer between 1 and 100" })
      .min(1, { error: "must be an integer between 1 and 100" })
      .max(100, { error: "must be an integer between 1 and 100" }),
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
    strategy: z.enum(STRATEGIES, { error: `must be one of ${STRATEGIES.join(", ")}` }),
    newVersion: NewVersionSchema,
    traffic: TrafficSchema.optional(),
    batch: BatchSchema.optional(),
    rollout: RolloutSchema.optional(),
    routing: RoutingSchema.optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const t = spec.traffic ?? {};
    const nv = spec.newVersion.version;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", message, path });

    if (spec.baseVersion !== undefined && spec.baseVersion === nv)
      issue(["newVersion", "version"], `must differ from baseVersion (${nv})`);

    const allowed = TRAFFIC_FIELDS[spec.strategy];
    for (const field of Object.keys(t) as TrafficField[]) {
      if (t[field] !== undefined && !allowed.includes(field))
        issue(["traffic", field], `is not used by the ${spec.strategy} strategy`);
    }
    if (spec.batch !== undefined && spec.strategy !== "batch") issue(["batch"], `is only used by the batch strategy`);

    switch (spec.strategy) {
      case "canary": {
        if (t.weights === undefined && t.match === undefined)
          issue(["traffic"], "canary needs traffic.weights ({base, new}) or traffic.match (or both)");
        if (t.weights) checkTwoVersionWeights(t.weights, nv, spec.baseVersion, issue);
        if (t.matchWeight !== undefined && t.match === undefined) issue(["traffic", "matchWeight"], "needs traffic.match");
        break;
      }
      case "replica-canary": {
        if (t.weights === undefined) issue(["traffic", "weights"], "replica-canary needs weights ({base, new})");
        else checkTwoVersionWeights(t.weights, nv, spec.baseVersion, issue);
        break;
      }
      case "ab-test": {
        const variants = t.variants ?? [];
        if (variants.length < 2) {
          issue(["traffic", "variants"], "ab-test needs at least 2 variants");
          break;
        }
        if (!variants.some((v) => v.version === nv))
          issue(["traffic", "variants"], `one variant must use the new version ${nv}`);
        const names = new Set<string>();
        variants.forEach((v, i) => {
          if (names.has(v.name)) issue(["traffic", "variants", i, "name"], `duplicate variant name ${v.name}`);
          names.add(v.name);
          if (v.match === undefined && v.weight === undefined)
            issue(["traffic", "variants", i], "needs match rules or a weight");
        });
        const weighted = variants.filter((v) => v.weight !== undefined);
        if (weighted.length > 0) {
          const sum = weighted.reduce((a, v) => a + (v.weight ?? 0), 0);
          if (sum !== 100) issue(["traffic", "variants"], `variant weights must sum to 100 (got ${sum})`);
        }
        break;
      }
      case "mirror": {
        if (t.mirrorPercent === undefined) issue(["traffic", "mirrorPercent"], "mirror needs mirrorPercent (0-100)");
        break;
      }
      case "batch": {
        if (spec.batch === undefined) {
          issue(["batch"], "batch needs batch.groups");
          break;
        }
        const r = spec.newVersion.replicas;
        if (spec.batch.groups > r)
          issue(["batch", "groups"], `cannot split ${r} replica(s) into ${spec.batch.groups} groups: groups must be <= newVersion.replicas`);
        if (spec.batch.betaGroup && spec.batch.groups < 2 && r > 1)
          issue(["batch", "betaGroup"], "a beta group needs at least 2 groups (beta + the rest)");
        break;
      }
      case "blue-green":
        break;
    }
  });
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
/** What clients send (before defaults are applied). */
export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

function checkTwoVersionWeights(
  weights: Record<string, number>,
  newVersion: string,
  baseVersion: string | undefined,
  issue: (path: (string | number)[], message: string) => void,
) {
  const keys = Object.keys(weights);
  if (keys.length !== 2 || !keys.includes(newVersion)) {
    issue(["traffic", "weights"], `must name exactly the base version and the new version ${newVersion}`);
    return;
  }
  if (baseVersion !== undefined && !keys.includes(baseVersion))
    issue(["traffic", "weights"], `must name exactly the base version ${baseVersion} and the new version ${newVersion}`);
}

// ---------- actions ----------

/**
 * Foreign routes the action may move from the old version's subset to the new version's, named
 * `<virtualService>/<route name or http[i]>` as the refusal that listed them names them.
 */
const ROUTE_ID = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/.+$/;
const moveRoutes = z
  .array(z.string().regex(ROUTE_ID, { error: "must name a route as <virtualService>/<route name or http[i]>" }))
  .min(1, { error: "must list at least one route" })
  .max(100)
  .optional();

const SetTrafficSchema = z
  .object({
    action: z.literal("setTraffic"),
    weights: WeightsSchema.optional(),
    mirrorPercent: z
      .number({ error: "must be a number between 0 and 100" })
      .min(0, { error: "must be a number between 0 and 100" })
      .max(100, { error: "must be a number between 0 and 100" })
      .optional(),
    moveRoutes,
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.weights === undefined && a.mirrorPercent === undefined)
      ctx.addIssue({ code: "custom", message: "setTraffic needs weights or mirrorPercent", path: ["weights"] });
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

export interface FieldError {
  path: string;
  message: string;
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

/** The API's 400 body: `message` starts with the first offending field's path. */
export function formatZodError(err: z.ZodError): { message: string; details: FieldError[] } {
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
        for (const key of issue.keys) details.push({ path: formatPath([...path, key]), message: "is not a known field" });
        continue;
      }
      if (issue.code === "invalid_key" && issue.issues.length > 0) {
        const first = issue.issues[0];
        details.push({ path: formatPath(path), message: `invalid key: ${first?.message ?? issue.message}` });
        continue;
      }
      details.push({ path: formatPath(path), message: issue.message });
    }
  };
  visit(err.issues, []);
  const first = details[0];
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : "invalid request";
  return { message, details };
}
