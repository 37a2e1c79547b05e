import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { databaseConfig, type DatabaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { createDb, type Db } from "@/lib/db/client";
import {
  claimDelivery,
  dueDeliveries,
  insertDeliveries,
  readNamespaceTargets,
  recordOutcome,
  taskDeliveries,
  writeNamespaceTargets,
} from "@/lib/db/notifications-repo";
import {
  addEvent,
  findActiveTaskForService,
  insertTask,
  listEvents,
  listTasks,
  updateTaskIfRevision,
  type NewTask,
} from "@/lib/db/tasks-repo";

// The same repository code and the same generated migrations, on both databases.
const PG_BASE = process.env.GC_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const pgSchema = `gc_test_${process.pid}_${Date.now()}`;
const sqliteDir = mkdtempSync(path.join(tmpdir(), "gc-db-"));

const targets: { name: string; config: DatabaseConfig }[] = [
  { name: "sqlite", config: databaseConfig(`file:${path.join(sqliteDir, "console.db")}`) },
  { name: "postgresql", config: databaseConfig(`${PG_BASE}?schema=${pgSchema}`) },
];

// In order: the first schema, then the operations journal (issue 8), ..., the notification outbox (issue 13).
const MIGRATIONS = [
  "20261121000000_init",
  "20261204000000_operations",
  "20261206000000_actor_identity",
  "20261207000000_event_error_text",
  "20261208000000_notifications",
  "20261209000000_step_templates",
  "20261209100000_analysis_runs",
];

const task = (over: Partial<NewTask> = {}): NewTask => ({
  name: "reviews-canary",
  namespace: "bookinfo",
  service: "reviews",
  strategy: "canary",
  state: "progressing",
  baseVersion: "v1",
  newVersion: "v2",
  spec: { name: "reviews-canary" },
  status: { weights: { v1: 90, v2: 10 } },
  createdBy: "alice",
  ...over,
});

afterAll(async () => {
  rmSync(sqliteDir, { recursive: true, force: true });
  const pg = new Client({ connectionString: PG_BASE });
  await pg.connect();
  await pg.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await pg.end();
});

describe.each(targets)("database $name", ({ name, config }) => {
  let db: Db;

  it("applies the generated migrations once, then nothing", async () => {
    const first = await migrate(config);
    expect(first.applied).toEqual(MIGRATIONS);
    const again = await migrate(config);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(MIGRATIONS);
    db = createDb(config);
  });

  if (name === "sqlite") {
    it("Prisma's own CLI agrees the schema is up to date", () => {
      const out = execFileSync("npx", ["prisma", "migrate", "status"], {
        env: { ...process.env, DATABASE_URL: config.url },
        encoding: "utf8",
      });
      expect(out).toMatch(/Database schema is up to date/);
    });
  }

  it("stores a task and refuses a second active task on the same service", async () => {
    const t = await insertTask(db, task());
    expect(t.revision).toBe(0);
    await expect(insertTask(db, task({ name: "reviews-canary-2" }))).rejects.toThrow();
    expect((await findActiveTaskForService(db, "bookinfo", "reviews"))?.id).toBe(t.id);
  });

  it("refuses a duplicate task name in the namespace", async () => {
    await expect(insertTask(db, task({ service: "ratings" }))).rejects.toThrow();
  });

  it("never loses an update: a stale revision writes nothing", async () => {
    const t = (await findActiveTaskForService(db, "bookinfo", "reviews"))!;
    const updated = await updateTaskIfRevision(db, t, {
      state: "progressing",
      status: { weights: { v1: 50, v2: 50 } },
    });
    expect(updated?.revision).toBe(1);
    const stale = await updateTaskIfRevision(db, t, { state: "progressing", status: { weights: { v1: 0, v2: 100 } } });
    expect(stale).toBeNull();
    const done = await updateTaskIfRevision(db, updated!, { state: "completed", status: {}, finished: true });
    expect(done?.activeKey).toBeNull();
    expect(done?.finishedAt).toBeInstanceOf(Date);
    // the service is free again
    const next = await insertTask(db, task({ name: "reviews-canary-3" }));
    expect(next.activeKey).toBe("bookinfo/reviews");
  });

  it("keeps events in order with their before/after", async () => {
    const t = await insertTask(db, task({ name: "ratings-canary", service: "ratings" }));
    await addEvent(db, {
      taskId: t.id,
      actor: "alice",
      action: "create",
      after: { weights: { v1: 90, v2: 10 } },
      result: "ok",
    });
    await addEvent(db, {
      taskId: t.id,
      actor: "bob",
      action: "setTraffic",
      before: { weights: { v1: 90, v2: 10 } },
      after: { weights: { v1: 50, v2: 50 } },
      resourceVersions: { "VirtualService/ratings": "42" },
      result: "ok",
    });
    const events = await listEvents(db, t.id);
    expect(events.map((e) => [e.actor, e.action])).toEqual([
      ["alice", "create"],
      ["bob", "setTraffic"],
    ]);
    expect(JSON.parse(events[1]!.resourceVersions!)).toEqual({ "VirtualService/ratings": "42" });
  });

  it("lists with filters and pagination", async () => {
    const all = await listTasks(db, { page: 1, pageSize: 2 });
    expect(all.total).toBe(3);
    expect(all.rows).toHaveLength(2);
    const ratings = await listTasks(db, { service: "ratings", page: 1, pageSize: 20 });
    expect(ratings.rows.map((r) => r.name)).toEqual(["ratings-canary"]);
    const completed = await listTasks(db, { state: "completed", page: 1, pageSize: 20 });
    expect(completed.total).toBe(1);
    const search = await listTasks(db, { q: "canary-3", page: 1, pageSize: 20 });
    expect(search.rows.map((r) => r.name)).toEqual(["reviews-canary-3"]);
  });

  it("notification outbox: queued with the event's transaction, one sender claims each attempt, deleted with its task", async () => {
    const t = await insertTask(db, task({ name: "details-canary", service: "details" }));
    await db.$transaction(async (tx) => {
      const e = await addEvent(tx as never, { taskId: t.id, actor: "alice", action: "create", result: "ok" });
      await insertDeliveries(tx as never, [
        {
          taskId: t.id,
          eventId: e.id,
          event: "created",
          targetType: "slack",
          url: "https://hooks.example/a",
          secret: null,
          payload: "{}",
        },
        {
          taskId: t.id,
          eventId: e.id,
          event: "created",
          targetType: "webhook",
          url: "https://hooks.example/b",
          secret: "s",
          payload: "{}",
        },
      ]);
    });
    const due = await dueDeliveries(db, new Date(), 10);
    expect(due.map((d) => [d.targetType, d.status, d.attempts])).toEqual([
      ["slack", "pending", 0],
      ["webhook", "pending", 0],
    ]);
    const hold = new Date(Date.now() + 30_000);
    // Two senders read the same row: only one may send it.
    const claims = await Promise.all([claimDelivery(db, due[0]!, hold), claimDelivery(db, due[0]!, hold)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await dueDeliveries(db, new Date(), 10)).map((d) => d.targetType)).toEqual(["webhook"]);
    await recordOutcome(db, due[0]!.id, { status: "sent", lastStatus: 200, lastError: null, nextAttemptAt: null });
    const rows = await taskDeliveries(db, t.id);
    expect(rows.find((r) => r.targetType === "slack")).toMatchObject({ status: "sent", attempts: 1, lastStatus: 200 });
    expect(rows.find((r) => r.targetType === "slack")?.sentAt).toBeInstanceOf(Date);
    await db.releaseTask.delete({ where: { id: t.id } });
    expect(await taskDeliveries(db, t.id)).toEqual([]);
  });

  it("namespace notification defaults: stored, replaced, read back", async () => {
    expect(await readNamespaceTargets(db, "bookinfo")).toBeNull();
    await writeNamespaceTargets(db, "bookinfo", [{ type: "slack", url: "https://hooks.example/a" }], "alice");
    const second = await writeNamespaceTargets(
      db,
      "bookinfo",
      [{ type: "wecom", url: "https://hooks.example/w?key=k" }],
      "bob",
    );
    expect(await readNamespaceTargets(db, "bookinfo")).toEqual({
      targets: [{ type: "wecom", url: "https://hooks.example/w?key=k" }],
      updatedBy: "bob",
      updatedAt: second.updatedAt,
    });
    await db.$disconnect();
  });
});
