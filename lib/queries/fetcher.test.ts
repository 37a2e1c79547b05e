import { afterEach, describe, expect, it, vi } from "vitest";
import {
  ApiError,
  apiFetch,
  CSRF_HEADER,
  fieldErrorsOf,
  getCsrfToken,
  parseErrorBody,
  setCsrfToken,
  setUnauthenticatedHandler,
  type FetchLike,
} from "./fetcher";

describe("parseErrorBody", () => {
  it.each([
    {
      why: "validation error keeps field details",
      status: 400,
      body: JSON.stringify({
        error: {
          code: "invalid_argument",
          message: "newVersion.image: bad",
          details: [{ path: "newVersion.image", message: "bad" }],
        },
      }),
      want: {
        status: 400,
        code: "invalid_argument",
        message: "newVersion.image: bad",
        fields: [{ path: "newVersion.image", message: "bad" }],
      },
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

describe("catalog text of an error", () => {
  it("keeps key, params and the field's path", () => {
    const body = {
      error: {
        code: "invalid_argument",
        message: "name: must be at most 63 characters",
        details: [
          { path: "name", message: "must be at most 63 characters", key: "err.spec.maxChars", params: { max: 63 } },
        ],
        key: "err.spec.maxChars",
        params: { max: 63 },
        path: "name",
      },
    };
    const err = parseErrorBody(400, JSON.stringify(body));
    expect(err.text).toEqual({ key: "err.spec.maxChars", params: { max: 63 }, path: "name" });
    expect(err.fieldErrors).toEqual(body.error.details);
  });

  it("takes the one field a planner error names as a field error", () => {
    const details = {
      path: "newVersion.replicas",
      message: "is 0, but the traffic settings send requests to v2; give it at least 1 replica",
      key: "err.plan.zeroReplicas",
      params: { version: "v2" },
    };
    const err = parseErrorBody(
      400,
      JSON.stringify({
        error: {
          code: "invalid_argument",
          message: `newVersion.replicas: ${details.message}`,
          details,
          key: details.key,
          params: details.params,
          path: details.path,
        },
      }),
    );
    expect(err.fieldErrors).toEqual([details]);
  });

  it("words someone else's error page inside a sentence of ours", () => {
    expect(parseErrorBody(502, "<html><body>Bad Gateway</body></html>").text).toEqual({
      key: "err.client.httpSaid",
      params: { status: 502, snippet: "Bad Gateway" },
    });
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
    const out = await apiFetch<{ ok: boolean }>(
      "/api/tasks",
      { method: "POST", body: { a: 1 } },
      respond(201, '{"ok":true}', seen),
    );
    expect(out).toEqual({ ok: true });
    expect(seen.url).toBe("/api/tasks");
    expect(seen.init?.method).toBe("POST");
    expect(seen.init?.body).toBe('{"a":1}');
    expect(((seen.init?.headers ?? {}) as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("a 204 No Content answer is a success without a body", async () => {
    const noContent: FetchLike = async () => new Response(null, { status: 204 });
    await expect(apiFetch("/api/namespaces/ns/step-templates/x", { method: "DELETE" }, noContent)).resolves.toBe(
      undefined,
    );
  });

  it("throws ApiError with the server's code on failure", async () => {
    const body = JSON.stringify({
      error: { code: "conflict", message: "cannot takeover: task is completed", details: null },
    });
    await expect(apiFetch("/api/tasks/x/actions", {}, respond(409, body))).rejects.toMatchObject({
      status: 409,
      code: "conflict",
      message: "cannot takeover: task is completed",
    });
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

describe("apiFetch and the session", () => {
  afterEach(() => {
    setCsrfToken(null);
    setUnauthenticatedHandler(null);
  });

  interface Call {
    url: string;
    method: string;
    headers: Record<string, string>;
  }
  /** A fake server: answers each request with the next of `replies` and records what it got. */
  const server = (...replies: [number, unknown][]) => {
    const calls: Call[] = [];
    const fetchImpl: FetchLike = async (url, init) => {
      calls.push({ url, method: init?.method ?? "GET", headers: { ...(init?.headers as Record<string, string>) } });
      const [status, body] = replies[Math.min(calls.length, replies.length) - 1] ?? [500, null];
      return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    };
    return { calls, fetchImpl };
  };
  const error = (code: string, message = code) => ({ error: { code, message, details: null } });

  it("the setter fills the holder", () => {
    expect(getCsrfToken()).toBeNull();
    setCsrfToken("abc");
    expect(getCsrfToken()).toBe("abc");
    setCsrfToken(null);
    expect(getCsrfToken()).toBeNull();
  });

  it("sends the CSRF token on POST and DELETE, never on GET", async () => {
    setCsrfToken("tok-1");
    const s = server([200, {}]);
    await apiFetch("/api/tasks", { method: "POST", body: {} }, s.fetchImpl);
    await apiFetch("/api/tasks/x", { method: "DELETE" }, s.fetchImpl);
    await apiFetch("/api/tasks", {}, s.fetchImpl);
    expect(s.calls.map((c) => [c.method, c.headers[CSRF_HEADER]])).toEqual([
      ["POST", "tok-1"],
      ["DELETE", "tok-1"],
      ["GET", undefined],
    ]);
  });

  it("sends no CSRF header while there is no token (no session, or mode none)", async () => {
    const s = server([200, {}]);
    await apiFetch("/api/tasks", { method: "POST", body: {} }, s.fetchImpl);
    expect(Object.keys(s.calls[0]?.headers ?? {})).not.toContain(CSRF_HEADER);
  });

  it("a 401 unauthenticated calls the handler with the request path, then still throws", async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    const s = server([401, error("unauthenticated", "session expired")]);
    await expect(apiFetch("/api/tasks/abc", {}, s.fetchImpl)).rejects.toMatchObject({
      status: 401,
      code: "unauthenticated",
    });
    expect(handler).toHaveBeenCalledWith("/api/tasks/abc");
  });

  it.each([
    {
      why: "a rejected token at sign-in is the form's business",
      path: "/api/auth/login",
      status: 401,
      body: error("unauthenticated"),
    },
    { why: "the session probe", path: "/api/auth/session", status: 401, body: error("unauthenticated") },
    { why: "403 forbidden is not a lost session", path: "/api/tasks", status: 403, body: error("forbidden") },
    { why: "a 401 from a proxy without our envelope", path: "/api/tasks", status: 401, body: "<html>" },
  ])("no redirect: $why", async ({ path, status, body }) => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    await expect(apiFetch(path, { method: "POST", body: {} }, server([status, body]).fetchImpl)).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it("the default handler does nothing outside a browser", async () => {
    await expect(apiFetch("/api/tasks", {}, server([401, error("unauthenticated")]).fetchImpl)).rejects.toMatchObject({
      code: "unauthenticated",
    });
  });

  it("the default handler navigates the browser to the sign-in page, once", async () => {
    const assign = vi.fn();
    vi.stubGlobal("window", { location: { pathname: "/releases/abc", search: "?x=1", assign } });
    try {
      const s = server([401, error("unauthenticated")]);
      await expect(apiFetch("/api/tasks/abc", {}, s.fetchImpl)).rejects.toMatchObject({ code: "unauthenticated" });
      await expect(apiFetch("/api/tasks/abc/events", {}, s.fetchImpl)).rejects.toMatchObject({
        code: "unauthenticated",
      });
      expect(assign.mock.calls).toEqual([["/signin?reason=expired&next=%2Freleases%2Fabc%3Fx%3D1"]]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("a stale CSRF token is replaced from the session and the request sent once more", async () => {
    setCsrfToken("old");
    const s = server(
      [403, error("csrf_token")],
      [200, { mode: "token", user: null, expiresAt: null, csrfToken: "new", signOutUrl: null }],
      [201, { ok: true }],
    );
    await expect(apiFetch("/api/tasks", { method: "POST", body: {} }, s.fetchImpl)).resolves.toEqual({ ok: true });
    expect(s.calls.map((c) => `${c.method} ${c.url} ${c.headers[CSRF_HEADER] ?? "-"}`)).toEqual([
      "POST /api/tasks old",
      "GET /api/auth/session -",
      "POST /api/tasks new",
    ]);
    expect(getCsrfToken()).toBe("new");
  });

  it("does not retry when the session has no newer token", async () => {
    setCsrfToken("same");
    const s = server(
      [403, error("csrf_token", "bad token")],
      [200, { mode: "token", user: null, expiresAt: null, csrfToken: "same", signOutUrl: null }],
    );
    await expect(apiFetch("/api/tasks", { method: "POST", body: {} }, s.fetchImpl)).rejects.toMatchObject({
      status: 403,
      code: "csrf_token",
      message: "bad token",
    });
    expect(s.calls).toHaveLength(2);
  });
});
