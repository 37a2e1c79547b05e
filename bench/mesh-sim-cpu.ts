// The mesh simulator's CPU cost per 1,000 simulated requests per second.
//
//   npx tsx bench/mesh-sim-cpu.ts [--rps 1000] [--seconds 30] [--port 15190]
//
// Starts a SECOND simulator (the shared one on :15090 keeps running; Prometheus does not scrape
// this one) watching only namespace bookinfo, so other engineers' annotated test namespaces
// cannot add load to the measurement:
//   baseline  --rps 0     informers and watches only (no synthetic users)
//   load      --rps 1000  1,000 synthetic Bookinfo users per second (each is several
//                         requests: productpage -> details, reviews -> ratings)
// For each: wait until its watches have synced, 10 s warm-up, then utime+stime from
// /proc/<pid>/stat over 30 s. Run as `node --import tsx` (not `npx tsx`) so the measured pid
// is the simulator itself, not an npm wrapper.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  cpuTicks,
  descendants,
  portFree,
  printFooter,
  printHeader,
  ratio,
  runMain,
  sleep,
  startProcess,
  statusKb,
  table,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    rps: { type: "string", default: "1000" },
    seconds: { type: "string", default: "30" },
    port: { type: "string", default: "15190" },
    warmup: { type: "string", default: "10" },
  },
});
const RPS = Number(args.rps);
const SECONDS = Number(args.seconds);
const WARMUP_S = Number(args.warmup);
const PORT = Number(args.port);
const CLK_TCK = 100; // Linux USER_HZ (getconf CLK_TCK) on every mainstream architecture

interface Health {
  totalRequests: number;
  cluster: { synced: boolean };
  mesh: string;
}

async function health(): Promise<Health | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${PORT}/healthz`);
    return res.ok ? ((await res.json()) as Health) : null;
  } catch {
    return null;
  }
}

interface Measurement {
  rps: number;
  cpuPercent: number;
  requestsPerSecond: number;
  hwmMb: number;
  rssMb: number;
  perSecondMax: number;
  mesh: string;
}

async function measure(rps: number): Promise<Measurement> {
  if (!(await portFree(PORT))) throw new Error(`port ${PORT} is in use`);
  const sim = startProcess(`mesh-sim-${rps}`, process.execPath, [
    "--import",
    "tsx",
    "dev/mesh-sim/main.ts",
    "--port",
    String(PORT),
    "--rps",
    String(rps),
    "--namespaces",
    "bookinfo",
    "--seed",
    "1",
  ]);
  try {
    const deadline = Date.now() + 60_000;
    while (!(await health())?.cluster.synced) {
      if (sim.child.exitCode !== null)
        throw new Error(`simulator --rps ${rps} exited; see .local/bench/logs/mesh-sim-${rps}.log`);
      if (Date.now() > deadline) throw new Error(`simulator --rps ${rps} not synced after 60 s`);
      await sleep(250);
    }
    await sleep(WARMUP_S * 1000);
    const pids = () => [sim.pid, ...descendants(sim.pid)];
    const ticks = () => pids().reduce((sum, p) => sum + cpuTicks(p), 0);
    const before = { ticks: ticks(), at: performance.now(), requests: (await health())!.totalRequests };
    let perSecondMax = 0;
    let last = before.ticks;
    for (let s = 0; s < SECONDS; s++) {
      await sleep(Math.max(0, before.at + (s + 1) * 1000 - performance.now()));
      const now = ticks();
      perSecondMax = Math.max(perSecondMax, (now - last) / CLK_TCK);
      last = now;
    }
    const end = (await health())!;
    const after = { ticks: ticks(), at: performance.now(), requests: end.totalRequests };
    const elapsed = (after.at - before.at) / 1000;
    const main = readFileSync(`/proc/${sim.pid}/cmdline`, "utf8");
    if (!main.includes("dev/mesh-sim/main.ts")) throw new Error(`pid ${sim.pid} is not the simulator: ${main}`);
    return {
      rps,
      cpuPercent: ((after.ticks - before.ticks) / CLK_TCK / elapsed) * 100,
      requestsPerSecond: (after.requests - before.requests) / elapsed,
      hwmMb: pids().reduce((sum, p) => sum + statusKb(p, "VmHWM"), 0) / 1024,
      rssMb: pids().reduce((sum, p) => sum + statusKb(p, "VmRSS"), 0) / 1024,
      perSecondMax: perSecondMax * 100,
      mesh: end.mesh,
    };
  } finally {
    await sim.stop();
  }
}

runMain(async () => {
  printHeader(`mesh simulator CPU: --rps ${RPS} vs --rps 0 (idle watches), ${SECONDS} s each`);
  const idle = await measure(0);
  const loaded = await measure(RPS);
  if (loaded.requestsPerSecond < RPS * 0.9)
    throw new Error(
      `the simulator served only ${loaded.requestsPerSecond.toFixed(0)} requests/s for --rps ${RPS}: it fell behind`,
    );
  console.log(`\nwatching namespace bookinfo (${loaded.mesh}); CPU = (utime+stime) / wall time, 100% = one core\n`);
  const row = (label: string, m: Measurement) => [
    label,
    m.requestsPerSecond.toFixed(0),
    `${m.cpuPercent.toFixed(1)} %`,
    `${m.perSecondMax.toFixed(0)} %`,
    `${m.rssMb.toFixed(0)} MB`,
    `${m.hwmMb.toFixed(0)} MB`,
  ];
  console.log(
    table(
      ["simulator", "requests/s (all hops)", "CPU (mean)", "CPU (worst 1 s)", "RSS", "VmHWM"],
      [row("baseline --rps 0 (idle watches)", idle), row(`--rps ${RPS}`, loaded)],
    ),
  );
  const marginal = loaded.cpuPercent - idle.cpuPercent;
  const perKiloUsers = marginal / (RPS / 1000);
  const perKiloRequests = (marginal / Math.max(1, loaded.requestsPerSecond - idle.requestsPerSecond)) * 1000;
  console.log("\nper 1,000 simulated RPS\n");
  console.log(
    table(
      ["figure", "value"],
      [
        [`CPU at --rps ${RPS} ÷ CPU idle`, ratio(loaded.cpuPercent, idle.cpuPercent)],
        ["CPU per 1,000 users/s (--rps), minus idle", `${perKiloUsers.toFixed(1)} % of one core`],
        ["CPU per 1,000 requests/s (all hops), minus idle", `${perKiloRequests.toFixed(1)} % of one core`],
        ["requests per simulated user", (loaded.requestsPerSecond / RPS).toFixed(2)],
      ],
    ),
  );
  printFooter();
});
