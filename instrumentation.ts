// Runs once when the Next.js server starts: stamp requests with their peer address, validate the environment (a clear message per
// bad variable), bring the database schema up to date before the first request, and start
// the task reconciler (leader election on its Lease, the journal, the batch auto-advancer).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: every request from now on carries its TCP peer's address (GC_TRUSTED_PROXIES).
  const { installPeerStamp } = await import("./lib/auth/peer");
  installPeerStamp();
  const { env } = await import("./lib/env");
  const { databaseConfig } = await import("./lib/db/config");
  const { migrate } = await import("./lib/db/migrate");
  env();
  const config = databaseConfig(process.env.DATABASE_URL);
  const result = await migrate(config);
  if (result.applied.length > 0)
    console.log(`[gray-console] ${config.kind}: applied migrations ${result.applied.join(", ")}`);
  const { startReconciler } = await import("./lib/tasks/reconciler");
  startReconciler();
}
