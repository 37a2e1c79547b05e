import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { sqliteClient } from "./sqlite-client";

// Two clients on one file hold separate connections: SQLite's locking between them is the same
// as between two console processes.
const dirs: string[] = [];
const open: Client[] = [];
function dbFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gc-sqlite-"));
  dirs.push(dir);
  return `file:${path.join(dir, "t.db")}`;
}
function track<T extends Client>(c: T): T {
  open.push(c);
  return c;
}
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Takes the write lock now; the returned promise is its commit, `ms` later. */
async function holdWriteLock(url: string, ms: number): Promise<{ released: Promise<void> }> {
  const holder = track(createClient({ url }));
  const tx = await holder.transaction("write");
  await tx.execute("INSERT INTO t VALUES (1)");
  return { released: new Promise((resolve) => setTimeout(() => resolve(tx.commit()), ms)) };
}

describe("sqliteClient", () => {
  it("a plain libsql client fails at once with SQLITE_BUSY while another connection writes (the failure it fixes)", async () => {
    const url = dbFile();
    await track(createClient({ url })).execute("CREATE TABLE t (x INTEGER)");
    const lock = await holdWriteLock(url, 300);
    await expect(track(createClient({ url })).execute("INSERT INTO t VALUES (2)")).rejects.toThrow(
      /locked|SQLITE_BUSY/,
    );
    await lock.released;
  });

  it("waits for another connection's write lock instead of failing", async () => {
    const url = dbFile();
    await track(createClient({ url })).execute("CREATE TABLE t (x INTEGER)");
    const lock = await holdWriteLock(url, 300);
    const started = Date.now();
    await track(sqliteClient({ url })).execute("INSERT INTO t VALUES (2)");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const rows = (await track(createClient({ url })).execute("SELECT x FROM t ORDER BY x")).rows.map((r) =>
      Number(r.x),
    );
    expect(rows).toEqual([1, 2]);
    await lock.released;
  });

  it("begins every transaction IMMEDIATE: the write lock is held before any statement", async () => {
    const url = dbFile();
    const c = track(sqliteClient({ url }));
    await c.execute("CREATE TABLE t (x INTEGER)");
    const deferred = await c.transaction("deferred");
    await expect(track(createClient({ url })).execute("INSERT INTO t VALUES (9)")).rejects.toThrow(/SQLITE_BUSY/);
    await deferred.rollback();
  });

  it("puts the file in WAL mode, so a reader is not blocked by a writer's open transaction", async () => {
    const url = dbFile();
    const c = track(sqliteClient({ url }));
    await c.execute("CREATE TABLE t (x INTEGER)");
    expect((await c.execute("PRAGMA journal_mode")).rows[0]?.[0]).toBe("wal");
    const tx = await c.transaction("write");
    await tx.execute("INSERT INTO t VALUES (1)");
    expect((await track(createClient({ url })).execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(0);
    await tx.commit();
  });

  it("does not block the event loop while it waits: timers fire during the wait", async () => {
    const url = dbFile();
    await track(createClient({ url })).execute("CREATE TABLE t (x INTEGER)");
    const lock = await holdWriteLock(url, 300);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    await track(sqliteClient({ url })).execute("INSERT INTO t VALUES (2)");
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(5);
    await lock.released;
  });

  it("gives up with SQLITE_BUSY after its timeout, not never", async () => {
    const url = dbFile();
    await track(createClient({ url })).execute("CREATE TABLE t (x INTEGER)");
    const lock = await holdWriteLock(url, 1500);
    await expect(track(sqliteClient({ url }, 200)).execute("INSERT INTO t VALUES (2)")).rejects.toThrow(
      /locked|SQLITE_BUSY/,
    );
    await lock.released;
  });
});
