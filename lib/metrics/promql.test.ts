import { describe, expect, it } from "vitest";
import {
  errorsSince,
  escapePromString,
  escapeRegex,
  istioSelector,
  latencyQuantileByVersion,
  requestsSince,
  rpsByVersion,
  shareByVersion,
  sourceFailureRps,
  sourceFailuresSince,
  sourceSelectors,
  successRateByVersion,
  totalRps,
} from "./promql";
import { RE2JS } from "re2js";

const reviews = { namespace: "bookinfo", service: "reviews" };
const SEL = `{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo"}`;

describe("PromQL builders (exact strings)", () => {
  it.each([
    ["rps", rpsByVersion(reviews), `sum by (destination_version) (rate(istio_requests_total${SEL}[30s]))`],
    [
      "rps, 1m window",
      rpsByVersion(reviews, { rateWindowSeconds: 60 }),
      `sum by (destination_version) (rate(istio_requests_total${SEL}[60s]))`,
    ],
    [
      "rps now (irate)",
      rpsByVersion(reviews, { rateWindowSeconds: 60, instantaneous: true }),
      `sum by (destination_version) (irate(istio_requests_total${SEL}[60s]))`,
    ],
    [
      "share now (irate)",
      shareByVersion(reviews, { rateWindowSeconds: 60, instantaneous: true }),
      `100 * sum by (destination_version) (irate(istio_requests_total${SEL}[60s])) / on() group_left() sum(irate(istio_requests_total${SEL}[60s]))`,
    ],
    ["total", totalRps(reviews), `sum(rate(istio_requests_total${SEL}[30s]))`],
    [
      "share",
      shareByVersion(reviews),
      `100 * sum by (destination_version) (rate(istio_requests_total${SEL}[30s])) / on() group_left() sum(rate(istio_requests_total${SEL}[30s]))`,
    ],
    [
      "success rate",
      successRateByVersion(reviews),
      `100 * (sum by (destination_version) (rate(istio_requests_total{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",response_code!~"5.."}[30s])) or 0 * sum by (destination_version) (rate(istio_requests_total${SEL}[30s]))) / sum by (destination_version) (rate(istio_requests_total${SEL}[30s]))`,
    ],
    [
      "p99",
      latencyQuantileByVersion(reviews, 0.99),
      `histogram_quantile(0.99, sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket${SEL}[30s])))`,
    ],
    [
      "p50, 15s window",
      latencyQuantileByVersion(reviews, 0.5, { rateWindowSeconds: 15 }),
      `histogram_quantile(0.5, sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket${SEL}[15s])))`,
    ],
    [
      "requests since",
      requestsSince(reviews, 600),
      `sum by (destination_version) (increase(istio_requests_total${SEL}[600s]))`,
    ],
    [
      "errors since",
      errorsSince(reviews, 600),
      `sum by (destination_version) (increase(istio_requests_total{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",response_code=~"5.."}[600s]))`,
    ],
  ])("%s", (_name, got, want) => expect(got).toBe(want));

  it("restricts to versions with an escaped alternation", () => {
    expect(istioSelector({ ...reviews, versions: ["v1", "v2.1"] })).toBe(
      `{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",destination_version=~"v1|v2\\\\.1"}`,
    );
  });

  it("escapes label values", () => {
    expect(istioSelector({ namespace: 'ns"x', service: "a\\b\nc" })).toBe(
      `{reporter="destination",destination_service_name="a\\\\b\\nc",destination_workload_namespace="ns\\"x"}`,
    );
  });

  it.each([
    ['a"b', 'a\\"b'],
    ["a\\b", "a\\\\b"],
    ["line\nbreak", "line\\nbreak"],
  ])("escapePromString(%j) = %j", (raw, want) => expect(escapePromString(raw)).toBe(want));

  it("escapeRegex escapes RE2 metacharacters", () => {
    expect(escapeRegex("v1.0+(rc)|x")).toBe("v1\\.0\\+\\(rc\\)\\|x");
  });

  it.each([
    [() => rpsByVersion(reviews, { rateWindowSeconds: 0 })],
    [() => rpsByVersion(reviews, { rateWindowSeconds: 1.5 })],
    [() => latencyQuantileByVersion(reviews, 1)],
    [() => latencyQuantileByVersion(reviews, 0)],
    [() => requestsSince(reviews, -5)],
  ])("rejects nonsense parameters (%#)", (f) => expect(f).toThrow(RangeError));
});

