// Recovery after kill -9 of the reconciler's leader.
//
//   npx tsx bench/recovery.ts [--runs 3] [--port 3300]
//
// Two consoles share one database and one Lease with client-go's default timings (lease 15 s,
// renew 10 s, retry 2 s). In each run the leader starts a create whose new version is slow to
// start (its pods become Ready 4 s later, so the operation is waiting in the journal), and is
// killed with SIGKILL. Measured from the kill: (a) until the other console holds the Lease,
// (b) until the unfinished operation has completed (the VirtualService carries the weights).
// Baseline in the same run: the lease duration itself, the floor of (a) - a successor may take
// an unrenewed lease only once it has looked unchanged for that long.
import { parseArgs } from "node:util";
import { benchNamespace, defaultWeightsOf, kube, loadKubeConfig, readVirtualService } from "./k8s";
import {
  expectHttp,
  ms,
  printFooter,
  printHeader,
  ratio,
  REVIEWS_V2_IMAGE,
  runMain,
  sleep,
  startConsole,
  stats,
  table,
  type Console,
} from "./lib";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "3" }, port: { type: "string", default: "3300" } },
});
const RUNS = Number(args.runs);
const LEASE_S = 15;
const shared = {
  GC_LEADER_LEASE: "gray-console-bench-recovery",
  GC_LEADER_LEASE_SECONDS: String(LEASE_S),
  GC_LEADER_RENEW_SECONDS: "10",
  GC_LEADER_RETRY_SECONDS: "2",
};

async function leaderOf(consoles: Console[]): Promise<Console | null> {
  for (const c of consoles) {
    const h = await expectHttp(200, "GET", `${c.baseUrl}/api/health`).catch(() => null);
    if (h?.json?.reconciler?.leader) return c;
  }
  return null;
}

runMain(async () => {
  printHeader(`recovery after kill -9 of the leader (${RUNS} runs, lease ${LEASE_S} s)`);
  const kc = loadKubeConfig();
  const k = kube(kc);
  const ports = [Number(args.port), Number(args.port) + 1];
  const start = (port: number, first: boolean) =>
    startConsole(port, { dbFile: "recovery.db", keepDb: !first, env: shared });
  let consoles: Console[] = [await start(ports[0]!, true)];
  consoles.push(await startConsole(ports[1]!, { dbFile: "recovery.db", keepDb: true, env: shared, follower: true }));
  const takeover: number[] = [];
  const completed: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const leader = await leaderOf(consoles);
    if (!leader) throw new Error("no console holds the lease");
    const follower = consoles.find((c) => c !== leader)!;
    const ns = await benchNamespace(kc, k, `bench-recovery-${run}`);
    const created = await expectHttp(201, "POST", `${leader.baseUrl}/api/tasks`, {
      name: "bench-recovery",
      namespace: ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: {
        version: "v2",
        image: REVIEWS_V2_IMAGE,
        replicas: 1,
        annotations: { "pod-ready.stage.kwok.x-k8s.io/delay": "4s" },
      },
      traffic: { weights: { v1: 80, v2: 20 } },
    });
    const id = created.json.task.id as string;
    const killedAt = performance.now();
    leader.kill9();
    for (;;) {
      if ((await leaderOf([follower])) === follower) break;
      await sleep(50);
    }
    takeover.push(performance.now() - killedAt);
    for (;;) {
      const t = await expectHttp(200, "GET", `${follower.baseUrl}/api/tasks/${id}`);
      if (t.json.task.operation === null) break;
      await sleep(50);
    }
    completed.push(performance.now() - killedAt);
    const w = defaultWeightsOf(await readVirtualService(k, ns.name));
    if (w.v2 !== 20)
      throw new Error(`run ${run}: VirtualService weights ${JSON.stringify(w)} after recovery, expected v2=20`);
    console.log(
      `run ${run + 1}: lease taken after ${ms(takeover.at(-1)!)}, operation completed after ${ms(completed.at(-1)!)}`,
    );
    // The killed console comes back as the follower for the next run.
    const port = ports.find((p) => !follower.baseUrl.endsWith(`:${p}`))!;
    consoles = [
      follower,
      await startConsole(port, { dbFile: "recovery.db", keepDb: true, env: shared, follower: true }),
    ];
  }
  for (const c of consoles) c.stop();
  const a = stats(takeover);
  const b = stats(completed);
  console.log(
    "\n" +
      table(
        ["from kill -9 to", "n", "min", "p50", "max"],
        [
          ["the other console holds the lease", a.n, ms(a.min), ms(a.p50), ms(a.max)],
          ["the unfinished operation has completed", b.n, ms(b.min), ms(b.p50), ms(b.max)],
        ],
      ),
  );
  console.log(
    `\nbaseline: lease duration ${LEASE_S} s (the floor of a takeover); takeover p50 / lease = ${ratio(a.p50, LEASE_S * 1000)}`,
  );
  console.log(
    `bound: lease + one retry period (2 s) + one renew round trip; the pods were Ready 4 s after the create, so completion follows the takeover at once`,
  );
  printFooter();
});
