// The new version's Deployment: a stripped copy of the base with the new image and settings,
// and the selector checks that keep two ReplicaSets from fighting over its pods. PURE.
import { fieldErrorOf, type PlanError } from "./errors";
import { clone } from "./json";
import { deploymentVersion, labelsInclude, mainContainerIndex, templateLabels } from "./routing";
import { strategyOf } from "./strategies";
import { dnsLabelOf } from "./subsets";
import type { TaskSpec } from "./spec";
import {
  LABEL_MANAGED_BY,
  LABEL_TASK,
  MANAGED_BY,
  type Container,
  type Deployment,
  type ServiceClusterState,
} from "./types";

/** `<service>-<version as a DNS label>`: reviews-v2, reviews-v2-1 for v2.1, reviews-v2-rc for V2_rc. */
export function versionDeploymentName(service: string, version: string): string {
  return `${service}-${dnsLabelOf(version)}`;
}

/** `<service>-<version>`; a strategy that splits one pool of pods names its side `<service>-canary`. */
export function newDeploymentName(spec: Pick<TaskSpec, "service" | "strategy" | "newVersion">): string {
  if (strategyOf(spec.strategy).capabilities.splitsPods) return `${spec.service}-canary`;
  return versionDeploymentName(spec.service, spec.newVersion.version);
}

/**
 * The new version must not run yet, and its derived name must be free: `v2.1` and `v2-1` both
 * name reviews-v2-1, and a Deployment of another version there would be overwritten.
 */
export function refuseNameClash(
  spec: Pick<TaskSpec, "service" | "newVersion">,
  cluster: ServiceClusterState,
  name: string,
): void {
  const version = spec.newVersion.version;
  const running = cluster.deployments.find(
    (d) => templateLabels(d).app === spec.service && deploymentVersion(d) === version,
  );
  if (running)
    throw fieldErrorOf(
      "newVersion.version",
      "err.versionExists",
      { version, kind: "Deployment", name: running.metadata.name },
      "conflict",
    );
  const taken = cluster.deployments.find((d) => d.metadata.name === name);
  if (taken) throw nameTaken(version, name, taken, spec.service);
}

/** Deployment `name` exists and runs something else: say what, since that is what the user must not overwrite. */
function nameTaken(version: string, name: string, taken: Deployment, service: string): PlanError {
  const labels = templateLabels(taken);
  const path = "newVersion.version";
  if (labels.app === undefined)
    return fieldErrorOf(path, "err.versionNameTaken.otherApp", { version, name }, "conflict");
  if (labels.app !== service)
    return fieldErrorOf(path, "err.versionNameTaken.app", { version, name, app: labels.app }, "conflict");
  if (labels.version === undefined)
    return fieldErrorOf(path, "err.versionNameTaken.unlabelled", { version, name }, "conflict");
  return fieldErrorOf(path, "err.versionNameTaken.version", { version, name, other: labels.version }, "conflict");
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
  [k: string]: unknown;
}

function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || value === undefined || !(e.values ?? []).includes(value)) return false;
        break;
      case "NotIn":
        if (has && value !== undefined && (e.values ?? []).includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

export function managedLabels(task: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_TASK]: task };
}

const DROPPED_ANNOTATIONS = [
  "deployment.kubernetes.io/revision",
  // kubectl would otherwise three-way-merge the copy against the base's last apply.
  "kubectl.kubernetes.io/last-applied-configuration",
];

