// PURE Prometheus text exposition (format 0.0.4) of the two Istio standard metrics the console
// reads: istio_requests_total (counter) and istio_request_duration_milliseconds (histogram),
// with the label names and default buckets Istio's telemetry uses, so the console's PromQL
// runs unchanged against a real mesh.

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** One observed request, as the destination's sidecar would report it. */
export interface RequestObservation {
  sourceWorkload: string;
  sourceWorkloadNamespace: string;
  sourceApp: string;
  sourceVersion: string;
  destinationWorkload: string;
  destinationWorkloadNamespace: string;
  destinationServiceName: string;
  destinationServiceNamespace: string;
  /** FQDN, e.g. reviews.bookinfo.svc.cluster.local */
  destinationService: string;
  destinationVersion: string;
  destinationApp: string;
  responseCode: number;
}

/** Prometheus label value escaping: backslash, double quote, newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labelPairs(o: RequestObservation): [string, string][] {
  return [
    ["reporter", "destination"],
    ["source_workload", o.sourceWorkload],
    ["source_workload_namespace", o.sourceWorkloadNamespace],
    ["source_app", o.sourceApp],
    ["source_version", o.sourceVersion],
    ["destination_workload", o.destinationWorkload],
    ["destination_workload_namespace", o.destinationWorkloadNamespace],
    ["destination_service", o.destinationService],
    ["destination_service_name", o.destinationServiceName],
    ["destination_service_namespace", o.destinationServiceNamespace],
    ["destination_version", o.destinationVersion],
    ["destination_app", o.destinationApp],
    ["request_protocol", "http"],
    ["response_code", String(o.responseCode)],
    ["response_flags", "-"],
    ["connection_security_policy", "mutual_tls"],
  ];
}

function formatLabels(pairs: readonly [string, string][]): string {
  return pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",");
}

/** Prometheus float formatting: integers plainly, specials as +Inf/-Inf/NaN. */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

interface Series {
  /** Rendered label set without braces, shared by the counter and the histogram. */
  labels: string;
  count: number;
  sumMs: number;
  /** Non-cumulative per-bucket counts; index = bucket (overflow past the last bound is only in `count`). */
  buckets: number[];
}

/** Upper-bound index of the first bucket whose `le` >= value, or buckets.length for +Inf. */
function bucketIndex(bounds: readonly number[], value: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] as number) >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class IstioMetricsRegistry {
  private readonly series = new Map<string, Series>();

  constructor(private readonly bounds: readonly number[] = ISTIO_DURATION_BUCKETS_MS) {}

  /** Counts one request (`count` > 1 records identical requests at once) with its duration in ms. */
  record(o: RequestObservation, durationMs: number, count = 1): void {
    const pairs = labelPairs(o);
    const key = pairs.map(([, v]) => v).join("\u0000");
    let s = this.series.get(key);
    if (!s) {
      s = { labels: formatLabels(pairs), count: 0, sumMs: 0, buckets: new Array<number>(this.bounds.length).fill(0) };
      this.series.set(key, s);
    }
    s.count += count;
    s.sumMs += durationMs * count;
    const i = bucketIndex(this.bounds, durationMs);
    if (i < s.buckets.length) s.buckets[i] = (s.buckets[i] as number) + count;
  }

  get seriesCount(): number {
    return this.series.size;
  }

  /** Total requests recorded, across every series. */
  get totalRequests(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.count;
    return n;
  }

  exposition(): string {
    const out: string[] = [];
    const all = [...this.series.values()].sort((a, b) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0));
    out.push("# HELP istio_requests_total Total number of requests (simulated by gray-console mesh-sim)");
    out.push("# TYPE istio_requests_total counter");
    for (const s of all) out.push(`istio_requests_total{${s.labels}} ${s.count}`);
    out.push("# HELP istio_request_duration_milliseconds Request duration in milliseconds (simulated by gray-console mesh-sim)");
    out.push("# TYPE istio_request_duration_milliseconds histogram");
    for (const s of all) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.buckets[i] as number;
        out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="${formatSampleValue(le)}"} ${cumulative}`);
      });
      out.push(`istio_request_duration_milliseconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`istio_request_duration_milliseconds_sum{${s.labels}} ${formatSampleValue(s.sumMs)}`);
      out.push(`istio_request_duration_milliseconds_count{${s.labels}} ${s.count}`);
    }
    return out.join("\n") + "\n";
  }
}
