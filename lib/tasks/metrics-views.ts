// The metrics answer (a task's or a service's, GET .../metrics) as a zod schema: observed
// per-version series from Prometheus next to the configured weights and the pods. The shapes
// lib/metrics computes are restated here and checked against its types at compile time.
import { z } from "zod";
import type { Same } from "@/lib/type-check";
import {
  METRIC_NAMES,
  type TrafficSummary as MetricsTrafficSummary,
  type VersionMetrics as MetricsVersionMetrics,
} from "@/lib/metrics/version-metrics";
import type {
  PodCounts as MetricsPodCounts,
  VersionStatus as MetricsVersionStatus,
} from "@/lib/metrics/version-status";

const count = z.number().int();
const unixSeconds = z.number().describe("unix seconds");
const SamplePoint = z.tuple([unixSeconds, z.number().nullable()]);
const perMetric = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(METRIC_NAMES.map((m) => [m, value])) as Record<(typeof METRIC_NAMES)[number], T>);

const FailureSeries = z.object({
  series: z.array(SamplePoint).describe("failed requests per second on the shared time grid"),
  current: z.number().nullable(),
  reasons: z.record(z.string(), z.number()).describe("failed requests per second now, by Envoy response flags"),
  rangeFlags: z.array(z.string()),
});
const FailureCount = z.object({ requests: z.number(), reasons: z.record(z.string(), z.number()) });

export const VersionMetrics = z.object({
  range: z.object({ start: unixSeconds, end: unixSeconds }),
  step: z.number(),
  versions: z.record(
    z.string(),
    z.object({ series: perMetric(z.array(SamplePoint)), current: perMetric(z.number().nullable()) }),
  ),
  sourceFailures: z
    .object({ byVersion: z.record(z.string(), FailureSeries), beforeAnyVersion: FailureSeries })
    .describe("failures the callers' proxies reported (reporter=source), by version or before any version"),
  noTraffic: z.boolean(),
});
true satisfies Same<z.infer<typeof VersionMetrics>, MetricsVersionMetrics>;

export const TrafficSummary = z
  .object({
    sinceSeconds: z.number(),
    at: unixSeconds,
    total: z.number(),
    versions: z.record(
      z.string(),
      z.object({
        requests: z.number(),
        errors: z.number(),
        percent: z.number().nullable(),
        errorPercent: z.number().nullable(),
      }),
    ),
    failures: z.object({
      total: z.number(),
      byVersion: z.record(z.string(), FailureCount),
      beforeAnyVersion: FailureCount,
    }),
    noTraffic: z.boolean(),
  })
  .describe("gray vs main since the last routing change (or the last 5 minutes)");
true satisfies Same<z.infer<typeof TrafficSummary>, MetricsTrafficSummary>;

const PodCounts = z.object({ ready: count, desired: count });
true satisfies Same<z.infer<typeof PodCounts>, MetricsPodCounts>;
const VersionStatus = z.enum(["serving", "failing", "no-ready-pods", "no-traffic"]);
true satisfies Same<z.infer<typeof VersionStatus>, MetricsVersionStatus>;

export const MetricsResponse = VersionMetrics.extend({
  configured: z
    .record(z.string(), z.array(z.tuple([unixSeconds, z.number()])))
    .describe("configured weight per version as a step line over the same range"),
  summary: TrafficSummary,
  pods: z
    .record(z.string(), PodCounts)
    .nullable()
    .describe("ready/desired pods per version; null when the cluster could not be read"),
  versionStatus: z.record(z.string(), VersionStatus),
  task: z
    .object({ baseVersion: z.string(), newVersion: z.string(), startedAt: unixSeconds })
    .optional()
    .describe(
      'a task\'s metrics: `versions` holds its base and new versions and every other version summed as "__other__"',
    ),
}).meta({ id: "MetricsResponse" });
export type MetricsResponse = z.infer<typeof MetricsResponse>;
