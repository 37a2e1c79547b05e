// GC_AUTH=token (issue 10): a user signs in with a Kubernetes bearer token; the apiserver's
// RBAC decides what the user may do. A console in token mode, real ServiceAccounts bound to
// Kubernetes' own `edit` and `view` ClusterRoles, tokens from the TokenRequest API.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { getVS, kube, seedReviews, type Kube } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { bearer, createServiceAccountUser, type TestUser } from "./helpers/users";

const root = path.resolve(__dirname, "../..");
const port = Number(process.env.GC_TEST_AUTH_TOKEN_PORT ?? 3141);
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

let kc: k8s.KubeConfig;
let k: Kube;
let home: TestNamespace;
let other: TestNamespace;
let server: ConsoleInstance;
let operator: TestUser;
let viewer: TestUser;
let otherOwner: TestUser;
let taskId = "";
let otherTaskId = "";

interface Res {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}
async function call(
  method: string,
  p: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const res = await fetch(server.baseUrl + p, {
    method,
    redirect: "manual",
    headers: { ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text, headers: res.headers };
}

const canary = (namespace: string, name: string) => ({
  name,
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  rollout: { drainSeconds: 0 },
});

async function settledAs(id: string, token: string): Promise<any> {
  return waitFor(
    async () => {
      const res = await call("GET", `/api/tasks/${id}`, { headers: bearer(token) });
      return res.status === 200 && res.json.task.operation === null ? res.json.task : null;
    },
    { timeoutMs: 60_000, description: `task ${id} settled` },
  );
}

async function signIn(token: string): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await call("POST", "/api/auth/login", { body: { token } });
  expect(res.status, res.text).toBe(200);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0]!;
  return { cookie, csrf: res.json.csrfToken, setCookie };
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  [home, other] = await Promise.all([createTestNamespace(kc, "auth"), createTestNamespace(kc, "auth-other")]);
  await Promise.all([seedReviews(k, home.name), seedReviews(k, other.name)]);
  [operator, viewer, otherOwner] = await Promise.all([
    createServiceAccountUser(kc, home.name, "deployer", "edit"),
    createServiceAccountUser(kc, home.name, "watcher", "view"),
    createServiceAccountUser(kc, other.name, "owner", "edit"),
  ]);
  server = await startConsole(port, {
    GC_AUTH: "token",
    GC_SESSION_SECRET: randomBytes(32).toString("base64"),
    DATABASE_URL: `file:${path.join(root, `.local/test/auth-token-${port}.db`)}`,
  });
  // A task in the other namespace, made by that namespace's own operator.
  const made = await call("POST", "/api/tasks", {
    body: canary(other.name, "elsewhere"),
    headers: bearer(otherOwner.token),
  });
  expect(made.status, made.text).toBe(201);
  otherTaskId = made.json.task.id;
}, 120_000);

afterAll(async () => {
  server?.stop();
  await Promise.all([home?.delete(), other?.delete()]);
});

describe("GC_AUTH=token: nobody signed in", () => {
  it("answers 401 unauthenticated to GET and POST /api/tasks without a token or session, and creates nothing", async () => {
    const list = await call("GET", "/api/tasks");
    expect(list.status).toBe(401);
    expect(list.json.error.code).toBe("unauthenticated");
    const create = await call("POST", "/api/tasks", { body: canary(home.name, "anon") });
    expect(create.status).toBe(401);
    expect((await getVS(k, home.name)).spec.http.at(-1).route.map((r: any) => r.destination.subset)).toEqual(["v1"]);
  });

  it("answers 401 to a garbage bearer token (the apiserver's TokenReview refuses it)", async () => {
    const res = await call("GET", "/api/tasks", { headers: bearer("not-a-token") });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/TokenReview/);
  });

  it("sends a page request to the sign-in page, remembering where it was going", async () => {
    const res = await call("GET", "/releases?state=progressing");
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.status).toBeLessThan(400);
    const location = new URL(res.headers.get("location")!, server.baseUrl);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("next")).toBe("/releases?state=progressing");
  });

  it("still serves /api/health and GET /api/auth/session (mode token, no user) to anyone", async () => {
    expect((await call("GET", "/api/health")).status).toBe(200);
    const session = await call("GET", "/api/auth/session");
    expect(session.json).toMatchObject({ mode: "token", user: null, csrfToken: null });
  });
});

