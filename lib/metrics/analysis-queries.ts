// What one analysis run measures for a task's new version (and its base, for compare: "base")
// over the last window, from Istio's standard metrics through the builders the dashboards use
// (./promql.ts): requests and 5xx as the pods' proxies reported them (reporter="destination"),
// plus the failures only the callers' proxies saw (reporter="source": a timeout or exhausted
// retries against a picked pod of the version), so a version whose requests fail before its pod
// answers cannot look healthy. Four queries per run whatever the metrics, plus one per custom
// metric. The queries and their assembly are PURE; measureRun asks Prometheus.
import type { AnalysisMetric } from "@/lib/release/analysis-schema";
import type { Measurement } from "@/lib/release/analysis";
import type { InstantSeries, PrometheusClient } from "./prometheus";
import { errorsSince, escapePromString, latencyQuantileByVersion, requestsSince, sourceFailuresSince } from "./promql";
import { assembleFailureCounts } from "./source-failures";

export interface AnalysisTarget {
  namespace: string;
  service: string;
  version: string;
  baseVersion: string;
}

export interface RunQueries {
  requests: string;
  errors: string;
  callerFailures: string;
  p99: string;
  custom: Record<string, string>;
}

/** The placeholders of a custom query, filled in (label values escaped for a "..." literal). */
export function fillQuery(query: string, t: AnalysisTarget, windowSeconds: number): string {
  const values: Record<string, string> = {
    namespace: escapePromString(t.namespace),
    service: escapePromString(t.service),
    version: escapePromString(t.version),
    baseVersion: escapePromString(t.baseVersion),
    interval: `${windowSeconds}s`,
  };
  return query.replace(/\{\{\s*([A-Za-z]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export function runQueries(t: AnalysisTarget, windowSeconds: number, metrics: readonly AnalysisMetric[]): RunQueries {
  const ref = { namespace: t.namespace, service: t.service, versions: [t.version, t.baseVersion] };
  const custom = Object.fromEntries(
    metrics.filter((m) => m.query !== undefined).map((m) => [m.name, fillQuery(m.query!, t, windowSeconds)]),
  );
  return {
    requests: requestsSince(ref, windowSeconds),
    errors: errorsSince(ref, windowSeconds),
    callerFailures: sourceFailuresSince(ref, windowSeconds),
    p99: latencyQuantileByVersion(ref, 0.99, { rateWindowSeconds: windowSeconds }),
    custom,
  };
}

/** The answers of one run's queries (an Error where Prometheus could not answer one). */
export interface RunAnswers {
  requests: InstantSeries[];
  errors: InstantSeries[];
  callerFailures: InstantSeries[];
  p99: InstantSeries[];
  custom: Record<string, InstantSeries[] | Error>;
}

const versionValue = (series: readonly InstantSeries[], version: string): number | null =>
  series.find((s) => s.labels.destination_version === version)?.point[1] ?? null;

interface VersionCounts {
  requests: number;
  successRate: number | null;
}

/** Requests and success rate of a version, the callers' failures against it counted as failed requests. */
export function versionCounts(a: Omit<RunAnswers, "custom" | "p99">, version: string): VersionCounts {
  const served = versionValue(a.requests, version) ?? 0;
  const errors = versionValue(a.errors, version) ?? 0;
  const callers = assembleFailureCounts(a.callerFailures.map((s) => ({ labels: s.labels, value: s.point[1] })))
    .byVersion[version]?.requests;
  const total = served + (callers ?? 0);
  return {
    requests: Math.round(total),
    successRate: total > 0 ? (100 * Math.max(0, served - errors)) / total : null,
  };
}

/** One number from a custom query's answer: exactly one series, else no measurement. */
function customValue(answer: InstantSeries[] | Error | undefined): { value: number | null; error?: string } {
  if (answer === undefined) return { value: null };
  if (answer instanceof Error) return { value: null, error: answer.message };
  if (answer.length > 1) return { value: null, error: `the query returned ${answer.length} series, not one number` };
  return { value: answer[0]?.point[1] ?? null };
}

/** The run's answers -> one measurement per metric of the spec. */
export function assembleMeasurements(
  metrics: readonly AnalysisMetric[],
  a: RunAnswers,
  t: AnalysisTarget,
): Measurement[] {
  const now = versionCounts(a, t.version);
  const base = versionCounts(a, t.baseVersion);
  return metrics.map((m): Measurement => {
    const common = { name: m.name, requests: now.requests };
    if (m.name === "success-rate") return { ...common, value: now.successRate, base: base.successRate };
    if (m.name === "latency-p99")
      return { ...common, value: versionValue(a.p99, t.version), base: versionValue(a.p99, t.baseVersion) };
    return { ...common, ...customValue(a.custom[m.name]) };
  });
}

/** Measures one run; Prometheus being unreachable makes every metric unmeasured (inconclusive). */
export async function measureRun(
  prom: Pick<PrometheusClient, "query">,
  t: AnalysisTarget,
  windowSeconds: number,
  metrics: readonly AnalysisMetric[],
  at?: number,
): Promise<{ measurements: Measurement[]; queries: number }> {
  const q = runQueries(t, windowSeconds, metrics);
  const ask = (promql: string) =>
    prom.query(promql, at).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  const names = Object.keys(q.custom);
  const [requests, errors, callerFailures, p99, ...custom] = await Promise.all([
    ask(q.requests),
    ask(q.errors),
    ask(q.callerFailures),
    ask(q.p99),
    ...names.map((n) => ask(q.custom[n]!)),
  ]);
  const queries = 4 + names.length;
  const failed = [requests, errors, callerFailures].find((x) => x instanceof Error);
  if (failed)
    return {
      queries,
      measurements: metrics.map((m) => ({ name: m.name, value: null, requests: 0, error: failed.message })),
    };
  const answers: RunAnswers = {
    requests: requests as InstantSeries[],
    errors: errors as InstantSeries[],
    callerFailures: callerFailures as InstantSeries[],
    p99: p99 instanceof Error ? [] : p99,
    custom: Object.fromEntries(names.map((n, i) => [n, custom[i]!])),
  };
  const measurements = assembleMeasurements(metrics, answers, t);
  // A p99 Prometheus could not compute is "could not be measured", not "no data".
  return {
    queries,
    measurements:
      p99 instanceof Error
        ? measurements.map((m) => (m.name === "latency-p99" ? { ...m, error: p99.message } : m))
        : measurements,
  };
}
