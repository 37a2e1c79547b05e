// PURE Prometheus text exposition (format 0.0.4) of the two Istio standard metrics the console
// reads: istio_requests_total (counter) and istio_request_duration_milliseconds (histogram),
// with Istio's full label set (./istio-labels.ts) and default buckets, so the console's PromQL
// runs unchanged against a real mesh.
import { ISTIO_LABEL_NAMES, type IstioLabels } from "./istio-labels";

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/** Prometheus label value escaping: backslash, double quote, newline. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatLabels(labels: IstioLabels): string {
  return ISTIO_LABEL_NAMES.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(",");
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
  record(labels: IstioLabels, durationMs: number, count = 1): void {
    const key = ISTIO_LABEL_NAMES.map((k) => labels[k]).join("\u0000");
    let s = this.series.get(key);
    if (!s) {
      s = { labels: formatLabels(labels), count: 0, sumMs: 0, buckets: new Array<number>(this.bounds.length).fill(0) };
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
    out.push(
      "# HELP istio_request_duration_milliseconds Request duration in milliseconds (simulated by gray-console mesh-sim)",
    );
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
    return `${out.join("\n")}\n`;
  }
}
