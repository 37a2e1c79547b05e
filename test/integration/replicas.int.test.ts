// Two replicas behind one address (the chart with replicas > 1): two console processes with
// GC_AUTH=token, the same GC_SESSION_SECRET, the same PostgreSQL database (a fresh schema, migrated
// by both at once under the migration lock) and the same reconciler Lease. A session made on one
// is good on the other (the cookie is sealed, nothing is kept server side), changes made through
// the replica that does not lead are run by the one that does (through the journal), exactly
// one holds the Lease, and a console with another secret refuses the cookie.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, getVS, kube, seedReviews, type Kube } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { settled } from "./helpers/api";
import { createServiceAccountUser, type TestUser } from "./helpers/users";

const root = path.resolve(__dirname, "../..");
const PG = process.env.GC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const schema = `gc_replicas_${process.pid}_${Date.now()}`;
const basePort = Number(process.env.GC_TEST_REPLICAS_PORT ?? 3185);
const lease = `gc-it-replicas-${randomBytes(3).toString("hex")}`;
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;
let operator: TestUser;
let replicas: ConsoleInstance[] = [];
let stranger: ConsoleInstance | undefined;
let dir = "";
/** The replica holding the Lease, and the other one. */
let leader: ConsoleInstance;
let follower: ConsoleInstance;
let cookie = "";
let csrf = "";

interface Reply {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}
async function call(
  c: ConsoleInstance,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(c.baseUrl + p, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
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

const health = async (c: ConsoleInstance) => (await call(c, "GET", "/api/health")).json.reconciler;

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "replicas");
  await seedReviews(k, ns.name);
  operator = await createServiceAccountUser(kc, ns.name, "operator", "edit");
  dir = mkdtempSync(path.join(tmpdir(), "gc-replicas-"));
  const kubeconfig = process.env.KUBECONFIG ?? path.join(root, ".local/kubeconfig");
  const replica = {
    GC_AUTH: "token",
    GC_SESSION_SECRET: randomBytes(48).toString("base64"),
    DATABASE_URL: `${PG}?schema=${schema}`,
    GC_LEADER_LEASE: lease,
    KUBECONFIG: kubeconfig,
  };
  // All three start side by side; the two replicas migrate the same empty schema at once.
  const started = await Promise.all([
    startConsole(basePort, replica),
    startConsole(basePort + 1, replica),
    startConsole(basePort + 2, {
      GC_AUTH: "token",
      GC_SESSION_SECRET: randomBytes(48).toString("base64"),
      DATABASE_URL: `file:${path.join(dir, "stranger.db")}`,
      KUBECONFIG: kubeconfig,
    }),
  ]);
  replicas = started.slice(0, 2);
  stranger = started[2];
}, 120_000);

afterAll(async () => {
  const running = [...replicas, ...(stranger ? [stranger] : [])];
  for (const c of running) c.stop();
  await Promise.all(running.map((c) => c.exited));
  await ns?.delete();
  const coordination = kc?.makeApiClient(k8s.CoordinationV1Api);
  for (const name of [lease, `gray-console-it-${basePort + 2}`])
    await coordination?.deleteNamespacedLease({ namespace: "default", name }).catch(() => undefined);
  const pg = new Client({ connectionString: PG });
  await pg.connect();
  await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pg.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("two replicas on one PostgreSQL database with one session secret", () => {
  it("share one database and exactly one of them holds the reconciler's Lease", async () => {
    for (const c of replicas)
      expect((await call(c, "GET", "/api/health")).json.database).toEqual({ ok: true, kind: "postgresql" });
    const states = await waitFor(
      async () => {
        const s = await Promise.all(replicas.map(health));
        return s.filter((r) => r.leader).length === 1 && s.every((r) => r.holder === s.find((x) => x.leader).identity)
          ? s
          : null;
      },
      { timeoutMs: 30_000, description: "one leader, seen by both replicas" },
    );
    expect(states.map((s) => s.lease)).toEqual([`default/${lease}`, `default/${lease}`]);
    expect(states[0].identity).not.toBe(states[1].identity);
    const i = states.findIndex((s) => s.leader);
    leader = replicas[i]!;
    follower = replicas[1 - i]!;
  });

  it("a session made on one replica works on the other: the cookie and its CSRF token", async () => {
    const login = await call(leader, "POST", "/api/auth/login", { token: operator.token });
    expect(login.status, login.text).toBe(200);
    cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("gc_session="))!
      .split(";")[0]!;
    const session = await call(leader, "GET", "/api/auth/session", undefined, { cookie });
    expect(session.json.user).toMatchObject({ name: operator.name, via: "session" });
    csrf = session.json.csrfToken;
    const there = await call(follower, "GET", "/api/auth/session", undefined, { cookie });
    expect(there.json.user).toMatchObject({ name: operator.name, via: "session" });
    expect(there.json.csrfToken).toBe(csrf);
    const tasks = await call(follower, "GET", "/api/tasks", undefined, { cookie });
    expect(tasks.status, tasks.text).toBe(200);
    expect(tasks.json.tasks).toEqual([]);
  });

  it("creates a canary and sets traffic through the replica that does not lead; the leader runs the journal", async () => {
    const headers = { cookie, "x-csrf-token": csrf };
    const spec = {
      name: "two-replicas",
      namespace: ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: V2, replicas: 1 },
      traffic: { weights: { v1: 90, v2: 10 } },
      rollout: { drainSeconds: 0 },
    };
    const created = await call(follower, "POST", "/api/tasks", spec, headers);
    expect(created.status, created.text).toBe(201);
    const id = created.json.task.id;
    expect((await settled(id, { baseUrl: follower.baseUrl, headers: { cookie } })).state).toBe("progressing");
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 90, v2: 10 });
    const shifted = await call(
      follower,
      "POST",
      `/api/tasks/${id}/actions`,
      { action: "setTraffic", weights: { v1: 70, v2: 30 } },
      headers,
    );
    expect(shifted.status, shifted.text).toBe(200);
    await settled(id, { baseUrl: follower.baseUrl, headers: { cookie } });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 70, v2: 30 });
    // One history, whichever replica is asked; the follower never took the Lease meanwhile.
    const events = (await call(leader, "GET", `/api/tasks/${id}/events`, undefined, { cookie })).json.events;
    expect(events.map((e: any) => [e.action, e.actor, e.result])).toEqual([
      ["create", operator.name, "ok"],
      ["setTraffic", operator.name, "ok"],
    ]);
    expect((await health(follower)).leader).toBe(false);
    expect((await health(leader)).leader).toBe(true);
  });

  it("a console with a different session secret refuses the cookie (401): nobody is signed in there", async () => {
    const res = await call(stranger!, "GET", "/api/tasks", undefined, { cookie });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthenticated");
    expect((await call(stranger!, "GET", "/api/auth/session", undefined, { cookie })).json.user).toBeNull();
  });
});
