// The wizard's form state (strings, as typed) and its translation into a TaskSpec. PURE.
import type { VersionGroup, RoutingReading } from "@/lib/release/routing";
import type { MatchRule, TaskSpecInput } from "@/lib/release/spec";
import type { Strategy } from "@/lib/release/types";
import { capabilitiesOf } from "@/lib/release/strategies";
import { sectionOfPath, sectionsThrough, SPEC_SECTIONS, type CheckSection } from "@/lib/release/sections";
import { previewHeaderSuggestions } from "./preview-headers";
import type { SpecStepKind } from "@/lib/release/steps-check";
import type { TargetType } from "@/lib/notify/schema";

export type RuleKind = MatchRule["kind"];
export type StringOp = "exact" | "prefix" | "regex";

export interface RuleForm {
  kind: RuleKind;
  name: string;
  op: StringOp;
  value: string;
}

export type EnvSource = "value" | "secret" | "configMap";
export interface EnvRow {
  name: string;
  source: EnvSource;
  value: string;
  refName: string;
  refKey: string;
}

export type ProbeType = "none" | "httpGet" | "tcpSocket" | "exec";
export interface ProbeForm {
  type: ProbeType;
  path: string;
  port: string;
  command: string;
  initialDelaySeconds: string;
  periodSeconds: string;
}

export interface VariantForm {
  name: string;
  version: string;
  useMatch: boolean;
  rules: RuleForm[];
  useWeight: boolean;
  weight: string;
}

export interface WizardForm {
  name: string;
  namespace: string;
  strategy: Strategy;
  service: string;
  baseVersion: string;
  newVersion: {
    version: string;
    /** False while the version label is still our suggestion. */
    versionEdited: boolean;
    image: string;
    /** False while the image is still the one copied from the base version. */
    imageEdited: boolean;
    replicas: string;
    replicasEdited: boolean;
    cpuRequest: string;
    memoryRequest: string;
    cpuLimit: string;
    memoryLimit: string;
    env: EnvRow[];
    readinessProbe: ProbeForm;
    livenessProbe: ProbeForm;
    /** One element per line. */
    command: string;
    args: string;
  };
  traffic: {
    /** New version's share of the default route (canary, replica-canary). */
    weight: number;
    useMatch: boolean;
    rules: RuleForm[];
    matchWeight: number;
    mirrorPercent: number;
    previewEnabled: boolean;
    previewName: string;
    previewValue: string;
    /** False while the preview header is still our suggestion for the service. */
    previewEdited: boolean;
    previewCookieEnabled: boolean;
    previewCookieName: string;
    previewCookieValue: string;
    variants: VariantForm[];
  };
  batch: { groups: string; betaGroup: boolean; pauseBetweenGroups: boolean };
  /** "Steps and analysis": the release plan (spec.steps) and the analysis block a template brought. */
  steps: StepsForm;
  /** Where the task's events are sent (spec.notifications); none: the namespace's defaults. */
  notifications: NotificationRow[];
}

/** One notification target as the wizard edits it (a secret only where the platform signs). */
export interface NotificationRow {
  type: TargetType;
  url: string;
  secret: string;
}

/** The rows as the spec's targets: a blank secret is no secret. */
export function targetsOfRows(rows: readonly NotificationRow[]): Record<string, string>[] {
  return rows.map((r) => ({
    type: r.type,
    url: r.url.trim(),
    ...(r.secret.trim() ? { secret: r.secret.trim() } : {}),
  }));
}

/** One row of the steps editor: a kind and its number (weight, mirror, pods) or duration. */
export interface StepRow {
  kind: SpecStepKind;
  value: string;
  duration: string;
  /** setMatch: the rules the step widens the content canary to (all must match). */
  rules?: RuleForm[];
}

export interface StepsForm {
  enabled: boolean;
  rows: StepRow[];
  analysis: Record<string, unknown> | null;
  /** The template the rows came from ("" when none). */
  template: string;
}

export const emptyStepRow = (kind: SpecStepKind): StepRow => ({
  kind,
  value: kind === "setReplicas" ? "1" : "10",
  duration: kind === "analysis" ? "1m" : "",
  ...(kind === "setMatch" ? { rules: [emptyRule("header")] } : {}),
});

/** A template's steps as editor rows. */
export function rowsOfSteps(steps: readonly Record<string, unknown>[]): StepRow[] {
  return steps.map((step): StepRow => {
    const kind = (Object.keys(step)[0] ?? "pause") as SpecStepKind;
    const v = step[kind];
    if (kind === "setMatch") return { kind, value: "", duration: "", rules: (v as MatchRule[]).map(matchToRule) };
    if (typeof v === "number") return { kind, value: String(v), duration: "" };
    const duration = (v as { duration?: string } | undefined)?.duration ?? "";
    return { kind, value: "", duration };
  });
}

