import { describe, expect, it } from "vitest";
import { pendingMigrations, type MigrationFile } from "./migrate";
import { databaseConfig } from "./config";

const file = (name: string, checksum = `sum-${name}`): MigrationFile => ({ name, sql: "", checksum });
const row = (
  name: string,
  over: Partial<{ checksum: string; finished_at: unknown; rolled_back_at: unknown }> = {},
) => ({
  migration_name: name,
  checksum: `sum-${name}`,
  finished_at: "2026-01-01",
  rolled_back_at: null,
  ...over,
});

describe("pendingMigrations", () => {
  const cases: {
    name: string;
    files: MigrationFile[];
    rows: ReturnType<typeof row>[];
    pending?: string[];
    error?: RegExp;
  }[] = [
    { name: "fresh database: everything pending", files: [file("a"), file("b")], rows: [], pending: ["a", "b"] },
    { name: "partly applied", files: [file("a"), file("b")], rows: [row("a")], pending: ["b"] },
    { name: "all applied", files: [file("a")], rows: [row("a")], pending: [] },
    {
      name: "rolled back rows are ignored",
      files: [file("a")],
      rows: [row("a", { finished_at: null, rolled_back_at: "x" })],
      pending: ["a"],
    },
    {
      name: "edited after apply",
      files: [file("a", "other")],
      rows: [row("a")],
      error: /modified after it was applied/,
    },
    {
      name: "failed and unfinished",
      files: [file("a")],
      rows: [row("a", { finished_at: null })],
      error: /failed earlier/,
    },
    { name: "database newer than checkout", files: [file("a")], rows: [row("a"), row("z")], error: /does not know: z/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) expect(() => pendingMigrations(c.files, c.rows)).toThrow(c.error);
      else expect(pendingMigrations(c.files, c.rows).pending.map((m) => m.name)).toEqual(c.pending);
    });
  }
});

describe("databaseConfig", () => {
  it("defaults to the embedded SQLite file", () => {
    expect(databaseConfig(undefined, "/srv/app")).toEqual({
      kind: "sqlite",
      url: "file:/srv/app/.local/console.db",
      file: "/srv/app/.local/console.db",
    });
  });
  it("reads the PostgreSQL schema parameter", () => {
    expect(databaseConfig("postgresql://u@127.0.0.1:5432/test?schema=gc_1")).toMatchObject({
      kind: "postgresql",
      schema: "gc_1",
    });
    expect(databaseConfig("postgres://u@h/db")).toMatchObject({ kind: "postgresql", schema: "public" });
  });
  it("rejects an unsafe schema name and unknown schemes", () => {
    expect(() => databaseConfig("postgresql://h/db?schema=a;drop")).toThrow(/plain identifier/);
    expect(() => databaseConfig("mysql://h/db")).toThrow(/must start with/);
  });
});