describe("GC_AUTH=token: an operator (edit in the namespace)", () => {
  it("creates a canary and shifts traffic; history names the ServiceAccount, its groups and the client address", async () => {
    const created = await call("POST", "/api/tasks", {
      body: canary(home.name, "by-operator"),
      headers: bearer(operator.token),
    });
    expect(created.status, created.text).toBe(201);
    taskId = created.json.task.id;
    expect(created.json.task.createdBy).toBe(operator.name);
    await settledAs(taskId, operator.token);
    const shifted = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 60, v2: 40 } },
      headers: bearer(operator.token),
    });
    expect(shifted.status, shifted.text).toBe(200);
    const events = (await call("GET", `/api/tasks/${taskId}/events`, { headers: bearer(operator.token) })).json.events;
    expect(events.map((e: any) => [e.action, e.actor])).toEqual([
      ["create", operator.name],
      ["setTraffic", operator.name],
    ]);
    expect(events[1].actorGroups).toEqual(
      expect.arrayContaining(["system:serviceaccounts", `system:serviceaccounts:${home.name}`, "system:authenticated"]),
    );
    expect(events[1].actorSource).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it("ignores a forged X-Forwarded-User: the actor is still the token's ServiceAccount", async () => {
    const res = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 70, v2: 30 } },
      headers: { ...bearer(operator.token), "X-Forwarded-User": "the-boss" },
    });
    expect(res.status, res.text).toBe(200);
    const events = (await call("GET", `/api/tasks/${taskId}/events`, { headers: bearer(operator.token) })).json.events;
    expect(events.at(-1).actor).toBe(operator.name);
  });

  it("gets 403 creating a release in a namespace where it has no binding, and nothing is created", async () => {
    const res = await call("POST", "/api/tasks", {
      body: canary(other.name, "not-mine"),
      headers: bearer(operator.token),
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(res.json.error.message).toContain(`User "${operator.name}" cannot`);
    expect(res.json.error.message).toContain(`in the namespace "${other.name}"`);
    const theirs = await call("GET", `/api/tasks?namespace=${other.name}`, { headers: bearer(otherOwner.token) });
    expect(theirs.json.tasks.map((t: any) => t.name)).toEqual(["elsewhere"]);
  });

  it("does not see the other namespace's tasks: not in the list, 403 on the task, not in the audit export", async () => {
    const list = await call("GET", "/api/tasks?pageSize=200", { headers: bearer(operator.token) });
    expect(list.status).toBe(200);
    const namespaces = new Set(list.json.tasks.map((t: any) => t.namespace));
    expect(namespaces.has(home.name)).toBe(true);
    expect(namespaces.has(other.name)).toBe(false);
    expect((await call("GET", `/api/tasks/${otherTaskId}`, { headers: bearer(operator.token) })).status).toBe(403);
    expect((await call("GET", `/api/tasks/${otherTaskId}/events`, { headers: bearer(operator.token) })).status).toBe(
      403,
    );
    const audit = await call("GET", "/api/audit?limit=10000", { headers: bearer(operator.token) });
    expect(audit.status).toBe(200);
    expect(audit.json.events.some((e: any) => e.namespace === other.name)).toBe(false);
    expect(audit.json.events.some((e: any) => e.namespace === home.name)).toBe(true);
  });

  it("lists only the namespaces it may read (it cannot list namespaces itself)", async () => {
    const res = await call("GET", "/api/namespaces", { headers: bearer(operator.token) });
    expect(res.status, res.text).toBe(200);
    const names = res.json.namespaces.map((n: any) => n.name);
    expect(names).toContain(home.name);
    expect(names).not.toContain(other.name);
  });
});

describe("GC_AUTH=token: a viewer (view in the namespace)", () => {
  it("reads the services and the task", async () => {
    expect((await call("GET", `/api/namespaces/${home.name}/services`, { headers: bearer(viewer.token) })).status).toBe(
      200,
    );
    const task = await call("GET", `/api/tasks/${taskId}`, { headers: bearer(viewer.token) });
    expect(task.status).toBe(200);
    expect(task.json.task.name).toBe("by-operator");
  });

  it("gets 403 with the apiserver's reason on setTraffic; the VirtualService, the task and its history are unchanged", async () => {
    const vsBefore = await getVS(k, home.name);
    const before = (await call("GET", `/api/tasks/${taskId}`, { headers: bearer(viewer.token) })).json.task;
    const eventsBefore = (await call("GET", `/api/tasks/${taskId}/events`, { headers: bearer(viewer.token) })).json
      .events;
    const res = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 10, v2: 90 } },
      headers: bearer(viewer.token),
    });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(res.json.error.message).toBe(
      `User "${viewer.name}" cannot update resource "virtualservices" in API group "networking.istio.io" in the namespace "${home.name}"`,
    );
    expect((await getVS(k, home.name)).metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
    const after = (await call("GET", `/api/tasks/${taskId}`, { headers: bearer(viewer.token) })).json.task;
    expect(after.revision).toBe(before.revision);
    expect(after.weights).toEqual(before.weights);
    expect(
      (await call("GET", `/api/tasks/${taskId}/events`, { headers: bearer(viewer.token) })).json.events,
    ).toHaveLength(eventsBefore.length);
  });

  it("gets 403 on abort and on rollback (the brakes), and the release goes on", async () => {
    const abort = await call("DELETE", `/api/tasks/${taskId}`, { headers: bearer(viewer.token) });
    expect(abort.status).toBe(403);
    expect(abort.json.error.code).toBe("forbidden");
    const rollback = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "rollback" },
      headers: bearer(viewer.token),
    });
    expect(rollback.status).toBe(403);
    expect((await call("GET", `/api/tasks/${taskId}`, { headers: bearer(viewer.token) })).json.task.state).toBe(
      "progressing",
    );
  });

  it("is told by the permissions endpoint that it may view but not change, with the resources it lacks", async () => {
    const res = await call("GET", `/api/namespaces/${home.name}/permissions`, { headers: bearer(viewer.token) });
    expect(res.status).toBe(200);
    expect(res.json.view.allowed).toBe(true);
    expect(res.json.change.allowed).toBe(false);
    expect(new Set(res.json.change.denied.map((d: any) => d.resource))).toEqual(
      new Set(["deployments", "virtualservices", "destinationrules"]),
    );
    const op = await call("GET", `/api/namespaces/${home.name}/permissions`, { headers: bearer(operator.token) });
    expect(op.json.change).toMatchObject({ allowed: true, denied: [] });
  });
});

