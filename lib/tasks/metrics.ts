import "server-only";
import type { Identity } from "@/lib/auth/identity";
import { requireReadable } from "./visibility";
import { db } from "@/lib/db/client";
import { findTask, listEvents, parseJson } from "@/lib/db/tasks-repo";
import { env } from "@/lib/env";
import { ApiError, fieldDetail } from "@/lib/api/errors";
import { localized } from "@/lib/i18n/localized";
import type { MetricsResponse, RoutingSnapshot } from "@/lib/api/contracts";
import { getVersionMetrics, summarizeSince, type VersionMetrics } from "@/lib/metrics/version-metrics";
import { versionStatuses, type PodCounts } from "@/lib/metrics/version-status";
import type { ServiceClusterState } from "@/lib/release/types";
import { configuredWeightSeries, parseRangeStep } from "@/lib/metrics/range";
import { clients } from "@/lib/k8s/client";
import { readServiceStateOr404 } from "@/lib/inventory/services";
import { groupVersions, readRouting } from "@/lib/release/routing";

// Observed (Prometheus, Istio's standard metrics) next to configured (the task's history), and
// the pods per version: a version with no Ready pod has nothing to report on a real mesh, so
// only the cluster can say why its requests fail at the callers.

function rangeStep(range: string | undefined, step: string | undefined) {
  const parsed = parseRangeStep(range, step);
  if ("error" in parsed) throw ApiError.invalid(parsed.text, [fieldDetail(parsed.field, parsed.text)]);
  return parsed;
}

function podsByVersion(cluster: ServiceClusterState, service: string): Record<string, PodCounts> {
  return Object.fromEntries(groupVersions(cluster.deployments, service).map((v) => [v.version, { ready: v.replicas.ready, desired: v.replicas.desired }]));
}

/** The per-version words of the dashboard, from the metrics and the pods. */
function statusOf(metrics: VersionMetrics, pods: Record<string, PodCounts> | null) {
  const versions = [...new Set([...Object.keys(metrics.versions), ...Object.keys(pods ?? {})])];
  const rpsNow = Object.fromEntries(Object.entries(metrics.versions).map(([v, x]) => [v, x.current.rps]));
  return versionStatuses({ versions, rpsNow, failures: metrics.sourceFailures, pods });
}

export async function taskMetrics(id: string, reader: Identity, range?: string, step?: string): Promise<MetricsResponse> {
  const { rangeSeconds, stepSeconds } = rangeStep(range, step);
  const [task, events] = await Promise.all([findTask(db(), id), listEvents(db(), id)]);
  if (!task) throw ApiError.notFound(localized("err.task.notFound", { id }));
  await requireReadable(reader, task.namespace);
  // The pods are read alongside Prometheus; metrics still answer (pods: null) when the cluster does not.
  const pods = readServiceStateOr404(clients(), task.namespace, task.service).then(
    (cluster) => podsByVersion(cluster, task.service),
    () => null,
  );
  const changes = events
    .filter((e) => e.result === "ok" && e.after)
    .map((e) => ({ at: Math.floor(e.at.getTime() / 1000), weights: parseJson<RoutingSnapshot>(e.after)!.weights }));
  const versions = [task.baseVersion, task.newVersion];
  const now = new Date();
  const metrics = await getVersionMetrics({ namespace: task.namespace, service: task.service, rangeSeconds, stepSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  const lastChange = changes.length > 0 ? changes[changes.length - 1]!.at : null;
  const sinceSeconds = Math.max(30, Math.min(3600, lastChange ? Math.floor(now.getTime() / 1000) - lastChange : 300));
  const summary = await summarizeSince({ namespace: task.namespace, service: task.service, sinceSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  const podCounts = await pods;
  return { ...metrics, configured: configuredWeightSeries(changes, metrics.range.start, metrics.range.end), summary, pods: podCounts, versionStatus: statusOf(metrics, podCounts) };
}

export async function serviceMetrics(namespace: string, service: string, range?: string, step?: string): Promise<MetricsResponse> {
  const { rangeSeconds, stepSeconds } = rangeStep(range, step);
  // Only what the charts need: the versions and the configured default-route weights.
  const c = clients();
  const cluster = await readServiceStateOr404(c, namespace, service);
  const weights = readRouting(cluster.virtualService, service, namespace, cluster.destinationRule).defaultRoute?.weights ?? {};
  const versions = groupVersions(cluster.deployments, service).map((v) => v.version);
  const now = new Date();
  const metrics = await getVersionMetrics({ namespace, service, rangeSeconds, stepSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  const summary = await summarizeSince({ namespace, service, sinceSeconds: 300, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  // Without a task there is no history: the current routing is drawn flat over the range.
  const configured = configuredWeightSeries([{ at: metrics.range.start, weights }], metrics.range.start, metrics.range.end);
  const pods = podsByVersion(cluster, service);
  return { ...metrics, configured, summary, pods, versionStatus: statusOf(metrics, pods) };
}
