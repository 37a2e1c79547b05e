import path from "node:path";

export type DatabaseConfig =
  | { kind: "sqlite"; url: string; file: string }
  | { kind: "postgresql"; url: string; schema: string };

/** DATABASE_URL unset -> the embedded SQLite file .local/console.db; postgresql://...?schema=x -> PostgreSQL. */
export function databaseConfig(databaseUrl: string | undefined, cwd = process.cwd()): DatabaseConfig {
  if (!databaseUrl) {
    const file = path.resolve(cwd, ".local/console.db");
    return { kind: "sqlite", url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const schema = new URL(databaseUrl).searchParams.get("schema") ?? "public";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
      throw new Error(`DATABASE_URL: schema "${schema}" is not a plain identifier`);
    return { kind: "postgresql", url: databaseUrl, schema };
  }
  if (databaseUrl.startsWith("file:")) {
    const file = path.resolve(cwd, databaseUrl.slice("file:".length).replace(/^\/\//, ""));
    return { kind: "sqlite", url: `file:${file}`, file };
  }
  throw new Error('DATABASE_URL must start with "file:" or "postgresql://"');
}
