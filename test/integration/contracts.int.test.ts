// Every route's REAL answers against its contract: drives the console over HTTP on a Bookinfo
// reviews of its own (a task created, acted on, refused, aborted), and parses each body with the
// schema lib/api/routes.ts names for that route and status. A status the registry does not list
// fails, a missing or renamed field fails, a field the schema does not know fails (the parsed
// value must equal the body), and a route of the registry that was never called fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { BASE_URL, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviews } from "./helpers/bookinfo";
import { ROUTES, responseSchema, type RouteContract } from "@/lib/api/routes";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
let kc: k8s.KubeConfig;
let ns: TestNamespace;
/** "<method> <path>" -> the statuses seen. */
const exercised = new Map<string, Set<number>>();

interface Call {
  method: string;
  path: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function contractOf(method: string, path: string): RouteContract {
  const r = ROUTES.find((x) => x.method === method.toLowerCase() && x.path === path);
  if (!r) throw new Error(`${method} ${path} is not in lib/api/routes.ts`);
  return r;
}

/** Calls the route, checks the status is documented and the body parses with that status's schema, exactly. */
async function call(c: Call): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const route = contractOf(c.method, c.path);
  const raw = typeof c.body === "string";
  const res = await fetch(BASE_URL + c.url, {
    method: c.method,
    redirect: "manual",
    headers: { ...(c.body !== undefined && !raw ? { "content-type": "application/json" } : {}), ...c.headers },
    body: c.body === undefined ? undefined : raw ? (c.body as string) : JSON.stringify(c.body),
  });
  const text = await res.text();
  const key = `${route.method} ${route.path}`;
  exercised.set(key, (exercised.get(key) ?? new Set()).add(res.status));
  const documented = route.success[res.status] !== undefined || route.errors.includes(res.status) || res.status === 500;
  expect(
    documented,
    `${c.method} ${c.url} answered ${res.status}, which ${key} does not document: ${text.slice(0, 300)}`,
  ).toBe(true);
  const schema = responseSchema(route, res.status);
  const type = res.headers.get("content-type") ?? "";
  if (!schema || !type.startsWith("application/json"))
    return { status: res.status, json: null, text, headers: res.headers };
  const json = JSON.parse(text);
  const parsed = schema.safeParse(json);
  expect(
    parsed.success,
    `${c.method} ${c.url} ${res.status}: ${parsed.error ? JSON.stringify(parsed.error.issues.slice(0, 5)) : ""}`,
  ).toBe(true);
  // Parsing drops keys a schema does not name: a body with more than the contract says differs here.
  expect(parsed.data, `${c.method} ${c.url} ${res.status}: the body has fields its schema does not name`).toEqual(json);
  return { status: res.status, json, text, headers: res.headers };
}

const get = (path: string, url: string, headers?: Record<string, string>) =>
  call({ method: "GET", path, url, headers });
const post = (path: string, url: string, body?: unknown, headers?: Record<string, string>) =>
  call({ method: "POST", path, url, body, headers });

function expectError(res: { status: number; json: any }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.json.error.code).toBe(code);
}

const canary = (namespace: string) => ({
  name: "reviews-contracts",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  rollout: { drainSeconds: 0 },
});

beforeAll(async () => {
  kc = loadKubeConfig();
  ns = await createTestNamespace(kc, "contracts");
  await seedReviews(kube(kc), ns.name);
});
afterAll(async () => {
  await ns?.delete().catch(() => undefined);
});

