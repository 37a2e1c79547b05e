// PURE PromQL builders over Istio's standard metrics only (istio_requests_total and
// istio_request_duration_milliseconds, reporter="destination", split by destination_version),
// so the same queries work on a real mesh and against the local simulator.

import { OTHER_TRAFFIC } from "./fold";

export interface ServiceRef {
  namespace: string;
  /** Kubernetes Service name (destination_service_name). */
  service: string;
  /**
   * Other Services that are this one (destination_service_name): the per-version Services the
   * Gateway API backend routes through (`reviews-v1`), which Istio reports as the destination.
   */
  aliases?: readonly string[];
  /** Restrict to these destination_version values (omitted/empty = all versions). */
  versions?: readonly string[];
  /**
   * Keep these destination_version values as they are and sum every other version into one
   * series labelled destination_version="__other__" (OTHER_TRAFFIC): a task's charts show its
   * own versions and the rest of the service as "other traffic".
   */
  fold?: readonly string[];
}

export interface QueryOptions {
  /** Range-vector window for rate(), in seconds. Default 30 (KubeSphere's). */
  rateWindowSeconds?: number;
  /**
   * irate() instead of rate(): the rate between the last two samples in the window, so a
   * routing change shows after one or two scrapes instead of after most of the window. Used
   * for the headline "now" numbers; charts keep the smoother rate().
   */
  instantaneous?: boolean;
}

export const DEFAULT_RATE_WINDOW_SECONDS = 30;

