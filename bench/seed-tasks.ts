// Fills a FRESH SQLite database with N release tasks for the jobs-list benchmark (bench/ui.ts).
//
//   NODE_OPTIONS=--conditions=react-server npx tsx bench/seed-tasks.ts <db file> <count>
//
// lib/db/* import "server-only", which throws outside a React Server environment; under the
// `react-server` export condition that package resolves to its empty module (this script
// checks it did). Rows go through the real repository (lib/db/tasks-repo.ts insertTask) after
// the real migrations, and their spec/status are what the planner produces for Bookinfo's
// reviews, one prototype per strategy, so the rows are the size and shape the console stores.
// States, strategies and namespaces vary (20 namespaces team-00..team-19); the namespaces and
// services need not exist in the cluster. Prints one JSON line: {count, ms, namespaces}.
import { rmSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { insertTask, type NewTask } from "@/lib/db/tasks-repo";
import { planCreate } from "@/lib/release/planner";
import { TaskSpecSchema, type TaskSpec } from "@/lib/release/spec";
import { bookinfo, reviewsDeployment } from "@/lib/release/testdata/bookinfo";
import { STRATEGIES, TASK_STATES, type Strategy } from "@/lib/release/types";

const IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const SEED_NAMESPACES = Array.from({ length: 20 }, (_, i) => `team-${String(i).padStart(2, "0")}`);
const USERS = ["alice", "bob", "carol", "dave", "erin"];
const BATCH = 1000;

const TRAFFIC: Record<Strategy, Record<string, unknown>> = {
  canary: { traffic: { weights: { v1: 90, v2: 10 } } },
  "blue-green": { traffic: { previewHeader: { name: "x-preview", value: "green" } } },
  "ab-test": {
    traffic: {
      variants: [
        { name: "android", version: "v2", match: [{ kind: "os", value: "android" }] },
        { name: "a", version: "v1", weight: 70 },
        { name: "b", version: "v2", weight: 30 },
      ],
    },
  },
  mirror: { traffic: { mirrorPercent: 25 } },
  batch: { newVersion: { version: "v2", image: IMAGE, replicas: 10 }, batch: { groups: 3, betaGroup: true } },
  "replica-canary": { traffic: { weights: { v1: 75, v2: 25 } } },
};

function prototype(strategy: Strategy): { spec: TaskSpec; status: Record<string, unknown> } {
  const spec = TaskSpecSchema.parse({
    name: "proto",
    namespace: "bookinfo",
    service: "reviews",
    strategy,
    newVersion: { version: "v2", image: IMAGE },
    ...TRAFFIC[strategy],
  });
  const cluster =
    strategy === "replica-canary" ? bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }) : bookinfo();
  return { spec, status: planCreate(spec, cluster).status as unknown as Record<string, unknown> };
}

async function main(): Promise<void> {
  const [file, countArg] = process.argv.slice(2);
  const count = Number(countArg);
  if (!file || !Number.isInteger(count) || count < 1) throw new Error("usage: seed-tasks.ts <db file> <count>");
  // Without the condition the imports above already threw; this states which entry we got.
  if (path.basename(require.resolve("server-only")) !== "empty.js") {
    throw new Error("run with NODE_OPTIONS=--conditions=react-server (server-only must resolve to its empty module)");
  }

  const abs = path.resolve(file);
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(abs + suffix, { force: true });
  const config = databaseConfig(`file:${abs}`);
  await migrate(config);
  const db = createDb(config);
  const protos = new Map(STRATEGIES.map((s) => [s, prototype(s)]));
  const t0 = performance.now();
  const row = (i: number): NewTask => {
    const strategy = STRATEGIES[i % STRATEGIES.length]!;
    // 6 strategies x 7 states are coprime: every combination occurs.
    const state = TASK_STATES[i % TASK_STATES.length]!;
    const namespace = SEED_NAMESPACES[i % SEED_NAMESPACES.length]!;
    const name = `rel-${i}`;
    // A service per task: at most one ACTIVE task per service is a unique key.
    const service = `svc-${i}`;
    const proto = protos.get(strategy)!;
    return {
      name,
      namespace,
      service,
      strategy,
      state,
      baseVersion: "v1",
      newVersion: "v2",
      spec: { ...proto.spec, name, namespace, service },
      status: { ...proto.status, task: name, namespace, service },
      createdBy: USERS[i % USERS.length]!,
    };
  };
  try {
    // 1,000 rows per transaction: one commit (one fsync) per batch instead of per row. Each
    // insert is still the repository's own insertTask.
    for (let start = 0; start < count; start += BATCH) {
      await db.$transaction(
        async (tx) => {
          for (let i = start; i < Math.min(count, start + BATCH); i++) await insertTask(tx as unknown as Db, row(i));
        },
        { timeout: 120_000, maxWait: 10_000 },
      );
    }
  } finally {
    await db.$disconnect();
  }
  console.log(JSON.stringify({ count, ms: Math.round(performance.now() - t0), namespaces: SEED_NAMESPACES }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
