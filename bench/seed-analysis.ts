// Fills a FRESH SQLite database with N canary tasks under background analysis, for the cost part
// of bench/analysis.ts.
//
//   NODE_OPTIONS=--conditions=react-server npx tsx bench/seed-analysis.ts <db file> <count> <interval>
//
// Like bench/seed-tasks.ts: the real migrations, the repository's insertTask, spec and status as
// the planner makes them for Bookinfo's reviews. Each task is progressing on a service of its own
// (svc-<i> in bench-analysis-<i % 20>: one active task per service is a unique key); the limits
// are high so that no decision (and no cluster write) happens during the measurement.
import { rmSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { insertTask } from "@/lib/db/tasks-repo";
import { planCreate } from "@/lib/release/planner";
import { TaskSpecSchema } from "@/lib/release/spec";
import { bookinfo } from "@/lib/release/testdata/bookinfo";

const IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

async function main(): Promise<void> {
  const [file, countArg, interval] = process.argv.slice(2);
  const count = Number(countArg);
  if (!file || !interval || !Number.isInteger(count) || count < 1)
    throw new Error("usage: seed-analysis.ts <db file> <count> <interval>");
  if (path.basename(require.resolve("server-only")) !== "empty.js")
    throw new Error("run with NODE_OPTIONS=--conditions=react-server (server-only must resolve to its empty module)");
  const abs = path.resolve(file);
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(abs + suffix, { force: true });
  const config = databaseConfig(`file:${abs}`);
  await migrate(config);
  const db = createDb(config);
  const proto = TaskSpecSchema.parse({
    name: "proto",
    namespace: "bookinfo",
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: IMAGE },
    traffic: { weights: { v1: 50, v2: 50 } },
    analysis: {
      interval,
      failureLimit: 100,
      inconclusiveLimit: 100,
      background: true,
      metrics: [
        { name: "success-rate", min: 99 },
        { name: "latency-p99", max: 500 },
      ],
    },
  });
  const status = planCreate(proto, bookinfo()).status as unknown as Record<string, unknown>;
  try {
    await db.$transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        const [name, namespace, service] = [`an-${i}`, `bench-analysis-${i % 20}`, `svc-${i}`];
        await insertTask(tx as unknown as Db, {
          name,
          namespace,
          service,
          strategy: "canary",
          state: "progressing",
          baseVersion: "v1",
          newVersion: "v2",
          spec: { ...proto, name, namespace, service },
          status: { ...status, task: name, namespace, service },
          createdBy: "bench",
        });
      }
    });
  } finally {
    await db.$disconnect();
  }
  console.log(JSON.stringify({ count, interval }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