/** The editor rows as the spec's steps (numbers that do not parse go as NaN: the schema names them). */
export function stepsOfRows(rows: readonly StepRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    switch (r.kind) {
      case "setWeight":
      case "setMirror":
      case "setReplicas":
        return { [r.kind]: num(r.value) ?? Number.NaN };
      case "setMatch":
        return { setMatch: (r.rules ?? []).map(ruleToMatch) };
      case "analysis":
        return { analysis: { duration: r.duration.trim() } };
      default:
        return r.duration.trim() === "" ? { pause: {} } : { pause: { duration: r.duration.trim() } };
    }
  });
}

export const emptyProbe = (): ProbeForm => ({
  type: "none",
  path: "/",
  port: "",
  command: "",
  initialDelaySeconds: "",
  periodSeconds: "",
});
export const emptyEnv = (): EnvRow => ({ name: "", source: "value", value: "", refName: "", refKey: "" });
export const emptyRule = (kind: RuleKind): RuleForm => {
  switch (kind) {
    case "header":
      return { kind, name: "", op: "exact", value: "" };
    case "cookie":
      return { kind, name: "", op: "exact", value: "" };
    case "uri":
      return { kind, name: "", op: "prefix", value: "/" };
    case "os":
      return { kind, name: "", op: "exact", value: "android" };
    case "browser":
      return { kind, name: "", op: "exact", value: "chrome" };
  }
};

export function initialForm(prefill: { namespace?: string; service?: string; strategy?: Strategy }): WizardForm {
  return {
    name: "",
    namespace: prefill.namespace ?? "",
    strategy: prefill.strategy ?? "canary",
    service: prefill.service ?? "",
    baseVersion: "",
    newVersion: {
      version: "",
      versionEdited: false,
      image: "",
      imageEdited: false,
      replicas: "1",
      replicasEdited: false,
      cpuRequest: "",
      memoryRequest: "",
      cpuLimit: "",
      memoryLimit: "",
      env: [],
      readinessProbe: emptyProbe(),
      livenessProbe: emptyProbe(),
      command: "",
      args: "",
    },
    traffic: {
      weight: 10,
      useMatch: false,
      rules: [],
      matchWeight: 100,
      mirrorPercent: 100,
      previewEnabled: true,
      previewName: "x-preview",
      previewValue: "true",
      previewEdited: false,
      previewCookieEnabled: false,
      previewCookieName: "preview",
      previewCookieValue: "true",
      variants: [],
    },
    batch: { groups: "3", betaGroup: true, pauseBetweenGroups: true },
    steps: { enabled: false, rows: [], analysis: null, template: "" },
    notifications: [],
  };
}

// ---------------------------------------------------------------- defaults from the cluster

/** The version with the largest share of the default route, else the one with most replicas, else the first. */
export function defaultBaseVersion(versions: readonly VersionGroup[], routing: RoutingReading | null): string {
  const weights = routing?.defaultRoute?.weights ?? {};
  const known = versions.map((v) => v.version);
  const routed = Object.entries(weights)
    .filter(([k]) => known.includes(k))
    .sort((a, b) => b[1] - a[1])[0];
  if (routed && routed[1] > 0) return routed[0];
  const biggest = [...versions].sort((a, b) => b.replicas.desired - a.replicas.desired)[0];
  return biggest?.version ?? "";
}

/** v1, v2, v3-mysql -> v4; nothing numbered -> v2. Always a valid new-version label. */
export function suggestNextVersion(existing: readonly string[]): string {
  let max = 1;
  for (const v of existing) {
    const m = /^v(\d+)/.exec(v);
    if (m?.[1]) max = Math.max(max, Number.parseInt(m[1], 10));
  }
  return `v${max + 1}`;
}

/**
 * Copies the base version's image and replica count into fields the user has not edited, and
 * picks the preview header the service's callers forward (end-user for Bookinfo's reviews).
 */
export function inheritFromBase(
  form: WizardForm,
  base: VersionGroup | undefined,
  versions: readonly VersionGroup[],
): WizardForm {
  const nv = { ...form.newVersion };
  if (base) {
    if (!nv.imageEdited) nv.image = base.image;
    if (!nv.replicasEdited) nv.replicas = String(Math.max(1, base.replicas.desired));
  }
  if (!nv.versionEdited) nv.version = suggestNextVersion(versions.map((v) => v.version));
  const traffic = { ...form.traffic };
  const header = previewHeaderSuggestions(
    form.service,
    versions.map((v) => v.image),
  )[0];
  if (!traffic.previewEdited && header)
    Object.assign(traffic, { previewName: header.name, previewValue: header.value });
  return { ...form, baseVersion: base?.version ?? form.baseVersion, newVersion: nv, traffic };
}

