// The whole request path on PostgreSQL: a console instance started here on a fresh schema
// (migrations applied by the server at start), driven over HTTP against the real cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, getVS, kube, seedReviews, type Kube } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { settled } from "./helpers/api";

const root = path.resolve(__dirname, "../..");
const PG = process.env.GC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const schema = `gc_server_${process.pid}_${Date.now()}`;
const port = Number(process.env.GC_TEST_PG_PORT ?? 3190);
let server: ConsoleInstance;
let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;

async function call(method: string, p: string, body?: unknown) {
  const res = await fetch(server.baseUrl + p, {
    method,
    headers: { "content-type": "application/json", "X-Forwarded-User": "pg-user" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  server = await startConsole(port, {
    DATABASE_URL: `${PG}?schema=${schema}`,
    KUBECONFIG: process.env.KUBECONFIG ?? path.join(root, ".local/kubeconfig"),
  });
  ns = await createTestNamespace(kc, "pg");
  await seedReviews(k, ns.name);
}, 120_000);

afterAll(async () => {
  server?.stop();
  await ns?.delete();
  const pg = new Client({ connectionString: PG });
  await pg.connect();
  await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pg.end();
});

describe("console on PostgreSQL", () => {
  it("reports the database kind and migrated the schema at start", async () => {
    const health = await call("GET", "/api/health");
    expect(health.json.database).toEqual({ ok: true, kind: "postgresql" });
    const pg = new Client({ connectionString: PG });
    await pg.connect();
    const rows = await pg.query(
      `SELECT migration_name FROM "${schema}"."_prisma_migrations" WHERE finished_at IS NOT NULL`,
    );
    await pg.end();
    // Every migration of prisma/migrations/postgresql, in order (a new one must be applied too).
    const dir = path.resolve(__dirname, "../../prisma/migrations/postgresql");
    const expected = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(expected).toContain("20261207000000_event_error_text");
    expect(rows.rows.map((r) => r.migration_name).sort()).toEqual(expected);
  });

  it("creates a task, shifts traffic, records history, refuses a duplicate, aborts", async () => {
    const spec = {
      name: "pg-canary",
      namespace: ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2", replicas: 1 },
      traffic: { weights: { v1: 90, v2: 10 } },
      rollout: { drainSeconds: 0 },
    };
    const created = await call("POST", "/api/tasks", spec);
    expect(created.status).toBe(201);
    const id = created.json.task.id;
    await settled(id, { baseUrl: server.baseUrl });
    expect((await call("POST", "/api/tasks", { ...spec, name: "pg-canary-2" })).status).toBe(409);
    expect(
      (await call("POST", `/api/tasks/${id}/actions`, { action: "setTraffic", weights: { v1: 60, v2: 40 } })).status,
    ).toBe(200);
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 60, v2: 40 });
    const events = (await call("GET", `/api/tasks/${id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.actor])).toEqual([
      ["create", "anonymous"],
      ["setTraffic", "anonymous"],
    ]);
    const list = await call("GET", `/api/tasks?namespace=${ns.name}`);
    expect(list.json.total).toBe(1);
    expect((await call("DELETE", `/api/tasks/${id}`)).json.task.state).toBe("aborted");
    await settled(id, { baseUrl: server.baseUrl });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 100 });
  });
});