describe("GC_AUTH=token: browser sessions", () => {
  it("signs in with a token: an HttpOnly, SameSite=Lax cookie of 8 hours that does not contain the token", async () => {
    const { setCookie, cookie } = await signIn(operator.token);
    expect(setCookie).toMatch(/^gc_session=/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Max-Age=28800/);
    expect(setCookie).not.toMatch(/; Secure/); // plain http here; Secure when served over https
    expect(cookie).not.toContain(operator.token.slice(20, 60));
    const session = await call("GET", "/api/auth/session", { headers: { cookie } });
    expect(session.json.user).toMatchObject({ name: operator.name, via: "session" });
    expect(session.json.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it("refuses a bad token at sign-in with 401 and sets no cookie", async () => {
    const res = await call("POST", "/api/auth/login", { body: { token: "garbage" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("needs the session's CSRF token for a change: 403 csrf_token without it, 200 with it", async () => {
    const { cookie, csrf } = await signIn(operator.token);
    const without = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 80, v2: 20 } },
      headers: { cookie },
    });
    expect(without.status).toBe(403);
    expect(without.json.error.code).toBe("csrf_token");
    const wrong = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 80, v2: 20 } },
      headers: { cookie, "x-csrf-token": "x".repeat(43) },
    });
    expect(wrong.status).toBe(403);
    const ok = await call("POST", `/api/tasks/${taskId}/actions`, {
      body: { action: "setTraffic", weights: { v1: 80, v2: 20 } },
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(ok.status, ok.text).toBe(200);
  });

  it("refuses a cross-site POST that carries a valid session cookie and CSRF token (403), and nothing changes", async () => {
    const { cookie, csrf } = await signIn(operator.token);
    const vsBefore = await getVS(k, home.name);
    for (const headers of [{ "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }] as Record<
      string,
      string
    >[]) {
      const res = await call("POST", `/api/tasks/${taskId}/actions`, {
        body: { action: "setTraffic", weights: { v1: 5, v2: 95 } },
        headers: { cookie, "x-csrf-token": csrf, ...headers },
      });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe("cross_site");
    }
    expect((await getVS(k, home.name)).metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
  });

  it("signs out: the answer clears the cookie", async () => {
    const res = await call("POST", "/api/auth/logout");
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^gc_session=; .*Max-Age=0/);
  });

  it("answers 401 when the apiserver stops accepting the session's token (its ServiceAccount deleted)", async () => {
    const shortLived = await createServiceAccountUser(kc, home.name, "temp", "view");
    const { cookie } = await signIn(shortLived.token);
    expect((await call("GET", `/api/namespaces/${home.name}/services`, { headers: { cookie } })).status).toBe(200);
    await kc
      .makeApiClient((await import("@kubernetes/client-node")).CoreV1Api)
      .deleteNamespacedServiceAccount({ namespace: home.name, name: "temp" });
    await waitFor(
      async () => (await call("GET", `/api/namespaces/${home.name}/services`, { headers: { cookie } })).status === 401,
      { timeoutMs: 15_000, description: "401 after the ServiceAccount is deleted" },
    );
  });

  it("never writes a user's token to the console's log", () => {
    const log = readFileSync(path.join(root, `.local/logs/it-console-${port}.log`), "utf8");
    expect(log.length).toBeGreaterThan(0);
    for (const user of [operator, viewer, otherOwner]) expect(log).not.toContain(user.token.slice(-40));
  });
});
