// Prisma CLI configuration. Engine binaries cannot be downloaded here, so the CLI runs
// its Wasm schema engine through a JS driver adapter (engine: "js").
// DATABASE_URL=postgresql://... selects the PostgreSQL schema; anything else (or unset)
// is the embedded SQLite file (.local/console.db by default).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL ?? "";
const isPostgres = /^postgres(ql)?:\/\//.test(url);
const sqliteUrl = url.startsWith("file:") ? url : `file:${path.resolve(".local/console.db")}`;
// The schema's datasource reads env("DATABASE_URL"); give the CLI the embedded default.
process.env.DATABASE_URL = isPostgres ? url : sqliteUrl;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  migrations: {
    path: isPostgres ? path.join("prisma", "migrations", "postgresql") : path.join("prisma", "migrations", "sqlite"),
  },
  async adapter() {
    return isPostgres ? new PrismaPg({ connectionString: url }) : new PrismaLibSQL({ url: sqliteUrl });
  },
});