describe("every route's real answers parse with their contract", () => {
  it("inventory, health, the document itself", async () => {
    expect((await get("/api/health", "/api/health")).status).toBe(200);
    const doc = await get("/api/openapi.json", "/api/openapi.json");
    expect(Object.keys(doc.json.paths)).toContain("/api/tasks/{id}/actions");
    expect((await get("/api/cluster", "/api/cluster")).status).toBe(200);
    const namespaces = await get("/api/namespaces", "/api/namespaces");
    expect(namespaces.json.namespaces.map((n: { name: string }) => n.name)).toContain(ns.name);
    const services = await get("/api/namespaces/{ns}/services", `/api/namespaces/${ns.name}/services`);
    expect(services.json.services.map((s: { name: string }) => s.name)).toEqual(["reviews"]);
    const one = await get("/api/namespaces/{ns}/services/{name}", `/api/namespaces/${ns.name}/services/reviews`);
    expect(one.json.service.routing.defaultRoute.weights).toEqual({ v1: 100 });
    expect(
      (
        await get(
          "/api/namespaces/{ns}/services/{name}/metrics",
          `/api/namespaces/${ns.name}/services/reviews/metrics?range=5m`,
        )
      ).status,
    ).toBe(200);
    const permissions = await get("/api/namespaces/{ns}/permissions", `/api/namespaces/${ns.name}/permissions`);
    expect(permissions.json.namespace).toBe(ns.name);
  });

  it("namespace notification defaults: PUT then GET answer the targets without secrets; bad input 400, unknown namespace 404", async () => {
    const path = "/api/namespaces/{ns}/notifications";
    const url = `/api/namespaces/${ns.name}/notifications`;
    expect((await get(path, url)).json.targets).toEqual([]);
    const put = await call({
      method: "PUT",
      path,
      url,
      body: {
        targets: [{ type: "dingtalk", url: "http://127.0.0.1:9/robot/send?access_token=abc", secret: "SECabc" }],
      },
    });
    expect(put.status).toBe(200);
    expect(put.json.targets).toEqual([{ type: "dingtalk", url: "http://127.0.0.1:9/robot/send?…", secretSet: true }]);
    expect((await get(path, url)).json.targets).toEqual(put.json.targets);
    expectError(
      await call({ method: "PUT", path, url, body: { targets: [{ type: "pager", url: "http://x" }] } }),
      400,
      "invalid_argument",
    );
    expectError(
      await call({ method: "PUT", path, url: `/api/namespaces/${ns.name}-gone/notifications`, body: { targets: [] } }),
      404,
      "not_found",
    );
    await call({ method: "PUT", path, url, body: { targets: [] } });
  });

  it("step templates: built-ins first; POST saves (201), a second time 409; DELETE 204, then 404; a built-in 400", async () => {
    const path = "/api/namespaces/{ns}/step-templates";
    const url = `/api/namespaces/${ns.name}/step-templates`;
    const names = async () => ((await get(path, url)).json.templates as { name: string }[]).map((t) => t.name);
    expect(await names()).toEqual(["builtin-canary-10-30-50-100", "builtin-batches-with-analysis"]);
    const body = { name: "slow-canary", steps: [{ setWeight: 5 }, { pause: { duration: "10m" } }, { setWeight: 100 }] };
    const saved = await call({ method: "POST", path, url, body });
    expect(saved.status).toBe(201);
    expect(saved.json.template).toMatchObject({
      name: "slow-canary",
      namespace: ns.name,
      builtIn: false,
      analysis: null,
    });
    expect(await names()).toEqual(["builtin-canary-10-30-50-100", "builtin-batches-with-analysis", "slow-canary"]);
    expectError(await call({ method: "POST", path, url, body }), 409, "conflict");
    expectError(
      await call({ method: "POST", path, url, body: { name: "bad", steps: [{ setWeight: 120 }] } }),
      400,
      "invalid_argument",
    );
    const one = "/api/namespaces/{ns}/step-templates/{name}";
    const del = await call({ method: "DELETE", path: one, url: `${url}/slow-canary` });
    expect(del.status).toBe(204);
    expectError(await call({ method: "DELETE", path: one, url: `${url}/slow-canary` }), 404, "not_found");
    expectError(
      await call({ method: "DELETE", path: one, url: `${url}/builtin-canary-10-30-50-100` }),
      400,
      "invalid_argument",
    );
    expect(await names()).toEqual(["builtin-canary-10-30-50-100", "builtin-batches-with-analysis"]);
  });

  it("inventory refusals: 400 for a malformed name, 404 for an unknown one, 400 for a bad range", async () => {
    expectError(await get("/api/namespaces/{ns}/services", "/api/namespaces/Bad_NS/services"), 400, "invalid_argument");
    expectError(
      await get("/api/namespaces/{ns}/services", `/api/namespaces/${ns.name}-gone/services`),
      404,
      "not_found",
    );
    expectError(
      await get("/api/namespaces/{ns}/services/{name}", `/api/namespaces/${ns.name}/services/nope`),
      404,
      "not_found",
    );
    expectError(
      await get(
        "/api/namespaces/{ns}/services/{name}/metrics",
        `/api/namespaces/${ns.name}/services/reviews/metrics?range=bogus`,
      ),
      400,
      "invalid_argument",
    );
    expectError(
      await get("/api/namespaces/{ns}/permissions", "/api/namespaces/Bad_NS/permissions"),
      400,
      "invalid_argument",
    );
  });

  it("a task's life: preview, check, create, read, act, refusals, history, audit, abort", async () => {
    const spec = canary(ns.name);
    const preview = await post("/api/tasks/preview", "/api/tasks/preview", spec);
    expect(preview.json.baseVersion).toBe("v1");
    expect(
      (
        await post("/api/tasks/preview", "/api/tasks/preview?check=basic", {
          name: spec.name,
          namespace: ns.name,
          strategy: "canary",
        })
      ).json,
    ).toEqual({ check: "basic", ok: true });
    expectError(
      await post("/api/tasks/preview", "/api/tasks/preview", { ...spec, strategy: "sideways" }),
      400,
      "invalid_argument",
    );
    expectError(await post("/api/tasks/preview", "/api/tasks/preview", { ...spec, service: "nope" }), 404, "not_found");

    const created = await post("/api/tasks", "/api/tasks", spec);
    expect(created.status, created.text).toBe(201);
    const id: string = created.json.task.id;
    await settled(id);
    expectError(await post("/api/tasks", "/api/tasks", spec), 409, "conflict");
    expectError(await post("/api/tasks/preview", "/api/tasks/preview", spec), 409, "conflict");
    expectError(await post("/api/tasks", "/api/tasks", "{", { "content-type": "application/json" }), 400, "bad_json");

    const task = await get("/api/tasks/{id}", `/api/tasks/${id}`);
    expect(task.json.task.weights).toEqual({ v1: 90, v2: 10 });
    const list = await get("/api/tasks", `/api/tasks?namespace=${ns.name}`);
    expect(list.json.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    expectError(await get("/api/tasks", "/api/tasks?page=0"), 400, "invalid_argument");
    expect((await get("/api/tasks/{id}/metrics", `/api/tasks/${id}/metrics?range=task`)).status).toBe(200);
    expect((await get("/api/tasks/{id}/analysis", `/api/tasks/${id}/analysis`)).json).toEqual({
      runs: [],
      analysis: null,
    });

    const moved = await post("/api/tasks/{id}/actions", `/api/tasks/${id}/actions`, {
      action: "setTraffic",
      weights: { v1: 80, v2: 20 },
    });
    expect(moved.json.task.weights).toEqual({ v1: 80, v2: 20 });
    await settled(id);
    expectError(
      await post("/api/tasks/{id}/actions", `/api/tasks/${id}/actions`, { action: "confirm" }),
      409,
      "illegal_transition",
    );
    expectError(
      await post("/api/tasks/{id}/actions", `/api/tasks/${id}/actions`, { action: "nope" }),
      400,
      "invalid_argument",
    );
    expectError(
      await post("/api/tasks/{id}/actions", `/api/tasks/${id}/actions`, JSON.stringify({ action: "pause" }), {
        "content-type": "text/plain",
      }),
      415,
      "unsupported_media_type",
    );
    expectError(
      await post(
        "/api/tasks/{id}/actions",
        `/api/tasks/${id}/actions`,
        { action: "pause" },
        { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      ),
      403,
      "cross_site",
    );

    const events = await get("/api/tasks/{id}/events", `/api/tasks/${id}/events`);
    expect(events.json.events.map((e: { action: string; result: string }) => [e.action, e.result])).toEqual([
      ["create", "ok"],
      ["setTraffic", "ok"],
      ["confirm", "error"],
    ]);
    const audit = await get("/api/audit", `/api/audit?namespace=${ns.name}`);
    expect(audit.json.events.map((e: { action: string }) => e.action)).toEqual(["create", "setTraffic", "confirm"]);
    const csv = await get("/api/audit", `/api/audit?namespace=${ns.name}&format=csv`);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.split("\r\n")[0]).toMatch(/^at,namespace,service,task,taskId,actor,/);
    expectError(await get("/api/audit", "/api/audit?since=yesterday"), 400, "invalid_argument");

    const aborted = await call({ method: "DELETE", path: "/api/tasks/{id}", url: `/api/tasks/${id}` });
    expect(aborted.json.task.state).toBe("aborted");
    expectError(
      await call({ method: "DELETE", path: "/api/tasks/{id}", url: `/api/tasks/${id}` }),
      409,
      "illegal_transition",
    );
  });

  it("an unknown task is a 404 on every task route", async () => {
    expectError(await get("/api/tasks/{id}", "/api/tasks/nosuchtask"), 404, "not_found");
    expectError(await get("/api/tasks/{id}/events", "/api/tasks/nosuchtask/events"), 404, "not_found");
    expectError(await get("/api/tasks/{id}/metrics", "/api/tasks/nosuchtask/metrics"), 404, "not_found");
    expectError(await get("/api/tasks/{id}/analysis", "/api/tasks/nosuchtask/analysis"), 404, "not_found");
    expectError(
      await post("/api/tasks/{id}/actions", "/api/tasks/nosuchtask/actions", { action: "pause" }),
      404,
      "not_found",
    );
    expectError(
      await call({ method: "DELETE", path: "/api/tasks/{id}", url: "/api/tasks/nosuchtask" }),
      404,
      "not_found",
    );
  });

  it("sign-in routes (this console runs GC_AUTH=none: token and OpenID sign-in answer what the mode allows)", async () => {
    const session = await get("/api/auth/session", "/api/auth/session");
    expect(session.json.mode).toBe("none");
    expectError(await post("/api/auth/login", "/api/auth/login", { token: "x" }), 400, "auth_mode");
    expectError(
      await post("/api/auth/login", "/api/auth/login", "token=x", {
        "content-type": "application/x-www-form-urlencoded",
      }),
      415,
      "unsupported_media_type",
    );
    expect((await post("/api/auth/logout", "/api/auth/logout")).json).toEqual({ signedOut: true, redirect: null });
    expectError(await get("/api/auth/oidc/login", "/api/auth/oidc/login?next=/releases"), 400, "auth_mode");
    const back = await get("/api/auth/oidc/callback", "/api/auth/oidc/callback?code=x&state=y");
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toMatch(/\/signin\?/);
  });

  it("exercised every route of the registry", () => {
    const missing = ROUTES.map((r) => `${r.method} ${r.path}`).filter((k) => !exercised.has(k));
    expect(missing).toEqual([]);
    // What was seen, for whoever reads the run: route -> statuses.
    console.log([...exercised].map(([k, s]) => `${k}: ${[...s].sort().join(", ")}`).join("\n"));
  });
});
