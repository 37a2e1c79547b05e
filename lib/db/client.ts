import "server-only";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import type { Client, Config } from "@libsql/client";
import { databaseConfig, type DatabaseConfig } from "./config";
import { sqliteClient } from "./sqlite-client";

/** Prisma's libsql adapter on connections that wait for other processes' locks (see sqlite-client.ts). */
class WaitingLibSQL extends PrismaLibSQL {
  override createClient(config: Config): Client {
    return sqliteClient(config);
  }
}

// The two generated clients have identical model APIs (same schema, different provider);
// repositories are typed against one of them.
export type Db = SqlitePrismaClient;

export function createDb(config: DatabaseConfig): Db {
  if (config.kind === "postgresql") {
    const adapter = new PrismaPg(
      { connectionString: config.url.replace(/[?&]schema=[^&]*/, "") },
      { schema: config.schema },
    );
    return new PostgresPrismaClient({ adapter }) as unknown as Db;
  }
  return new SqlitePrismaClient({ adapter: new WaitingLibSQL({ url: config.url }) });
}

const globalForDb = globalThis as unknown as { __grayConsoleDb?: { db: Db; config: DatabaseConfig } };

/** One client per process (Next dev reloads modules; the global keeps one pool). */
export function db(): Db {
  if (!globalForDb.__grayConsoleDb) {
    const config = databaseConfig(process.env.DATABASE_URL);
    globalForDb.__grayConsoleDb = { db: createDb(config), config };
  }
  return globalForDb.__grayConsoleDb.db;
}

export function dbKind(): DatabaseConfig["kind"] {
  return databaseConfig(process.env.DATABASE_URL).kind;
}
