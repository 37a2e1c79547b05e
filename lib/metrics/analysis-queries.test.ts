import { describe, expect, it } from "vitest";
import type { AnalysisMetric } from "@/lib/release/analysis-schema";
import { assembleMeasurements, fillQuery, measureRun, runQueries, versionCounts } from "./analysis-queries";
import type { InstantSeries } from "./prometheus";

const t = { namespace: "shop", service: "reviews", version: "v2", baseVersion: "v1" };
const at = (labels: Record<string, string>, v: number | null): InstantSeries => ({ labels, point: [0, v] });
const byVersion = (o: Record<string, number>) => Object.entries(o).map(([v, n]) => at({ destination_version: v }, n));
const metrics: AnalysisMetric[] = [
  { name: "success-rate", min: 99 },
  { name: "latency-p99", max: 500 },
  { name: "cpu", query: 'sum(x{namespace="{{namespace}}",v="{{version}}"}[{{interval}}])', max: 1 },
];

describe("runQueries", () => {
  it("asks for both versions over the window, and fills the custom query in", () => {
    const q = runQueries(t, 15, metrics);
    expect(q.requests).toBe(
      'sum by (destination_version) (increase(istio_requests_total{reporter="destination",destination_service_name="reviews",destination_workload_namespace="shop",destination_version=~"v2|v1"}[15s]))',
    );
    expect(q.errors).toContain('response_code=~"5.."');
    expect(q.callerFailures).toContain('reporter="source"');
    expect(q.callerFailures).toContain("[15s]");
    expect(q.p99).toMatch(/^histogram_quantile\(0\.99, .*\[15s\]/);
    expect(q.custom).toEqual({ cpu: 'sum(x{namespace="shop",v="v2"}[15s])' });
  });
  it("escapes what it fills into a label literal", () => {
    expect(fillQuery('up{v="{{version}}", b="{{ baseVersion }}"}', { ...t, version: 'a"b\\' }, 10)).toBe(
      'up{v="a\\"b\\\\", b="v1"}',
    );
  });
});

describe("versionCounts", () => {
  it.each([
    {
      what: "served requests and their 5xx",
      answers: { requests: byVersion({ v2: 400, v1: 3000 }), errors: byVersion({ v2: 40 }), callerFailures: [] },
      want: { requests: 400, successRate: 90 },
    },
    {
      what: "a timeout the caller saw against a v2 pod counts as a failed request",
      answers: {
        requests: byVersion({ v2: 90 }),
        errors: [],
        callerFailures: [at({ destination_canonical_revision: "v2", response_flags: "UT" }, 10)],
      },
      want: { requests: 100, successRate: 90 },
    },
    {
      what: "failures before any version are not put on v2",
      answers: {
        requests: byVersion({ v2: 100 }),
        errors: [],
        callerFailures: [at({ destination_canonical_revision: "latest", response_flags: "UH" }, 50)],
      },
      want: { requests: 100, successRate: 100 },
    },
    {
      what: "no traffic: no success rate (never 100%)",
      answers: { requests: [], errors: [], callerFailures: [] },
      want: { requests: 0, successRate: null },
    },
  ])("$what", ({ answers, want }) => expect(versionCounts(answers, "v2")).toEqual(want));
});

describe("assembleMeasurements", () => {
  it("one measurement per metric, with the base's value beside", () => {
    const got = assembleMeasurements(
      metrics,
      {
        requests: byVersion({ v2: 412, v1: 4000 }),
        errors: byVersion({ v2: 52.6, v1: 4 }),
        callerFailures: [],
        p99: byVersion({ v2: 480, v1: 60 }),
        custom: { cpu: [at({}, 0.5)] },
      },
      t,
    );
    expect(got).toEqual([
      { name: "success-rate", requests: 412, value: (100 * (412 - 52.6)) / 412, base: 99.9 },
      { name: "latency-p99", requests: 412, value: 480, base: 60 },
      { name: "cpu", requests: 412, value: 0.5 },
    ]);
  });
  it("a custom query with several series or an error measures nothing, and says why", () => {
    const base = { requests: [], errors: [], callerFailures: [], p99: [] };
    const [, , many] = assembleMeasurements(metrics, { ...base, custom: { cpu: [at({}, 1), at({}, 2)] } }, t);
    expect(many).toMatchObject({ value: null, error: "the query returned 2 series, not one number" });
    const [, , failed] = assembleMeasurements(metrics, { ...base, custom: { cpu: new Error("bad_data") } }, t);
    expect(failed).toMatchObject({ value: null, error: "bad_data" });
  });
});

describe("measureRun", () => {
  it("Prometheus down: every metric unmeasured, with its message", async () => {
    const prom = { query: async () => Promise.reject(new Error("Prometheus is unreachable")) };
    const r = await measureRun(prom, t, 10, metrics);
    expect(r.queries).toBe(5);
    expect(r.measurements.map((m) => [m.value, m.error])).toEqual([
      [null, "Prometheus is unreachable"],
      [null, "Prometheus is unreachable"],
      [null, "Prometheus is unreachable"],
    ]);
  });
});
