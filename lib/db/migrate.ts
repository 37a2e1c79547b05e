// Applies the migrations Prisma generated (prisma/migrations/<provider>/<name>/migration.sql).
//
// Why our own runner: Prisma's Wasm schema engine (the only one that works without
// downloading engine binaries) cannot run `migrate deploy` on PostgreSQL
// ("Column type 'name' could not be deserialized", prisma/orm#27403). This runner applies
// the SAME generated SQL files, one transaction per migration, and keeps Prisma's own
// bookkeeping table `_prisma_migrations` (same columns, sha256 checksums), so
// `prisma migrate status` / `migrate deploy` agree with it afterwards. It is used on both
// databases so both follow one code path; lib/db/migrate.test.ts cross-checks it with
// Prisma's CLI on SQLite.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { DatabaseConfig } from "./config";

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}
export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Prisma's advisory lock key for migrations: concurrent starters wait instead of racing. */
const PG_MIGRATION_LOCK = 72707369;

export function migrationsDir(kind: DatabaseConfig["kind"], root = process.cwd()): string {
  return path.join(root, "prisma", "migrations", kind);
}

export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new Error(`migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Decides what to do from what is recorded; pure so it is unit-tested without a database. */
export function pendingMigrations(
  files: MigrationFile[],
  applied: AppliedRow[],
): { pending: MigrationFile[]; done: string[] } {
  const byName = new Map<string, AppliedRow[]>();
  for (const row of applied) byName.set(row.migration_name, [...(byName.get(row.migration_name) ?? []), row]);
  const pending: MigrationFile[] = [];
  const done: string[] = [];
  for (const file of files) {
    const rows = (byName.get(file.name) ?? []).filter((r) => r.rolled_back_at == null);
    const finished = rows.find((r) => r.finished_at != null);
    if (finished) {
      if (finished.checksum !== file.checksum) {
        throw new Error(
          `migration ${file.name} was modified after it was applied (checksum ${finished.checksum.slice(0, 12)}… != ${file.checksum.slice(0, 12)}…)`,
        );
      }
      done.push(file.name);
    } else if (rows.length > 0) {
      throw new Error(
        `migration ${file.name} failed earlier and was never finished; fix the database and mark it rolled back before retrying`,
      );
    } else {
      pending.push(file);
    }
  }
  const known = new Set(files.map((f) => f.name));
  const unknown = applied.filter(
    (r) => r.finished_at != null && r.rolled_back_at == null && !known.has(r.migration_name),
  );
  if (unknown.length > 0)
    throw new Error(
      `database has migrations this checkout does not know: ${unknown.map((r) => r.migration_name).join(", ")}`,
    );
  return { pending, done };
}

export async function migrate(config: DatabaseConfig, root = process.cwd()): Promise<MigrateResult> {
  const files = readMigrations(migrationsDir(config.kind, root));
  return config.kind === "postgresql" ? migratePostgres(config, files) : migrateSqlite(config, files);
}

async function migratePostgres(
  config: Extract<DatabaseConfig, { kind: "postgresql" }>,
  files: MigrationFile[],
): Promise<MigrateResult> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: config.url.replace(/[?&]schema=[^&]*/, "") });
  await client.connect();
  try {
    const schema = `"${config.schema}"`;
    // The lock first: two consoles starting at once on an empty database both ran CREATE SCHEMA
    // IF NOT EXISTS, and PostgreSQL lets the second fail on pg_namespace's unique index.
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATION_LOCK]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET search_path TO ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const { pending, done } = pendingMigrations(files, rows);
      for (const m of pending) {
        const id = randomUUID();
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), now(), 1)`,
            [id, m.checksum, m.name],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.name} failed on PostgreSQL (rolled back): ${(err as Error).message}`);
        }
      }
      return { applied: pending.map((m) => m.name), alreadyApplied: done };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function migrateSqlite(
  config: Extract<DatabaseConfig, { kind: "sqlite" }>,
  files: MigrationFile[],
): Promise<MigrateResult> {
  const { mkdirSync } = await import("node:fs");
  mkdirSync(path.dirname(config.file), { recursive: true });
  const { sqliteClient } = await import("./sqlite-client");
  const client = sqliteClient({ url: config.url });
  try {
    await client.execute(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "checksum" TEXT NOT NULL,
      "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL,
      "logs" TEXT,
      "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
      "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const applied: string[] = [];
    const done: string[] = [];
    // A write transaction per migration; "write" takes SQLite's RESERVED lock up front so two
    // starters serialize, and the re-read inside it sees what the other one applied.
    for (const file of files) {
      const tx = await client.transaction("write");
      try {
        const rs = await tx.execute(
          `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
        );
        const rows = rs.rows.map((r) => ({
          migration_name: String(r.migration_name),
          checksum: String(r.checksum),
          finished_at: r.finished_at,
          rolled_back_at: r.rolled_back_at,
        }));
        const { pending } = pendingMigrations(files, rows);
        if (!pending.some((p) => p.name === file.name)) {
          done.push(file.name);
          await tx.rollback();
          continue;
        }
        await tx.executeMultiple(file.sql);
        await tx.execute({
          sql: `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES (?, ?, ?, current_timestamp, current_timestamp, 1)`,
          args: [randomUUID(), file.checksum, file.name],
        });
        await tx.commit();
        applied.push(file.name);
      } catch (err) {
        if (!tx.closed) await tx.rollback();
        throw new Error(`migration ${file.name} failed on SQLite (rolled back): ${(err as Error).message}`);
      } finally {
        tx.close();
      }
    }
    return { applied, alreadyApplied: done };
  } finally {
    client.close();
  }
}
