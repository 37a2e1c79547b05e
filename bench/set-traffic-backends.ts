// setTraffic round trip on the two routing backends, same console, same run: a canary task on
// Bookinfo's reviews routed by an Istio VirtualService (the istio backend) and one on reviews
// routed by a Gateway API HTTPRoute (the gateway-api backend: per-version Services, weights on
// the HTTPRoute's default rule). Calls interleave, first writer alternating, so machine load hits
// both alike; the figure is the ratio gateway-api ÷ istio at p50 and p99.
//
//   npx tsx bench/set-traffic-backends.ts [--calls 200] [--warmup 10] [--port 3300 | --base-url http://127.0.0.1:3102]
//
// --base-url uses a console that already runs (its kubeconfig must be $KUBECONFIG's cluster);
// otherwise a production console is started on --port (needs `next build`).
import { parseArgs } from "node:util";
import { createTestNamespace } from "../test/integration/helpers/cluster";
import { seedReviewsGateway, getRoute, ruleWeights } from "../test/integration/helpers/gateway";
import { benchNamespace, createCanaryTask, defaultWeightsOf, kube, loadKubeConfig, readVirtualService } from "./k8s";
import {
  expectHttp,
  LATENCY_HEADERS,
  latencyRow,
  LOCAL_KUBECONFIG,
  ms,
  onCleanup,
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

const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "200" },
    warmup: { type: "string", default: "10" },
    port: { type: "string", default: "3300" },
    "base-url": { type: "string" },
  },
});
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);

async function consoleUrl(): Promise<string> {
  if (args["base-url"]) return args["base-url"];
  const app = await startConsole(Number(args.port), {
    dbFile: "set-traffic-backends.db",
    kubeconfig: process.env.KUBECONFIG ?? LOCAL_KUBECONFIG,
  });
  return app.baseUrl;
}

runMain(async () => {
  printHeader(`setTraffic round trip: gateway-api backend vs istio backend (${CALLS} calls each, interleaved)`);
  const kc = loadKubeConfig();
  const k = kube(kc);
  const baseUrl = await consoleUrl();

  const nsIstio = await benchNamespace(kc, k, "bench-stb-istio");
  const nsGateway = await createTestNamespace(kc, "bench-stb-gwapi");
  onCleanup(() => nsGateway.delete());
  await seedReviewsGateway(k, nsGateway.name);
  const tasks = {
    istio: await createCanaryTask(baseUrl, k, nsIstio.name, "bench-stb-istio", 10),
    "gateway-api": await createCanaryTask(baseUrl, k, nsGateway.name, "bench-stb-gwapi", 10),
  };
  const backends = Object.keys(tasks) as (keyof typeof tasks)[];
  for (const b of backends) {
    const task = (await expectHttp(200, "GET", `${baseUrl}/api/tasks/${tasks[b]}`)).json.task;
    if (task.routingBackend !== b) throw new Error(`task ${tasks[b]} runs on ${task.routingBackend}, expected ${b}`);
  }
  const samples: Record<keyof typeof tasks, number[]> = { istio: [], "gateway-api": [] };

  console.log(`\nwarm-up: ${WARMUP} calls each (not counted), then ${CALLS} measured calls each`);
  let lastV2 = 10;
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const v2 = i % 2 === 0 ? 20 : 10;
    lastV2 = v2;
    for (let j = 0; j < backends.length; j++) {
      const b = backends[(i + j) % backends.length]!;
      const { ms: t } = await timed(() =>
        expectHttp(200, "POST", `${baseUrl}/api/tasks/${tasks[b]}/actions`, {
          action: "setTraffic",
          weights: { v1: 100 - v2, v2 },
        }),
      );
      if (i >= WARMUP) samples[b].push(t);
    }
  }

  // Both routers must really carry the last weights: a benchmark of no-ops proves nothing.
  const vs = defaultWeightsOf(await readVirtualService(k, nsIstio.name));
  if (vs.v1 !== 100 - lastV2 || vs.v2 !== lastV2)
    throw new Error(`VirtualService weights ${JSON.stringify(vs)}, expected v2=${lastV2}`);
  const route = ruleWeights(getRoute(nsGateway.name), "gc-bench-stb-gwapi-default");
  if (route["reviews-v1"] !== 100 - lastV2 || route["reviews-v2"] !== lastV2)
    throw new Error(`HTTPRoute weights ${JSON.stringify(route)}, expected reviews-v2=${lastV2}`);

  const s = { istio: stats(samples.istio), gateway: stats(samples["gateway-api"]) };
  const row = latencyRow;
  console.log("\nlatency per call (nearest-rank percentiles)\n");
  console.log(
    table(
      ["backend", ...LATENCY_HEADERS],
      [
        row("istio (VirtualService + DestinationRule)", s.istio),
        row("gateway-api (HTTPRoute + per-version Services)", s.gateway),
      ],
    ),
  );
  console.log("\nratio gateway-api ÷ istio\n");
  console.log(
    table(["p50 ratio", "p99 ratio"], [[ratio(s.gateway.p50, s.istio.p50), ratio(s.gateway.p99, s.istio.p99)]]),
  );
  console.log(`\nchecked: the VirtualService and the HTTPRoute both end at v2=${lastV2}`);
  printFooter();
});
