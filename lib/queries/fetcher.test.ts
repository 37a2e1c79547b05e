import { describe, expect, it } from "vitest";
import { ApiError, apiFetch, fieldErrorsOf, parseErrorBody, type FetchLike } from "./fetcher";

describe("parseErrorBody", () => {
  it.each([
    {
      why: "validation error keeps field details",
      status: 400,
      body: JSON.stringify({ error: { code: "invalid_argument", message: "newVersion.image: bad", details: [{ path: "newVersion.image", message: "bad" }] } }),
      want: { status: 400, code: "invalid_argument", message: "newVersion.image: bad", fields: [{ path: "newVersion.image", message: "bad" }] },
    },
    {
      why: "cluster down",
      status: 503,
      body: JSON.stringify({ error: { code: "cluster_unreachable", message: "connect ECONNREFUSED", details: null } }),
      want: { status: 503, code: "cluster_unreachable", message: "connect ECONNREFUSED", fields: [] },
    },
    {
      why: "unknown code becomes internal",
      status: 500,
      body: JSON.stringify({ error: { code: "weird", message: "boom" } }),
      want: { status: 500, code: "internal", message: "boom", fields: [] },
    },
    {
      why: "HTML from a proxy",
      status: 502,
      body: "<html><body><h1>Bad Gateway</h1></body></html>",
      want: { status: 502, code: "bad_response", message: "HTTP 502: Bad Gateway", fields: [] },
    },
    {
      why: "empty 503 still means a dependency is down",
      status: 503,
      body: "",
      want: { status: 503, code: "cluster_unreachable", message: "HTTP 503", fields: [] },
    },
  ])("$why", ({ status, body, want }) => {
    const err = parseErrorBody(status, body);
    expect(err).toBeInstanceOf(ApiError);
    expect({ status: err.status, code: err.code, message: err.message, fields: err.fieldErrors }).toEqual(want);
  });

  it("ignores details that are not field errors", () => {
    expect(fieldErrorsOf({ failedOp: "create" })).toEqual([]);
    expect(fieldErrorsOf([{ path: "a", message: "m" }, { path: 1 }, null])).toEqual([{ path: "a", message: "m" }]);
  });
});

describe("apiFetch", () => {
  const respond =
    (status: number, body: string, seen?: { url?: string; init?: RequestInit }): FetchLike =>
    async (url, init) => {
      if (seen) Object.assign(seen, { url, init });
      return new Response(body, { status, headers: { "content-type": "application/json" } });
    };

  it("returns parsed JSON on success and sends JSON bodies", async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const out = await apiFetch<{ ok: boolean }>("/api/tasks", { method: "POST", body: { a: 1 } }, respond(201, '{"ok":true}', seen));
    expect(out).toEqual({ ok: true });
    expect(seen.url).toBe("/api/tasks");
    expect(seen.init?.method).toBe("POST");
    expect(seen.init?.body).toBe('{"a":1}');
    expect((seen.init?.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("throws ApiError with the server's code on failure", async () => {
    const body = JSON.stringify({ error: { code: "conflict", message: "cannot takeover: task is completed", details: null } });
    await expect(apiFetch("/api/tasks/x/actions", {}, respond(409, body))).rejects.toMatchObject({ status: 409, code: "conflict", message: "cannot takeover: task is completed" });
  });

  it("turns a network failure into a network ApiError", async () => {
    const failing: FetchLike = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(apiFetch("/api/health", {}, failing)).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("rejects a 200 that is not JSON", async () => {
    await expect(apiFetch("/api/health", {}, respond(200, "<html>"))).rejects.toMatchObject({ code: "bad_response" });
  });
});
