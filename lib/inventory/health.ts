import "server-only";
import { consoleClients } from "@/lib/k8s/client";
import { toK8sError } from "@/lib/k8s/errors";
import { db, dbKind } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { HealthResponse } from "./views";
import { clusterVersion } from "./cluster";
import { reconciler } from "@/lib/tasks/reconciler";

// Always answers: each dependency is probed on its own with a short timeout and reported,
// so a stopped cluster shows as kubernetes.ok=false instead of a failed request.
export async function checkHealth(): Promise<HealthResponse> {
  const [kubernetes, database, prometheus] = await Promise.all([checkKubernetes(), checkDatabase(), checkPrometheus()]);
  return { kubernetes, database, prometheus, reconciler: reconcilerHealth() };
}

/** Which process holds the reconciler's Lease: this one (leader) or another (it hands work over through the journal). */
function reconcilerHealth(): HealthResponse["reconciler"] {
  const e = env();
  try {
    const s = reconciler().elector.state();
    return {
      lease: `${e.GC_LEADER_NAMESPACE}/${e.GC_LEADER_LEASE}`,
      identity: s.identity,
      leader: s.isLeader,
      holder: s.holder,
    };
  } catch (err) {
    return {
      lease: `${e.GC_LEADER_NAMESPACE}/${e.GC_LEADER_LEASE}`,
      identity: null,
      leader: false,
      holder: null,
      error: (err as Error).message,
    };
  }
}

async function checkKubernetes(): Promise<HealthResponse["kubernetes"]> {
  try {
    return { ok: true, version: await clusterVersion(consoleClients(), 3000) };
  } catch (err) {
    return { ok: false, version: null, error: toK8sError(err).message };
  }
}

async function checkDatabase(): Promise<HealthResponse["database"]> {
  const kind = dbKind();
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return { ok: true, kind };
  } catch (err) {
    return { ok: false, kind, error: (err as Error).message };
  }
}

async function checkPrometheus(): Promise<HealthResponse["prometheus"]> {
  const url = env().PROMETHEUS_URL;
  try {
    const res = await fetch(new URL("/-/ready", url), { signal: AbortSignal.timeout(2000) });
    return res.ok ? { ok: true, url } : { ok: false, url, error: `Prometheus answered HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, url, error: `Prometheus unreachable at ${url}: ${(err as Error).message}` };
  }
}