/** Escapes a PromQL double-quoted string literal (label matcher values). */
export function escapePromString(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Escapes RE2 metacharacters so a literal can sit inside a `=~` alternation. */
export function escapeRegex(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function seconds(n: number, what: string): string {
  if (!Number.isInteger(n) || n <= 0)
    throw new RangeError(`${what} must be a positive whole number of seconds (got ${n})`);
  return `${n}s`;
}

function rateFn(opts: QueryOptions | undefined): "rate" | "irate" {
  return opts?.instantaneous ? "irate" : "rate";
}

function windowOf(opts: QueryOptions | undefined): string {
  return seconds(opts?.rateWindowSeconds ?? DEFAULT_RATE_WINDOW_SECONDS, "rate window");
}

function serviceNameMatcher(ref: ServiceRef): string {
  const names = [ref.service, ...(ref.aliases ?? [])];
  if (names.length === 1) return `destination_service_name="${escapePromString(ref.service)}"`;
  return `destination_service_name=~"${escapePromString(names.map(escapeRegex).join("|"))}"`;
}

/**
 * `{reporter="destination",destination_service_name="…",destination_workload_namespace="…"[,destination_version=~"…"]}`
 * plus any extra matchers (already rendered, e.g. `response_code!~"5.."`).
 */
export function istioSelector(ref: ServiceRef, extra: readonly string[] = []): string {
  const m = [
    `reporter="destination"`,
    serviceNameMatcher(ref),
    `destination_workload_namespace="${escapePromString(ref.namespace)}"`,
  ];
  if (ref.versions && ref.versions.length > 0) {
    m.push(`destination_version=~"${escapePromString(ref.versions.map(escapeRegex).join("|"))}"`);
  }
  return `{${[...m, ...extra].join(",")}}`;
}

const NOT_5XX = `response_code!~"5.."`;

/**
 * `sum by (destination_version[, by]) (fn(metric{selector}[window]))`. With `ref.fold`, the kept
 * versions are summed the same way and every other version into one series whose
 * destination_version is set to OTHER_TRAFFIC (label_replace of an aggregate that has lost the
 * label: its empty value matches ".*").
 */
function sumByVersion(
  ref: ServiceRef,
  metric: string,
  fn: string,
  window: string,
  extra: readonly string[] = [],
  by: readonly string[] = [],
): string {
  const labels = ["destination_version", ...by].join(", ");
  if (!ref.fold || ref.fold.length === 0)
    return `sum by (${labels}) (${fn}(${metric}${istioSelector(ref, extra)}[${window}]))`;
  const alternation = escapePromString(ref.fold.map(escapeRegex).join("|"));
  const kept = `sum by (${labels}) (${fn}(${metric}${istioSelector(ref, [`destination_version=~"${alternation}"`, ...extra])}[${window}]))`;
  const restBy = by.length > 0 ? ` by (${by.join(", ")})` : "";
  const rest = `sum${restBy} (${fn}(${metric}${istioSelector(ref, [`destination_version!~"${alternation}"`, ...extra])}[${window}]))`;
  return `(${kept} or label_replace(${rest}, "destination_version", "${OTHER_TRAFFIC}", "destination_version", ".*"))`;
}

/** Requests per second per version. */
export function rpsByVersion(ref: ServiceRef, opts?: QueryOptions): string {
  return sumByVersion(ref, "istio_requests_total", rateFn(opts), windowOf(opts));
}

/** Total requests per second across the selected versions. */
export function totalRps(ref: ServiceRef, opts?: QueryOptions): string {
  return `sum(${rateFn(opts)}(istio_requests_total${istioSelector(ref)}[${windowOf(opts)}]))`;
}

/**
 * Share of the service's traffic per version, in percent. 0/0 (no traffic at all) yields NaN,
 * which the client turns into null: "no data", never a fake 0%.
 */
export function shareByVersion(ref: ServiceRef, opts?: QueryOptions): string {
  return `100 * ${rpsByVersion(ref, opts)} / on() group_left() ${totalRps(ref, opts)}`;
}

/**
 * Non-5xx requests / all requests per version, in percent. The `or 0 * …` keeps a version that
 * answered ONLY 5xx in the result (at 0%) instead of dropping it for lack of a numerator.
 */
export function successRateByVersion(ref: ServiceRef, opts?: QueryOptions): string {
  const w = windowOf(opts);
  const ok = sumByVersion(ref, "istio_requests_total", "rate", w, [NOT_5XX]);
  const all = sumByVersion(ref, "istio_requests_total", "rate", w);
  return `100 * (${ok} or 0 * ${all}) / ${all}`;
}

/** Latency quantile (0 < q < 1) per version in milliseconds, from Istio's duration histogram. */
export function latencyQuantileByVersion(ref: ServiceRef, quantile: number, opts?: QueryOptions): string {
  if (!(quantile > 0 && quantile < 1)) throw new RangeError(`quantile must be in (0, 1) (got ${quantile})`);
  return `histogram_quantile(${quantile}, ${sumByVersion(ref, "istio_request_duration_milliseconds_bucket", "rate", windowOf(opts), [], ["le"])})`;
}

/** Requests per version over the last `sinceSeconds` (evaluated at the query time). */
export function requestsSince(ref: ServiceRef, sinceSeconds: number): string {
  return sumByVersion(ref, "istio_requests_total", "increase", seconds(sinceSeconds, "since"));
}

/** 5xx responses per version over the last `sinceSeconds`. */
export function errorsSince(ref: ServiceRef, sinceSeconds: number): string {
  return sumByVersion(ref, "istio_requests_total", "increase", seconds(sinceSeconds, "since"), [
    `response_code=~"5.."`,
  ]);
}

// ---------------------------------------------------------------- failures the callers report
//
// A request that never reaches a pod (no healthy upstream UH, no route NR, no cluster NC, fault
// abort FI) is counted ONLY by the caller's sidecar or gateway, as reporter="source", with
// response_flags saying why and, no upstream having answered, destination_workload/_version
// "unknown" and destination_canonical_revision "latest" (istio/proxy istio_stats.cc). When a
// pod was picked but failed the caller (timeout UT, retries exhausted URX), the source report
// still names it by destination_canonical_revision. The destination-side queries above cannot
// see any of this, so these queries read the source side.

/** Any response flag except none ("-") and a lone delay ("DI"), which is not a failure. */
const FAILED_AT_CALLER = `response_flags!~"-|DI"`;

/**
 * The two ways a source report names a service: the chosen cluster's FQDN (destination_service
 * "reviews.bookinfo.svc.cluster.local"), or, with no cluster (NR, NC), the Host header the caller
 * sent: "reviews.bookinfo[.svc...][:port]" from anywhere, a bare "reviews[:port]" only from
 * callers in the service's own namespace.
 */
export function sourceSelectors(ref: ServiceRef, extra: readonly string[] = []): [string, string] {
  const names = [ref.service, ...(ref.aliases ?? [])].map(escapeRegex);
  const name = escapePromString(names.length === 1 ? names[0]! : `(${names.join("|")})`);
  const ns = escapePromString(escapeRegex(ref.namespace));
  const qualified = [
    `reporter="source"`,
    `destination_service=~"${name}\\\\.${ns}(\\\\.svc(\\\\..+)?)?(:[0-9]+)?"`,
    ...extra,
  ];
  const short = [
    `reporter="source"`,
    `destination_service=~"${name}(:[0-9]+)?"`,
    `source_workload_namespace="${escapePromString(ref.namespace)}"`,
    ...extra,
  ];
  return [`{${qualified.join(",")}}`, `{${short.join(",")}}`];
}

const FAILURE_LABELS = "destination_canonical_revision, response_flags";

function overSourceSelectors(ref: ServiceRef, fn: string, window: string): string {
  const [qualified, short] = sourceSelectors(ref, [FAILED_AT_CALLER]);
  return `sum by (${FAILURE_LABELS}) (${fn}(istio_requests_total${qualified}[${window}]) or ${fn}(istio_requests_total${short}[${window}]))`;
}

/** Requests per second the callers' proxies reported as failed, by revision and response flags. */
export function sourceFailureRps(ref: ServiceRef, opts?: QueryOptions): string {
  return overSourceSelectors(ref, rateFn(opts), windowOf(opts));
}

/** Failed requests the callers' proxies reported over the last `sinceSeconds`, by revision and flags. */
export function sourceFailuresSince(ref: ServiceRef, sinceSeconds: number): string {
  return overSourceSelectors(ref, "increase", seconds(sinceSeconds, "since"));
}
