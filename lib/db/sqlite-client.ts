import { createClient, type Client, type Config, type TransactionMode } from "@libsql/client";

// SQLite shared by several processes (a second console, the migration of a starting one):
// libsql opens its connections with no busy handler, so a write that meets another process's
// lock fails at once with SQLITE_BUSY, which Prisma reports as P1008 "Operation has timed out".
// SQLite's own busy handler would wait, but libsql runs SQLite synchronously on the event loop:
// a wait there would freeze the whole console (and the leader's Lease renewals) meanwhile. So:
//  - the file is in WAL mode: readers never block the writer and the writer never blocks them,
//    so only two writers at once can meet (https://www.sqlite.org/wal.html);
//  - transactions begin IMMEDIATE (the write lock before any statement): a deferred
//    transaction that read and then wants to write while another process writes would get
//    SQLITE_BUSY at that statement, which no retry of the statement can fix
//    (https://www.sqlite.org/lang_transaction.html);
//  - so SQLITE_BUSY can only come from a statement that took no effect (BEGIN IMMEDIATE, an
//    autocommit write, the mode switch), and that statement is retried asynchronously, with
//    backoff, for up to SQLITE_BUSY_BUDGET_MS.
export const SQLITE_BUSY_BUDGET_MS = 10_000;

export function isSqliteBusy(err: unknown): boolean {
  const e = err as { code?: unknown; rawCode?: unknown } | null;
  if (!e) return false;
  if (typeof e.rawCode === "number") return (e.rawCode & 0xff) === 5;
  return typeof e.code === "string" && e.code.startsWith("SQLITE_BUSY");
}

/** Runs `attempt` until it does not fail with SQLITE_BUSY, or the budget is spent (then its last error). */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, budgetMs = SQLITE_BUSY_BUDGET_MS): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isSqliteBusy(err) || Date.now() >= deadline) throw err;
      const backoff = Math.min(2 * 2 ** n, 100) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, Math.min(backoff, Math.max(1, deadline - Date.now()))));
    }
  }
}

/** A libsql client whose writes wait (asynchronously) for other processes instead of failing. */
export function sqliteClient(config: Config, budgetMs = SQLITE_BUSY_BUDGET_MS): Client {
  const client = createClient(config);
  let walChecked = false;
  const retry = <T>(attempt: () => Promise<T>) => retryWhileBusy(attempt, budgetMs);
  const ready = async () => {
    if (walChecked) return;
    // Stored in the file: one switch covers every connection of every process from then on.
    await retry(() => client.execute("PRAGMA journal_mode = WAL"));
    walChecked = true;
  };
  const waiting: Partial<Client> = {
    execute: (async (...args: Parameters<Client["execute"]>) => {
      await ready();
      return retry(() => client.execute(...(args as [never])));
    }) as Client["execute"],
    batch: (async (...args: Parameters<Client["batch"]>) => {
      await ready();
      return retry(() => client.batch(...args));
    }) as Client["batch"],
    executeMultiple: async (sql: string) => {
      await ready();
      return client.executeMultiple(sql);
    },
    transaction: async (mode?: TransactionMode) => {
      await ready();
      return retry(() => client.transaction(mode === "read" ? "read" : "write"));
    },
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (Object.hasOwn(waiting, prop)) return waiting[prop as keyof Client];
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