/** A/B test variants to start from: current version vs new version, half and half. */
export function defaultVariants(base: string, next: string): VariantForm[] {
  return [
    { name: "a", version: base, useMatch: false, rules: [], useWeight: true, weight: "50" },
    { name: "b", version: next, useMatch: false, rules: [], useWeight: true, weight: "50" },
  ];
}

// ---------------------------------------------------------------- form -> TaskSpec

/** Empty text -> undefined; otherwise a number (NaN when not numeric, which the schema rejects with a message). */
function num(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

function lines(text: string): string[] | undefined {
  const out = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return out.length > 0 ? out : undefined;
}

/** "8080" -> 8080, "http" -> "http" (named port). */
function portValue(text: string): number | string {
  const s = text.trim();
  return /^\d+$/.test(s) ? Number(s) : s;
}

function probe(p: ProbeForm): Record<string, unknown> | undefined {
  if (p.type === "none") return undefined;
  const out: Record<string, unknown> = {};
  if (p.type === "httpGet") out.httpGet = { path: p.path.trim(), port: portValue(p.port) };
  if (p.type === "tcpSocket") out.tcpSocket = { port: portValue(p.port) };
  if (p.type === "exec") out.exec = { command: lines(p.command) ?? [] };
  const delay = num(p.initialDelaySeconds);
  const period = num(p.periodSeconds);
  if (delay !== undefined) out.initialDelaySeconds = delay;
  if (period !== undefined) out.periodSeconds = period;
  return out;
}

/** A spec rule as the rules editor shows it (the inverse of ruleToMatch). */
export function matchToRule(m: MatchRule): RuleForm {
  switch (m.kind) {
    case "header":
      return { kind: "header", name: m.name, op: m.op, value: m.value };
    case "cookie":
      return { kind: "cookie", name: m.name, op: "exact", value: m.value };
    case "uri":
      return { kind: "uri", name: "", op: m.op, value: m.value };
    default:
      return { kind: m.kind, name: "", op: "exact", value: m.value };
  }
}

export function ruleToMatch(r: RuleForm): MatchRule {
  switch (r.kind) {
    case "header":
      return { kind: "header", name: r.name.trim(), op: r.op, value: r.value };
    case "cookie":
      return { kind: "cookie", name: r.name.trim(), value: r.value };
    case "uri":
      return { kind: "uri", op: r.op, value: r.value.trim() };
    case "os":
      return { kind: "os", value: r.value as Extract<MatchRule, { kind: "os" }>["value"] };
    case "browser":
      return { kind: "browser", value: r.value as Extract<MatchRule, { kind: "browser" }>["value"] };
  }
}

function resources(nv: WizardForm["newVersion"]): TaskSpecInput["newVersion"]["resources"] {
  const pick = (cpu: string, memory: string) => {
    const out: { cpu?: string; memory?: string } = {};
    if (cpu.trim()) out.cpu = cpu.trim();
    if (memory.trim()) out.memory = memory.trim();
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const requests = pick(nv.cpuRequest, nv.memoryRequest);
  const limits = pick(nv.cpuLimit, nv.memoryLimit);
  if (!requests && !limits) return undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

function envVars(rows: readonly EnvRow[]): unknown[] | undefined {
  const used = rows.filter((r) => r.name.trim() !== "" || r.value !== "" || r.refName !== "" || r.refKey !== "");
  if (used.length === 0) return undefined;
  return used.map((r) => {
    const name = r.name.trim();
    if (r.source === "secret") return { name, secretKeyRef: { name: r.refName.trim(), key: r.refKey.trim() } };
    if (r.source === "configMap") return { name, configMapKeyRef: { name: r.refName.trim(), key: r.refKey.trim() } };
    return { name, value: r.value };
  });
}

/**
 * The request body the form describes. Only fields the strategy uses are sent: the API
 * refuses the others rather than ignoring them.
 */
/** The spec's `traffic` and `batch`: the settings the chosen strategy takes, from the form. */
function strategySettings(
  form: WizardForm,
  next: string,
): { traffic?: Record<string, unknown>; batch?: Record<string, unknown> } {
  const caps = capabilitiesOf(form.strategy);
  const t = form.traffic;
  const traffic: Record<string, unknown> = {};
  if (caps.hasWeights) traffic.weights = { [form.baseVersion]: 100 - t.weight, [next]: t.weight };
  if (caps.hasMatchRules && t.useMatch) {
    traffic.match = t.rules.map(ruleToMatch);
    if (t.matchWeight !== 100) traffic.matchWeight = t.matchWeight;
  }
  if (caps.hasPreview && t.previewEnabled)
    traffic.previewHeader = { name: t.previewName.trim(), value: t.previewValue };
  if (caps.hasPreview && t.previewCookieEnabled)
    traffic.previewCookie = { name: t.previewCookieName.trim(), value: t.previewCookieValue.trim() };
  if (caps.hasMirror) traffic.mirrorPercent = t.mirrorPercent;
  if (caps.hasVariants) traffic.variants = t.variants.map(variantSpec);
  const out: { traffic?: Record<string, unknown>; batch?: Record<string, unknown> } = {};
  if (Object.keys(traffic).length > 0) out.traffic = traffic;
  if (caps.hasBatches)
    out.batch = {
      groups: num(form.batch.groups) ?? Number.NaN,
      betaGroup: form.batch.betaGroup,
      pauseBetweenGroups: form.batch.pauseBetweenGroups,
    };
  return out;
}

function variantSpec(v: VariantForm): Record<string, unknown> {
  const out: Record<string, unknown> = { name: v.name.trim(), version: v.version };
  if (v.useMatch) out.match = v.rules.map(ruleToMatch);
  if (v.useWeight) out.weight = num(v.weight) ?? Number.NaN;
  return out;
}

export function buildSpec(form: WizardForm): TaskSpecInput {
  const nv = form.newVersion;
  const newVersion: Record<string, unknown> = { version: nv.version.trim(), image: nv.image.trim() };
  const replicas = num(nv.replicas);
  if (replicas !== undefined) newVersion.replicas = replicas;
  const res = resources(nv);
  if (res) newVersion.resources = res;
  const env = envVars(nv.env);
  if (env) newVersion.env = env;
  const readiness = probe(nv.readinessProbe);
  if (readiness) newVersion.readinessProbe = readiness;
  const liveness = probe(nv.livenessProbe);
  if (liveness) newVersion.livenessProbe = liveness;
  const command = lines(nv.command);
  if (command) newVersion.command = command;
  const args = lines(nv.args);
  if (args) newVersion.args = args;

  const spec: Record<string, unknown> = {
    name: form.name.trim(),
    namespace: form.namespace,
    service: form.service,
    strategy: form.strategy,
    newVersion,
  };
  if (form.baseVersion) spec.baseVersion = form.baseVersion;

  Object.assign(spec, strategySettings(form, nv.version.trim()));
  if (form.steps.enabled && form.steps.rows.length > 0) {
    spec.steps = stepsOfRows(form.steps.rows);
    if (form.steps.analysis) spec.analysis = form.steps.analysis;
  }
  if (form.notifications.length > 0) spec.notifications = targetsOfRows(form.notifications);
  return spec as unknown as TaskSpecInput;
}

// ---------------------------------------------------------------- steps

/** One step per spec section, then the review. */
export const STEPS = [...SPEC_SECTIONS, "review"] as const;
export type StepName = (typeof STEPS)[number];
export const REVIEW_STEP = STEPS.length - 1;

/** Index of the step that owns an error path ("newVersion.image" -> 2); unknown paths -> the review step. */
export function stepOfPath(path: string): number {
  const section = sectionOfPath(path);
  return section === null ? REVIEW_STEP : SPEC_SECTIONS.indexOf(section);
}

/**
 * What the server is asked before the wizard leaves `step`: a check of the spec's sections
 * through it, or, for the last one (traffic), the full preview the review step shows.
 */
export type StepCheck = { kind: "check"; section: CheckSection } | { kind: "preview" };
export function checkBeforeLeaving(step: number): StepCheck | null {
  const section = SPEC_SECTIONS[step];
  if (section === undefined) return null;
  return section === "traffic" ? { kind: "preview" } : { kind: "check", section };
}

/** The value at a field path of the spec: "newVersion.env[0].name", "" for the whole spec. */
export function valueAt(spec: unknown, path: string): unknown {
  let cur: unknown = spec;
  for (const seg of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** A comparable fingerprint of the value at `path`: a server problem holds while it is unchanged. */
export function valueKey(spec: TaskSpecInput, path: string): string {
  return JSON.stringify(valueAt(spec, path)) ?? "undefined";
}

/**
 * A fingerprint of what the server checked before leaving `step`: the fields of every section
 * through it (the checks are cumulative), the whole spec for the traffic step (the preview).
 */
export function stepKey(spec: TaskSpecInput, step: number): string {
  const section = SPEC_SECTIONS[step];
  if (section === undefined || section === "traffic") return JSON.stringify(spec);
  const sections = new Set(sectionsThrough(section));
  const fields = Object.entries(spec).filter(([field]) => {
    const s = sectionOfPath(field);
    return s !== null && sections.has(s);
  });
  return JSON.stringify(Object.fromEntries(fields));
}