describe("a task's view: its versions kept, every other version folded into one series", () => {
  const task = { ...reviews, fold: ["v1", "v2.1"] };
  const KEEP = `{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",destination_version=~"v1|v2\\\\.1"}`;
  const REST = `{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",destination_version!~"v1|v2\\\\.1"}`;
  const other = (inner: string, by = "") =>
    `label_replace(sum${by} (${inner}), "destination_version", "__other__", "destination_version", ".*")`;

  it.each([
    [
      "rps",
      rpsByVersion(task),
      `(sum by (destination_version) (rate(istio_requests_total${KEEP}[30s])) or ${other(`rate(istio_requests_total${REST}[30s])`)})`,
    ],
    [
      "share: of all the service's requests",
      shareByVersion(task),
      `100 * (sum by (destination_version) (rate(istio_requests_total${KEEP}[30s])) or ${other(`rate(istio_requests_total${REST}[30s])`)}) / on() group_left() sum(rate(istio_requests_total${SEL}[30s]))`,
    ],
    [
      "p99: the other versions' buckets summed before the quantile",
      latencyQuantileByVersion(task, 0.99),
      `histogram_quantile(0.99, (sum by (destination_version, le) (rate(istio_request_duration_milliseconds_bucket${KEEP}[30s])) or ${other(`rate(istio_request_duration_milliseconds_bucket${REST}[30s])`, " by (le)")}))`,
    ],
    [
      "requests since",
      requestsSince(task, 60),
      `(sum by (destination_version) (increase(istio_requests_total${KEEP}[60s])) or ${other(`increase(istio_requests_total${REST}[60s])`)})`,
    ],
  ])("%s", (_name, got, want) => expect(got).toBe(want));

  it("success rate folds numerator and denominator alike, so they match on destination_version", () => {
    const q = successRateByVersion(task);
    expect(q).toContain(
      `${other(`rate(istio_requests_total{reporter="destination",destination_service_name="reviews",destination_workload_namespace="bookinfo",destination_version!~"v1|v2\\\\.1",response_code!~"5.."}[30s])`)}`,
    );
    expect(q.match(/label_replace/g)).toHaveLength(3);
  });
});

describe("source-side failure queries (reporter=source)", () => {
  const Q = `{reporter="source",destination_service=~"reviews\\\\.bookinfo(\\\\.svc(\\\\..+)?)?(:[0-9]+)?",response_flags!~"-|DI"}`;
  const S = `{reporter="source",destination_service=~"reviews(:[0-9]+)?",source_workload_namespace="bookinfo",response_flags!~"-|DI"}`;

  it.each([
    [
      "failures now",
      sourceFailureRps(reviews, { rateWindowSeconds: 60, instantaneous: true }),
      `sum by (destination_canonical_revision, response_flags) (irate(istio_requests_total${Q}[60s]) or irate(istio_requests_total${S}[60s]))`,
    ],
    [
      "failures since",
      sourceFailuresSince(reviews, 300),
      `sum by (destination_canonical_revision, response_flags) (increase(istio_requests_total${Q}[300s]) or increase(istio_requests_total${S}[300s]))`,
    ],
  ])("%s", (_name, got, want) => expect(got).toBe(want));

  // What the selectors must and must not pick, checked with the RE2 engine Prometheus' regexes share.
  it.each([
    ["reviews.bookinfo.svc.cluster.local", true], // the chosen cluster (UH, FI, UT, URX)
    ["reviews.bookinfo", true], // Host header fallback (NR, NC)
    ["reviews.bookinfo:9080", true],
    ["reviews.bookinfo.svc:9080", true],
    ["reviews.other.svc.cluster.local", false],
    ["reviewsx.bookinfo.svc.cluster.local", false],
    ["ratings.bookinfo.svc.cluster.local", false],
  ])("qualified selector on destination_service=%s -> %s", (value, want) => {
    const re = /destination_service=~"([^"]+)"/.exec(sourceSelectors(reviews)[0])![1]!.replace(/\\\\/g, "\\");
    expect(RE2JS.matches(re, value)).toBe(want);
  });
});

describe("a service routed through per-version Services (gateway-api backend): aliases", () => {
  const routed = { ...reviews, aliases: ["reviews-v1", "reviews-v2"] };

  it("the destination side matches the service and its per-version Services by name", () => {
    expect(rpsByVersion(routed)).toBe(
      `sum by (destination_version) (rate(istio_requests_total{reporter="destination",destination_service_name=~"reviews|reviews-v1|reviews-v2",destination_workload_namespace="bookinfo"}[30s]))`,
    );
  });

  it.each([
    ["reviews-v2.bookinfo.svc.cluster.local", true],
    ["reviews.bookinfo:9080", true],
    ["reviews-v3.bookinfo.svc.cluster.local", false],
    ["reviews-v1x.bookinfo.svc.cluster.local", false],
  ])("the callers' side: destination_service=%s -> %s", (value, want) => {
    const re = /destination_service=~"([^"]+)"/.exec(sourceSelectors(routed)[0])![1]!.replace(/\\\\/g, "\\");
    expect(RE2JS.matches(re, value)).toBe(want);
  });
});
