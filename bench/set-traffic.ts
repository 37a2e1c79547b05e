// setTraffic round-trip latency through the console vs. writing the same weights yourself.
//
//   npx tsx bench/set-traffic.ts [--calls 200] [--port 3300]
//
// Three writers, each on its own namespace seeded with Bookinfo's reviews (separate so one's
// write never looks like drift or a stale resourceVersion to another), interleaved call by
// call so machine load hits all three alike:
//   console  POST /api/tasks/{id}/actions {"action":"setTraffic"} on a private production
//            console: validate, read the cluster, drift check, plan, guarded replace of the
//            VirtualService, read-back, two DB writes, and the task detail it answers with
//   kubectl  `kubectl patch virtualservice reviews --type merge` of the default-route weights
//            (includes process start and client setup, as a human or script pays it)
//   replace  one client-node replaceNamespacedCustomObject of the VS, in-process, with the
//            resourceVersion of the previous write: the floor (one API round trip)
// plus, for the breakdown only, GET /api/tasks/{id}: the task detail (cluster + pods + DB
// reads) that setTraffic also builds for its answer.
// Target: console p99 < 100 ms. Weights alternate v2 = 20 / 10 so every call is a real change.
import { execFile } from "node:child_process";
import { parseArgs } from "node:util";
import { promisify } from "node:util";
import {
  benchNamespace,
  createCanaryTask,
  defaultWeightsOf,
  ISTIO,
  kube,
  loadKubeConfig,
  readVirtualService,
  withDefaultWeights,
  type VirtualServiceObject,
} from "./k8s";
import {
  expectHttp,
  LATENCY_HEADERS,
  latencyRow,
  KUBECTL,
  LOCAL_KUBECONFIG,
  ms,
  printFooter,
  printHeader,
  ratio,
  runMain,
  startConsole,
  stats,
  table,
  timed,
  type Stats,
} from "./lib";

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    port: { type: "string", default: "3300" },
    warmup: { type: "string", default: "10" },
  },
});
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);
const TARGET_P99_MS = 100;

runMain(async () => {
  printHeader(`setTraffic round trip: console vs kubectl patch vs in-process replace (${CALLS} calls each)`);
  const kc = loadKubeConfig();
  const k = kube(kc);
  const consoleApp = await startConsole(Number(args.port), { dbFile: "set-traffic.db" });

  const nsConsole = await benchNamespace(kc, k, "bench-st-console");
  const taskId = await createCanaryTask(consoleApp.baseUrl, k, nsConsole.name, "bench-set-traffic", 10);
  // The baselines write a VirtualService of exactly the shape the console wrote.
  const consoleVs = await readVirtualService(k, nsConsole.name);
  const template = {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews" },
    spec: consoleVs.spec,
  };
  const [nsKubectl, nsReplace] = await Promise.all([
    benchNamespace(kc, k, "bench-st-kubectl", { virtualService: template }),
    benchNamespace(kc, k, "bench-st-replace", { virtualService: template }),
  ]);
  let replaceObj: VirtualServiceObject = await readVirtualService(k, nsReplace.name);
  const http = consoleVs.spec.http ?? [];

  const writers = {
    console: async (v2: number) => {
      await expectHttp(200, "POST", `${consoleApp.baseUrl}/api/tasks/${taskId}/actions`, {
        action: "setTraffic",
        weights: { v1: 100 - v2, v2 },
      });
    },
    kubectl: async (v2: number) => {
      const patch = JSON.stringify({ spec: { http: withDefaultWeights(http, { v1: 100 - v2, v2 }) } });
      await run(KUBECTL, [
        "--kubeconfig",
        LOCAL_KUBECONFIG,
        "-n",
        nsKubectl.name,
        "patch",
        "virtualservice",
        "reviews",
        "--type",
        "merge",
        "-p",
        patch,
      ]);
    },
    replace: async (v2: number) => {
      const body = {
        ...replaceObj,
        spec: { ...replaceObj.spec, http: withDefaultWeights(replaceObj.spec.http ?? [], { v1: 100 - v2, v2 }) },
      };
      replaceObj = (await k.custom.replaceNamespacedCustomObject({
        ...ISTIO,
        namespace: nsReplace.name,
        plural: "virtualservices",
        name: "reviews",
        body,
      })) as VirtualServiceObject;
    },
    detail: async (_v2: number) => {
      await expectHttp(200, "GET", `${consoleApp.baseUrl}/api/tasks/${taskId}`);
    },
  };
  const names = Object.keys(writers) as (keyof typeof writers)[];
  const samples: Record<keyof typeof writers, number[]> = { console: [], kubectl: [], replace: [], detail: [] };

  console.log(`\nwarm-up: ${WARMUP} calls each (not counted), then ${CALLS} measured calls each, interleaved`);
  let lastV2 = 10;
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const v2 = i % 2 === 0 ? 20 : 10;
    lastV2 = v2;
    // Rotate who goes first so no writer always follows the same neighbour.
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length]!;
      const { ms: t } = await timed(() => writers[name](v2));
      if (i >= WARMUP) samples[name].push(t);
    }
  }

  // Every writer must really have landed its last weights: a benchmark of no-ops proves nothing.
  for (const ns of [nsConsole.name, nsKubectl.name, nsReplace.name]) {
    const w = defaultWeightsOf(await readVirtualService(k, ns));
    if (w.v1 !== 100 - lastV2 || w.v2 !== lastV2)
      throw new Error(`${ns}: VirtualService weights ${JSON.stringify(w)}, expected v2=${lastV2}`);
  }
  const events = await expectHttp(200, "GET", `${consoleApp.baseUrl}/api/tasks/${taskId}/events`);
  const okSetTraffic = (events.json.events as { action: string; result: string }[]).filter(
    (e) => e.action === "setTraffic" && e.result === "ok",
  ).length;
  if (okSetTraffic !== WARMUP + CALLS)
    throw new Error(`expected ${WARMUP + CALLS} recorded setTraffic events, found ${okSetTraffic}`);

  const s = {
    console: stats(samples.console),
    kubectl: stats(samples.kubectl),
    replace: stats(samples.replace),
    detail: stats(samples.detail),
  };
  const row = latencyRow;
  console.log("\nlatency per call (nearest-rank percentiles)\n");
  console.log(
    table(
      ["writer", ...LATENCY_HEADERS],
      [
        row("console setTraffic (HTTP)", s.console),
        row("kubectl patch --type merge", s.kubectl),
        row("client-node replace (in-process)", s.replace),
        row("(part of console) GET task detail", s.detail),
      ],
    ),
  );
  console.log("\nratios (console ÷ baseline)\n");
  console.log(
    table(
      ["baseline", "p50 ratio", "p99 ratio"],
      [
        ["kubectl patch", ratio(s.console.p50, s.kubectl.p50), ratio(s.console.p99, s.kubectl.p99)],
        ["client-node replace", ratio(s.console.p50, s.replace.p50), ratio(s.console.p99, s.replace.p99)],
      ],
    ),
  );
  console.log(
    `\ntarget console p99 < ${TARGET_P99_MS} ms: ${s.console.p99 < TARGET_P99_MS ? "MET" : "NOT MET"} (${ms(s.console.p99)})`,
  );
  console.log(
    `checked: all three VirtualServices end at v2=${lastV2}; the task recorded ${okSetTraffic} ok setTraffic events`,
  );
  printFooter();
});
