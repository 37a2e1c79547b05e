import "server-only";
import type { Identity } from "@/lib/auth/identity";
import { requireReadable } from "./visibility";
import { db } from "@/lib/db/client";
import { findTask, listEvents, parseJson } from "@/lib/db/tasks-repo";
import { env } from "@/lib/env";
import { Invalid, NotFound, fieldDetail } from "./errors";
import { localized } from "@/lib/i18n/localized";
import type { RoutingSnapshot } from "./views";
import type { MetricsResponse } from "./metrics-views";
import { getVersionMetrics, summarizeSince, type VersionMetrics } from "@/lib/metrics/version-metrics";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import { versionStatuses, type PodCounts } from "@/lib/metrics/version-status";
import type { ServiceClusterState } from "@/lib/release/types";
import type { TaskStatus } from "@/lib/release/status";
import { configuredWeightSeries, parseRangeStep, summaryWindow, taskRangeSeconds } from "@/lib/metrics/range";
import { clients } from "@/lib/k8s/client";
import { readServiceStateOr404 } from "@/lib/inventory/services";
import { groupVersions } from "@/lib/release/routing";
import { readServiceRouting } from "@/lib/release/routing/reading";
import { versionOfService } from "@/lib/release/routing/gateway-api-objects";

// Observed (Prometheus, Istio's standard metrics) next to configured (the task's history), and
// the pods per version: a version with no Ready pod has nothing to report on a real mesh, so
// only the cluster can say why its requests fail at the callers.

/** "task" = from the task's start (with a short lead) to now; else a duration such as 15m. */
export const TASK_RANGE = "task";

function rangeStep(range: string | undefined, step: string | undefined) {
  const parsed = parseRangeStep(range, step);
  if ("error" in parsed) throw new Invalid(parsed.text, [fieldDetail(parsed.field, parsed.text)]);
  return parsed;
}

/** The per-version Services of the service (gateway-api backendRefs): Istio reports requests routed through them under their names. */
function versionServiceNames(cluster: ServiceClusterState): string[] {
  return (cluster.versionServices ?? [])
    .filter((s) => versionOfService(s, cluster.service) !== null)
    .map((s) => s.metadata.name);
}

function podsByVersion(cluster: ServiceClusterState, service: string): Record<string, PodCounts> {
  return Object.fromEntries(
    groupVersions(cluster.deployments, service).map((v) => [
      v.version,
      { ready: v.replicas.ready, desired: v.replicas.desired },
    ]),
  );
}

/** The per-version words of the dashboard, from the metrics and the pods. */
function statusOf(metrics: VersionMetrics, pods: Record<string, PodCounts> | null) {
  // The folded "other traffic" of a task is not a version: it has no pods and no status.
  const versions = [...new Set([...Object.keys(metrics.versions), ...Object.keys(pods ?? {})])].filter(
    (v) => v !== OTHER_TRAFFIC,
  );
  const rpsNow = Object.fromEntries(Object.entries(metrics.versions).map(([v, x]) => [v, x.current.rps]));
  return versionStatuses({ versions, rpsNow, failures: metrics.sourceFailures, pods });
}

export async function taskMetrics(
  id: string,
  reader: Identity,
  range?: string,
  step?: string,
): Promise<MetricsResponse> {
  const [task, events] = await Promise.all([findTask(db(), id), listEvents(db(), id)]);
  if (!task) throw new NotFound(localized("err.task.notFound", { id }));
  await requireReadable(reader, task.namespace);
  const now = new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const startedAt = Math.floor(task.createdAt.getTime() / 1000);
  const { rangeSeconds, stepSeconds } = rangeStep(
    range === TASK_RANGE ? `${taskRangeSeconds(nowSeconds, startedAt)}s` : range,
    step,
  );
  // The pods are read alongside Prometheus; metrics still answer (pods: null) when the cluster does not.
  const pods = readServiceStateOr404(clients(), task.namespace, task.service).then(
    (cluster) => podsByVersion(cluster, task.service),
    () => null,
  );
  const changes = events
    .filter((e) => e.result === "ok" && e.after)
    .map((e) => ({ at: Math.floor(e.at.getTime() / 1000), weights: parseJson<RoutingSnapshot>(e.after)!.weights }));
  // The task's own versions; the rest of the service is one "other traffic" series.
  const versions = [task.baseVersion, task.newVersion];
  // On the gateway-api backend requests reach the versions through their per-version Services, under whose names Istio reports them.
  const aliases = Object.values(parseJson<TaskStatus>(task.status)?.gatewayApi?.services ?? {});
  const common = {
    namespace: task.namespace,
    service: task.service,
    aliases,
    now,
    versions,
    fold: versions,
    prometheusUrl: env().PROMETHEUS_URL,
  };
  const metrics = await getVersionMetrics({ ...common, rangeSeconds, stepSeconds });
  const lastChange = changes.length > 0 ? changes[changes.length - 1]!.at : null;
  const summary = await summarizeSince({
    ...common,
    sinceSeconds: summaryWindow(lastChange === null ? null : nowSeconds - lastChange),
  });
  const all = await pods;
  const podCounts = all && Object.fromEntries(Object.entries(all).filter(([v]) => versions.includes(v)));
  return {
    ...metrics,
    configured: configuredWeightSeries(changes, metrics.range.start, metrics.range.end),
    summary,
    pods: podCounts,
    versionStatus: statusOf(metrics, podCounts),
    task: { baseVersion: task.baseVersion, newVersion: task.newVersion, startedAt },
  };
}

export async function serviceMetrics(
  namespace: string,
  service: string,
  range?: string,
  step?: string,
): Promise<MetricsResponse> {
  const { rangeSeconds, stepSeconds } = rangeStep(range, step);
  // Only what the charts need: the versions and the configured default-route weights.
  const c = clients();
  const cluster = await readServiceStateOr404(c, namespace, service);
  const weights = readServiceRouting(cluster).defaultRoute?.weights ?? {};
  const versions = groupVersions(cluster.deployments, service).map((v) => v.version);
  const now = new Date();
  const aliases = versionServiceNames(cluster);
  const metrics = await getVersionMetrics({
    namespace,
    service,
    aliases,
    rangeSeconds,
    stepSeconds,
    now,
    versions,
    prometheusUrl: env().PROMETHEUS_URL,
  });
  const summary = await summarizeSince({
    namespace,
    service,
    aliases,
    sinceSeconds: summaryWindow(null),
    now,
    versions,
    prometheusUrl: env().PROMETHEUS_URL,
  });
  // Without a task there is no history: the current routing is drawn flat over the range.
  const configured = configuredWeightSeries(
    [{ at: metrics.range.start, weights }],
    metrics.range.start,
    metrics.range.end,
  );
  const pods = podsByVersion(cluster, service);
  return { ...metrics, configured, summary, pods, versionStatus: statusOf(metrics, pods) };
}
