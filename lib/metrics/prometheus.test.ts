import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MetricsUnavailableError,
  parseInstantResponse,
  parseRangeResponse,
  parseSampleValue,
  PrometheusClient,
} from "./prometheus";

describe("parseSampleValue", () => {
  it.each([
    ["1", 1],
    ["0", 0],
    ["12.5", 12.5],
    ["1e3", 1000],
    ["NaN", null],
    ["+Inf", null],
    ["-Inf", null],
  ])("%s -> %s", (raw, want) => expect(parseSampleValue(raw)).toBe(want));
});

describe("parsing Prometheus answers", () => {
  it("vector -> instant series", () => {
    const json = {
      status: "success",
      data: {
        resultType: "vector",
        result: [
          { metric: { destination_version: "v1" }, value: [1700000000.5, "12.25"] },
          { metric: { destination_version: "v2" }, value: [1700000000.5, "NaN"] },
        ],
      },
    };
    expect(parseInstantResponse(json)).toEqual([
      { labels: { destination_version: "v1" }, point: [1700000000.5, 12.25] },
      { labels: { destination_version: "v2" }, point: [1700000000.5, null] },
    ]);
  });

  it("scalar -> one unlabelled series", () => {
    expect(parseInstantResponse({ status: "success", data: { resultType: "scalar", result: [1, "+Inf"] } })).toEqual([
      { labels: {}, point: [1, null] },
    ]);
  });

  it("matrix -> range series with NaN/Inf as null", () => {
    const json = {
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          {
            metric: { destination_version: "v3" },
            values: [
              [10, "1"],
              [15, "NaN"],
              [20, "+Inf"],
              [25, "2"],
            ],
          },
        ],
      },
    };
    expect(parseRangeResponse(json)).toEqual([
      {
        labels: { destination_version: "v3" },
        points: [
          [10, 1],
          [15, null],
          [20, null],
          [25, 2],
        ],
      },
    ]);
  });

  it("empty results are empty", () => {
    expect(parseInstantResponse({ status: "success", data: { resultType: "vector", result: [] } })).toEqual([]);
    expect(parseRangeResponse({ status: "success", data: { resultType: "matrix", result: [] } })).toEqual([]);
  });

  it.each([
    [
      { status: "error", errorType: "bad_data", error: "parse error at char 5" },
      "query",
      /bad_data: parse error at char 5/,
    ],
    [{ hello: "world" }, "malformed", /not a query result/],
    [{ status: "success", data: { resultType: "matrix", result: [] } }, "malformed", /expected an instant vector/],
  ])("%j -> MetricsUnavailableError(%s)", (json, reason, msg) => {
    const err = (() => {
      try {
        parseInstantResponse(json);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(MetricsUnavailableError);
    expect((err as MetricsUnavailableError).reason).toBe(reason);
    expect((err as Error).message).toMatch(msg);
  });
});

describe("PrometheusClient over HTTP (a loopback server playing Prometheus)", () => {
  const seen: { path: string; body: URLSearchParams }[] = [];
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        seen.push({ path: req.url ?? "", body: form });
        const q = form.get("query") ?? "";
        if (q === "slow") {
          setTimeout(() => res.end("{}"), 1000);
        } else if (q === "bad(") {
          res.writeHead(400, { "content-type": "application/json" }).end(
            JSON.stringify({
              status: "error",
              errorType: "bad_data",
              error: "1:5: parse error: unclosed left parenthesis",
            }),
          );
        } else if (q === "html") {
          res.writeHead(502).end("<html>bad gateway</html>");
        } else if (req.url === "/prefix/api/v1/query_range") {
          res.writeHead(200, { "content-type": "application/json" }).end(
            JSON.stringify({
              status: "success",
              data: {
                resultType: "matrix",
                result: [{ metric: { destination_version: "v1" }, values: [[100, "1"]] }],
              },
            }),
          );
        } else {
          res
            .writeHead(200, { "content-type": "application/json" })
            .end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("POSTs instant and range queries with their parameters", async () => {
    const c = new PrometheusClient({ baseUrl: `${base}/prefix/` });
    expect(await c.query("up", 123)).toEqual([]);
    expect(await c.queryRange("rate(x[30s])", { start: 100, end: 200, stepSeconds: 5 })).toEqual([
      { labels: { destination_version: "v1" }, points: [[100, 1]] },
    ]);
    const [q, r] = seen.slice(-2);
    expect(q?.path).toBe("/prefix/api/v1/query");
    expect(Object.fromEntries(q?.body ?? [])).toEqual({ query: "up", time: "123" });
    expect(Object.fromEntries(r?.body ?? [])).toEqual({ query: "rate(x[30s])", start: "100", end: "200", step: "5" });
  });

  it("reports Prometheus' own error message for a bad query", async () => {
    await expect(new PrometheusClient({ baseUrl: base }).query("bad(")).rejects.toThrow(
      /rejected the query: bad_data: 1:5: parse error/,
    );
  });

  it("reports a non-JSON answer with its status", async () => {
    await expect(new PrometheusClient({ baseUrl: base }).query("html")).rejects.toMatchObject({
      reason: "http",
      message: expect.stringMatching(/HTTP 502/),
    });
  });

  it("times out", async () => {
    await expect(new PrometheusClient({ baseUrl: base, timeoutMs: 100 }).query("slow")).rejects.toMatchObject({
      reason: "timeout",
      name: "MetricsUnavailableError",
    });
  });

  it("says clearly when Prometheus is down", async () => {
    // A port we just had and released: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await new PrometheusClient({ baseUrl: `http://127.0.0.1:${port}` })
      .query("up")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricsUnavailableError);
    expect(err).toMatchObject({ reason: "unreachable" });
    expect((err as Error).message).toMatch(
      new RegExp(`127\\.0\\.0\\.1:${port} is unreachable \\(ECONNREFUSED\\).*prometheus\\.sh start`),
    );
  });
});
