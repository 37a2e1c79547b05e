import "server-only";
import { db } from "@/lib/db/client";
import { findTask, listEvents, parseJson } from "@/lib/db/tasks-repo";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import type { MetricsResponse, RoutingSnapshot } from "@/lib/api/contracts";
import { getVersionMetrics, summarizeSince } from "@/lib/metrics/version-metrics";
import { configuredWeightSeries, parseRangeStep } from "@/lib/metrics/range";
import { clients } from "@/lib/k8s/client";
import { readServiceStateOr404 } from "@/lib/inventory/services";
import { groupVersions, readRouting } from "@/lib/release/routing";

// Observed (Prometheus, Istio's standard metrics) next to configured (the task's history).

function rangeStep(range: string | undefined, step: string | undefined) {
  const parsed = parseRangeStep(range, step);
  if ("error" in parsed) throw ApiError.invalid(parsed.error, [{ path: parsed.field, message: parsed.error }]);
  return parsed;
}

export async function taskMetrics(id: string, range?: string, step?: string): Promise<MetricsResponse> {
  const { rangeSeconds, stepSeconds } = rangeStep(range, step);
  // Only the task row is needed (not its live cluster view): the metrics come from Prometheus.
  const [task, events] = await Promise.all([findTask(db(), id), listEvents(db(), id)]);
  if (!task) throw ApiError.notFound(`task "${id}" not found`);
  const changes = events
    .filter((e) => e.result === "ok" && e.after)
    .map((e) => ({ at: Math.floor(e.at.getTime() / 1000), weights: parseJson<RoutingSnapshot>(e.after)!.weights }));
  const versions = [task.baseVersion, task.newVersion];
  const now = new Date();
  const metrics = await getVersionMetrics({ namespace: task.namespace, service: task.service, rangeSeconds, stepSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  const lastChange = changes.length > 0 ? changes[changes.length - 1]!.at : null;
  const sinceSeconds = Math.max(30, Math.min(3600, lastChange ? Math.floor(now.getTime() / 1000) - lastChange : 300));
  const summary = await summarizeSince({ namespace: task.namespace, service: task.service, sinceSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  return { ...metrics, configured: configuredWeightSeries(changes, metrics.range.start, metrics.range.end), summary };
}

export async function serviceMetrics(namespace: string, service: string, range?: string, step?: string): Promise<MetricsResponse> {
  const { rangeSeconds, stepSeconds } = rangeStep(range, step);
  // Only what the charts need: the versions and the configured default-route weights.
  const c = clients();
  const cluster = await readServiceStateOr404(c, namespace, service);
  const weights = readRouting(cluster.virtualService, service, namespace).defaultRoute?.weights ?? {};
  const versions = groupVersions(cluster.deployments, service).map((v) => v.version);
  const now = new Date();
  const metrics = await getVersionMetrics({ namespace, service, rangeSeconds, stepSeconds, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  const summary = await summarizeSince({ namespace, service, sinceSeconds: 300, now, versions, prometheusUrl: env().PROMETHEUS_URL });
  // Without a task there is no history: the current routing is drawn flat over the range.
  const configured = configuredWeightSeries([{ at: metrics.range.start, weights }], metrics.range.start, metrics.range.end);
  return { ...metrics, configured, summary };
}
