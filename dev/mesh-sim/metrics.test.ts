import { describe, expect, it } from "vitest";
import { destinationLabels, ISTIO_LABEL_NAMES, type IstioLabels, type Workload } from "./istio-labels";
import { escapeLabelValue, formatSampleValue, ISTIO_DURATION_BUCKETS_MS, IstioMetricsRegistry } from "./metrics";

/** A strict-enough parser of the text format: what Prometheus would ingest. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
function parseExposition(text: string): { samples: Sample[]; types: Record<string, string> } {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE (\S+) (counter|histogram|gauge)$/.exec(line);
    if (type) {
      types[type[1] as string] = type[2] as string;
      continue;
    }
    if (line.startsWith("# HELP ")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] as string;
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (let lm = re.exec(body); lm; lm = re.exec(body)) {
      labels[lm[1] as string] = (lm[2] as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      consumed = re.lastIndex;
      if (consumed >= body.length) break;
    }
    if (consumed !== body.length) throw new Error(`bad labels: ${body}`);
    const raw = m[3] as string;
    const value = raw === "+Inf" ? Infinity : raw === "-Inf" ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== "NaN") throw new Error(`bad value: ${raw}`);
    samples.push({ name: m[1] as string, labels, value });
  }
  return { samples, types };
}

const PRODUCTPAGE: Workload = {
  name: "productpage-v1",
  namespace: "bookinfo",
  labels: { app: "productpage", version: "v1" },
  serviceAccount: "bookinfo-productpage",
};
const REVIEWS_V2: Workload = {
  name: "reviews-v2",
  namespace: "bookinfo",
  labels: { app: "reviews", version: "v2" },
  serviceAccount: "bookinfo-reviews",
};
const REVIEWS = { host: "reviews.bookinfo.svc.cluster.local", name: "reviews", namespace: "bookinfo" };

const obs = (over: Partial<IstioLabels> = {}): IstioLabels => ({
  ...destinationLabels({ caller: PRODUCTPAGE, server: REVIEWS_V2, service: REVIEWS, code: 200 }),
  ...over,
});

describe("IstioMetricsRegistry exposition", () => {
  const reg = new IstioMetricsRegistry();
  reg.record(obs(), 3);
  reg.record(obs(), 12);
  reg.record(obs(), 0.5); // exactly on a bound: counts in le="0.5"
  reg.record(obs(), 4_000_000); // beyond the last bound: only +Inf
  reg.record(obs({ response_code: "500" }), 30, 4);
  reg.record(obs({ destination_version: "v1", destination_workload: "reviews-v1" }), 7);
  const { samples, types } = parseExposition(reg.exposition());
  const find = (name: string, l: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(l).every(([k, v]) => s.labels[k] === v));

  it("declares a counter and a histogram", () => {
    expect(types).toEqual({ istio_requests_total: "counter", istio_request_duration_milliseconds: "histogram" });
  });

  it("carries every label of Istio's standard set, once", () => {
    const s = find("istio_requests_total", { destination_version: "v2", response_code: "200" })[0];
    expect(Object.keys(s?.labels ?? {}).sort()).toEqual([...ISTIO_LABEL_NAMES].sort());
  });

  it("carries Istio's standard label values", () => {
    const s = find("istio_requests_total", { destination_version: "v2", response_code: "200" });
    expect(s).toHaveLength(1);
    expect(s[0]?.labels).toMatchObject({
      reporter: "destination",
      source_workload: "productpage-v1",
      destination_workload: "reviews-v2",
      destination_workload_namespace: "bookinfo",
      destination_service_name: "reviews",
      destination_service: "reviews.bookinfo.svc.cluster.local",
      destination_version: "v2",
      response_code: "200",
      request_protocol: "http",
    });
    expect(s[0]?.value).toBe(4);
  });

  it("counts per label set (a count > 1 records identical requests)", () => {
    expect(find("istio_requests_total", { destination_version: "v2", response_code: "500" })[0]?.value).toBe(4);
    expect(find("istio_requests_total", { destination_version: "v1" })[0]?.value).toBe(1);
    expect(find("istio_requests_total", {})).toHaveLength(3);
  });

  it("exposes cumulative buckets with Istio's bounds, +Inf, _sum and _count", () => {
    const buckets = find("istio_request_duration_milliseconds_bucket", {
      destination_version: "v2",
      response_code: "200",
    });
    expect(buckets.map((b) => b.labels.le)).toEqual([...ISTIO_DURATION_BUCKETS_MS.map(String), "+Inf"]);
    const byLe = Object.fromEntries(buckets.map((b) => [b.labels.le, b.value]));
    expect(byLe).toMatchObject({ "0.5": 1, "1": 1, "5": 2, "10": 2, "25": 3, "3600000": 3, "+Inf": 4 });
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    expect(
      find("istio_request_duration_milliseconds_count", { destination_version: "v2", response_code: "200" })[0]?.value,
    ).toBe(4);
    expect(
      find("istio_request_duration_milliseconds_sum", { destination_version: "v2", response_code: "200" })[0]?.value,
    ).toBeCloseTo(4_000_015.5);
    expect(find("istio_request_duration_milliseconds_sum", { response_code: "500" })[0]?.value).toBe(120);
  });

  it("reports totals", () => {
    expect(reg.totalRequests).toBe(9);
    expect(reg.seriesCount).toBe(3);
  });
});

describe("label escaping", () => {
  it.each([
    ['a"b', 'a\\"b'],
    ["a\\b", "a\\\\b"],
    ["a\nb", "a\\nb"],
    ["plain", "plain"],
  ])("%j -> %j", (raw, want) => expect(escapeLabelValue(raw)).toBe(want));

  it("round-trips through the parser", () => {
    const reg = new IstioMetricsRegistry();
    reg.record(obs({ source_workload: 'we"ird\\name\n' }), 1);
    const { samples } = parseExposition(reg.exposition());
    expect(samples[0]?.labels.source_workload).toBe('we"ird\\name\n');
  });
});

describe("formatSampleValue", () => {
  it.each([
    [1, "1"],
    [0.5, "0.5"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [NaN, "NaN"],
  ])("%s -> %s", (v, s) => expect(formatSampleValue(v)).toBe(s));
});
