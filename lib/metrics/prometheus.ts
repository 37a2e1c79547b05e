// A small Prometheus HTTP API client (instant and range queries) and the parsing of its
// answers into typed series. Every failure — Prometheus down, slow, or answering an error —
// becomes a MetricsUnavailableError whose message says what to do about it.
import { z } from "zod";

export const DEFAULT_PROMETHEUS_URL = "http://127.0.0.1:9090";
export const DEFAULT_TIMEOUT_MS = 5_000;

/** PROMETHEUS_URL, or the local development instance. */
export function defaultPrometheusUrl(): string {
  return process.env.PROMETHEUS_URL || DEFAULT_PROMETHEUS_URL;
}

export type MetricsUnavailableReason = "unreachable" | "timeout" | "http" | "query" | "malformed";

export class MetricsUnavailableError extends Error {
  override readonly name = "MetricsUnavailableError";
  constructor(
    message: string,
    readonly reason: MetricsUnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** [unix seconds, value]; value is null for NaN/±Inf (no meaningful number, e.g. 0/0). */
export type SamplePoint = [number, number | null];

export interface InstantSeries {
  labels: Record<string, string>;
  point: SamplePoint;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: SamplePoint[];
}

/** Prometheus sends sample values as strings: "1.5", "NaN", "+Inf", "-Inf". */
export function parseSampleValue(raw: string): number | null {
  const v = Number(raw);
  return Number.isFinite(v) ? v : null;
}

const RawPoint = z.tuple([z.number(), z.string()]);
const Labels = z.record(z.string(), z.string());
const Data = z.discriminatedUnion("resultType", [
  z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: Labels, value: RawPoint })) }),
  z.object({
    resultType: z.literal("matrix"),
    result: z.array(z.object({ metric: Labels, values: z.array(RawPoint) })),
  }),
  z.object({ resultType: z.literal("scalar"), result: RawPoint }),
  z.object({ resultType: z.literal("string"), result: RawPoint }),
]);
const Envelope = z.union([
  z.object({ status: z.literal("success"), data: Data, warnings: z.array(z.string()).optional() }),
  z.object({ status: z.literal("error"), errorType: z.string().optional(), error: z.string().optional() }),
]);
type ApiData = z.infer<typeof Data>;

const toPoint = ([t, v]: [number, string]): SamplePoint => [t, parseSampleValue(v)];

function unwrap(json: unknown): ApiData {
  const parsed = Envelope.safeParse(json);
  if (!parsed.success) {
    throw new MetricsUnavailableError(
      `Prometheus answered something that is not a query result (${parsed.error.issues[0]?.message ?? "unexpected shape"})`,
      "malformed",
    );
  }
  if (parsed.data.status === "error") {
    throw new MetricsUnavailableError(
      `Prometheus rejected the query: ${parsed.data.errorType ?? "error"}: ${parsed.data.error ?? "(no message)"}`,
      "query",
    );
  }
  return parsed.data.data;
}

/** Parses an instant-query answer (vector or scalar) into series; an empty result is []. */
export function parseInstantResponse(json: unknown): InstantSeries[] {
  const data = unwrap(json);
  switch (data.resultType) {
    case "vector":
      return data.result.map((r) => ({ labels: r.metric, point: toPoint(r.value) }));
    case "scalar":
      return [{ labels: {}, point: toPoint(data.result) }];
    default:
      throw new MetricsUnavailableError(
        `expected an instant vector, Prometheus returned a ${data.resultType}`,
        "malformed",
      );
  }
}

/** Parses a range-query answer (matrix) into series; an empty result is []. */
export function parseRangeResponse(json: unknown): RangeSeries[] {
  const data = unwrap(json);
  if (data.resultType !== "matrix") {
    throw new MetricsUnavailableError(`expected a range vector, Prometheus returned a ${data.resultType}`, "malformed");
  }
  return data.result.map((r) => ({ labels: r.metric, points: r.values.map(toPoint) }));
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 (a path prefix is kept). Default: PROMETHEUS_URL. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface RangeParams {
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
}

function causeText(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string") return cause.code;
  return cause instanceof Error ? cause.message : String(cause);
}

export class PrometheusClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(opts: PrometheusClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? defaultPrometheusUrl()).replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Instant query at `time` (unix seconds; default: Prometheus' now). */
  async query(promql: string, time?: number): Promise<InstantSeries[]> {
    const form = new URLSearchParams({ query: promql });
    if (time !== undefined) form.set("time", String(time));
    return parseInstantResponse(await this.post("/api/v1/query", form));
  }

  async queryRange(promql: string, range: RangeParams): Promise<RangeSeries[]> {
    const form = new URLSearchParams({
      query: promql,
      start: String(range.start),
      end: String(range.end),
      step: String(range.stepSeconds),
    });
    return parseRangeResponse(await this.post("/api/v1/query_range", form));
  }

  // POST (form-encoded) so long PromQL never hits URL length limits.
  private async post(path: string, form: URLSearchParams): Promise<unknown> {
    const url = `${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
        throw new MetricsUnavailableError(
          `Prometheus at ${this.baseUrl} did not answer within ${this.timeoutMs} ms`,
          "timeout",
          { cause: err },
        );
      }
      throw new MetricsUnavailableError(
        `Prometheus at ${this.baseUrl} is unreachable (${causeText(err)}); is it running? Locally: dev/scripts/prometheus.sh start, or set PROMETHEUS_URL`,
        "unreachable",
        { cause: err },
      );
    }
    const text = await res.text().catch(() => "");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new MetricsUnavailableError(
        `Prometheus at ${this.baseUrl} answered HTTP ${res.status} ${res.statusText} that is not JSON${text ? `: ${text.slice(0, 200)}` : ""}`,
        "http",
      );
    }
    // 400/422/503 carry a JSON error envelope: let unwrap() report Prometheus' own message.
    if (!res.ok && !(json && typeof json === "object" && (json as { status?: unknown }).status === "error")) {
      throw new MetricsUnavailableError(
        `Prometheus at ${this.baseUrl} answered HTTP ${res.status} ${res.statusText}`,
        "http",
      );
    }
    return json;
  }
}