export function buildNewDeployment(
  spec: TaskSpec,
  base: Deployment,
  name: string,
  replicas: number,
  extraTemplateLabels: Record<string, string>,
): Deployment {
  const svc = spec.service;
  const nv = spec.newVersion.version;
  const src = clone(base);

  const annotations = { ...(src.metadata.annotations ?? {}) };
  for (const a of DROPPED_ANNOTATIONS) delete annotations[a];
  const metadata: Deployment["metadata"] = {
    name,
    namespace: base.metadata.namespace ?? spec.namespace,
    labels: { ...(src.metadata.labels ?? {}), app: svc, version: nv, ...managedLabels(spec.name) },
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;

  const templateMeta = { ...(src.spec.template.metadata ?? {}) };
  delete templateMeta.creationTimestamp;
  templateMeta.labels = { ...(templateMeta.labels ?? {}), ...extraTemplateLabels, app: svc, version: nv };
  if (spec.newVersion.annotations)
    templateMeta.annotations = { ...(templateMeta.annotations ?? {}), ...spec.newVersion.annotations };

  const containers = src.spec.template.spec.containers.map((c) => ({ ...c }));
  const mainIndex = mainContainerIndex(src, svc);
  const main = containers[mainIndex];
  if (!main) throw fieldErrorOf("baseVersion", "err.baseHasNoContainers", { name: base.metadata.name });
  containers[mainIndex] = customiseContainer(main, spec.newVersion);

  const out: Deployment = {
    apiVersion: src.apiVersion || "apps/v1",
    kind: "Deployment",
    metadata,
    spec: {
      ...src.spec,
      replicas,
      selector: { matchLabels: { app: svc, version: nv } },
      template: { ...src.spec.template, metadata: templateMeta, spec: { ...src.spec.template.spec, containers } },
    },
  };
  return out;
}

function customiseContainer(c: Container, nv: TaskSpec["newVersion"]): Container {
  const out: Container = { ...c, image: nv.image };
  if (nv.resources) {
    // Merge per key: giving only limits.memory must not wipe the base's requests.
    const prev = (c.resources ?? {}) as {
      requests?: Record<string, string>;
      limits?: Record<string, string>;
      [k: string]: unknown;
    };
    const merged: Record<string, unknown> = { ...prev };
    if (nv.resources.requests) merged.requests = { ...(prev.requests ?? {}), ...stripUndefined(nv.resources.requests) };
    if (nv.resources.limits) merged.limits = { ...(prev.limits ?? {}), ...stripUndefined(nv.resources.limits) };
    out.resources = merged;
  }
  if (nv.env) {
    const env = [...((c.env ?? []) as { name?: string }[])];
    for (const e of nv.env) {
      const k8s =
        "value" in e
          ? { name: e.name, value: e.value }
          : "secretKeyRef" in e
            ? { name: e.name, valueFrom: { secretKeyRef: { ...e.secretKeyRef } } }
            : { name: e.name, valueFrom: { configMapKeyRef: { ...e.configMapKeyRef } } };
      const i = env.findIndex((x) => x.name === e.name);
      if (i >= 0) env[i] = k8s;
      else env.push(k8s);
    }
    out.env = env;
  }
  if (nv.readinessProbe) out.readinessProbe = stripUndefined(nv.readinessProbe);
  if (nv.livenessProbe) out.livenessProbe = stripUndefined(nv.livenessProbe);
  if (nv.command) out.command = [...nv.command];
  if (nv.args) out.args = [...nv.args];
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The new pods must be selected by the Service and by no other Deployment (or two ReplicaSets would fight over them). */
export function checkSelectors(newDep: Deployment, cluster: ServiceClusterState, baseName: string): void {
  const labels = templateLabels(newDep);
  const selector = cluster.service.spec.selector;
  const service = cluster.service.metadata.name;
  if (!selector || Object.keys(selector).length === 0)
    throw fieldErrorOf("service", "err.serviceWithoutSelector", { service });
  if (!labelsInclude(labels, selector))
    throw fieldErrorOf("service", "err.serviceSelectorMisses", {
      service,
      selector: formatLabels(selector),
      labels: formatLabels(labels),
    });
  for (const d of cluster.deployments) {
    if (d.metadata.name === newDep.metadata.name) continue;
    if (selectorMatches(d.spec.selector as LabelSelector, labels)) {
      const params = { name: d.metadata.name, selector: formatLabels(d.spec.selector.matchLabels ?? {}) };
      throw fieldErrorOf(
        "baseVersion",
        d.metadata.name === baseName ? "err.baseSelectorAdopts" : "err.selectorAdopts",
        params,
      );
    }
  }
}
