// GET /api/audit (issue 10, the export part): the history of every task as JSON or CSV, filtered
// by namespace and time, from the same database the console writes, over HTTP. The console runs
// behind a (simulated) authenticating proxy (GC_AUTH=proxy, the test process is the trusted
// proxy on 127.0.0.1), so the actors are names a proxy reports, including one a spreadsheet
// would run as a formula; their group holds Kubernetes' `edit` in the namespace.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviews } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { bindGroup } from "./helpers/auth";

const root = path.resolve(__dirname, "../..");
const port = Number(process.env.GC_TEST_AUDIT_PORT ?? 3143);
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const GROUP = "audit-operators";
// An actor name a spreadsheet would run as a formula: the CSV must defuse it.
const FORMULA_ACTOR = '=HYPERLINK("http://evil.example","x")';
let ns: TestNamespace;
let server: ConsoleInstance;
let started = "";

const asUser = (user: string) => ({ "X-Forwarded-User": user, "X-Forwarded-Groups": GROUP });

async function call(
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(server.baseUrl + p, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

/** A change as the proxy's user, with that user's CSRF token (a browser session through the proxy). */
async function change(user: string, p: string, body: unknown): Promise<{ status: number; json: any; text: string }> {
  const session = await call("GET", "/api/auth/session", asUser(user));
  return call("POST", p, { ...asUser(user), "x-csrf-token": session.json.csrfToken }, body);
}

beforeAll(async () => {
  const kc = loadKubeConfig();
  ns = await createTestNamespace(kc, "audit");
  await Promise.all([seedReviews(kube(kc), ns.name), bindGroup(kc, ns.name, GROUP, "edit")]);
  server = await startConsole(port, {
    GC_AUTH: "proxy",
    GC_TRUSTED_PROXIES: "127.0.0.1/32,::1/128",
    GC_SESSION_SECRET: randomBytes(32).toString("base64"),
    DATABASE_URL: `file:${path.join(root, `.local/test/audit-${port}.db`)}`,
  });
  started = new Date(Date.now() - 1000).toISOString();
  const created = await change(FORMULA_ACTOR, "/api/tasks", {
    name: "audited",
    namespace: ns.name,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: V2, replicas: 1 },
    traffic: { weights: { v1: 90, v2: 10 } },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.json.task.id;
  await waitFor(async () => (await call("GET", `/api/tasks/${id}`, asUser("bob"))).json?.task?.operation === null, {
    timeoutMs: 60_000,
    description: "task settled",
  });
  const set = await change("bob", `/api/tasks/${id}/actions`, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
  expect(set.status, set.text).toBe(200);
}, 120_000);
afterAll(async () => {
  server?.stop();
  await ns?.delete().catch(() => undefined);
});

const api = (method: string, p: string) => call(method, p, asUser("bob"));

describe("the audit export", () => {
  it("lists the namespace's actions oldest first as JSON, with task, actor and routing before/after", async () => {
    const res = await api("GET", `/api/audit?namespace=${ns.name}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.truncated).toBe(false);
    expect(res.json.events.map((e: any) => [e.actor, e.action, e.result])).toEqual([
      [FORMULA_ACTOR, "create", "ok"],
      ["bob", "setTraffic", "ok"],
    ]);
    const set = res.json.events[1];
    expect(set).toMatchObject({ namespace: ns.name, service: "reviews", task: "audited" });
    expect(set.before.weights).toEqual({ v1: 90, v2: 10 });
    expect(set.after.weights).toEqual({ v1: 50, v2: 50 });
    expect(set.resourceVersions).toHaveProperty(["VirtualService/reviews"]);
  });

  it("serves CSV as a download, one row per action, with the formula actor defused", async () => {
    const res = await fetch(`${server.baseUrl}/api/audit?namespace=${ns.name}&format=csv`, { headers: asUser("bob") });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(
      new RegExp(`attachment; filename="gray-console-audit-${ns.name}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    const lines = (await res.text()).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      "at,namespace,service,task,taskId,actor,actorGroups,actorSource,action,result,weightsBefore,weightsAfter,resourceVersions,error,note",
    );
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",${GROUP},`);
    expect(lines[1]).toContain(",create,ok,");
    expect(lines[2]).toMatch(
      new RegExp(`,bob,${GROUP},(::ffff:)?127\\.0\\.0\\.1,setTraffic,ok,v1=90 v2=10,v1=50 v2=50,`),
    );
  });

  it("filters by time and says when the limit cut the list", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await api("GET", `/api/audit?namespace=${ns.name}&since=${encodeURIComponent(future)}`)).json.events,
    ).toEqual([]);
    const window = await api("GET", `/api/audit?namespace=${ns.name}&since=${encodeURIComponent(started)}&limit=1`);
    expect(window.json.events.map((e: any) => e.action)).toEqual(["create"]);
    expect(window.json.truncated).toBe(true);
  });

  it("refuses a time that is not RFC 3339 with 400 naming the field", async () => {
    const res = await api("GET", "/api/audit?since=yesterday");
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: any) => d.path)).toContain("since");
  });
});
