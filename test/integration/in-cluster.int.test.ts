// The console as it runs in a pod of the chart: no KUBECONFIG, no ~/.kube/config, only the
// chart's ServiceAccount token, CA and namespace at /var/run/secrets/kubernetes.io/serviceaccount
// and KUBERNETES_SERVICE_HOST/PORT. The files are put there in a private mount namespace
// (unshare), so client-node's own default loading picks the in-cluster branch exactly as in a
// pod, and nothing on this machine sees them. The RBAC objects are the chart's, rendered by helm.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import { defaultWeights, deploymentNames, getDR, getVS, kube, seedReviews, tryDeployment, type Kube } from "./helpers/bookinfo";
import { containerEnv, findDoc, kubectl, render, type K8sDoc } from "./helpers/chart";
import { settled } from "./helpers/api";

const root = path.resolve(__dirname, "../..");
const port = Number(process.env.GC_TEST_IN_CLUSTER_PORT ?? 3194);
const base = `http://127.0.0.1:${port}`;
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);

let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;
let rbac: K8sDoc[];
let deployment: K8sDoc;
const containerEnvOf = (name: string): string => containerEnv(deployment)[name]!;
let serviceAccount: string;
let dir: string;
let server: ChildProcess | undefined;
let log = "";
const extraNamespaces: TestNamespace[] = [];

async function call(method: string, p: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(base + p, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, json, text };
}

/** Actions run through the background reconciler: done once the task has no operation in flight. */
const settle = (id: string) => settled(id, { baseUrl: base, timeoutMs: 90_000 });

async function create(body: Record<string, unknown>): Promise<any> {
  const res = await call("POST", "/api/tasks", body);
  expect(res.status, res.text).toBe(201);
  return settle(res.json.task.id);
}

async function act(id: string, body: Record<string, unknown>): Promise<any> {
  const res = await call("POST", `/api/tasks/${id}/actions`, body);
  expect(res.status, res.text).toBe(200);
  return settle(id);
}

const canary = (namespace: string) => ({
  name: "reviews-canary", namespace, service: "reviews", strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 }, traffic: { weights: { v1: 90, v2: 10 } },
});

/** The chart's ServiceAccount and RBAC, applied for real; the console runs with nothing else. */
function installChartRbac(release: string): { docs: K8sDoc[]; deployment: K8sDoc } {
  // auth.mode=none: sign-in is not under test here, the ServiceAccount's rights are.
  const { docs } = render(release, ns.name, { "auth.mode": "none" });
  const objects = docs.filter((d) => RBAC_KINDS.has(d.kind));
  const res = kubectl(["apply", "-f", "-"], objects.map((d) => JSON.stringify(d)).join("\n"));
  expect(res.status, res.stderr).toBe(0);
  return { docs: objects, deployment: findDoc(docs, "Deployment") };
}

async function serviceAccountFiles(target: string): Promise<void> {
  const tr = await k.core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace: ns.name,
    body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = kc.getCurrentCluster()!;
  const ca = cluster.caData ? Buffer.from(cluster.caData, "base64") : readFileSync(cluster.caFile!);
  mkdirSync(target);
  writeFileSync(path.join(target, "token"), tr.status!.token);
  writeFileSync(path.join(target, "ca.crt"), ca);
  writeFileSync(path.join(target, "namespace"), ns.name);
}

/** The Deployment's own env (leader Lease, GC_AUTH, timeouts...), with this machine's database and Prometheus. */
function consoleEnv(deployment: K8sDoc, home: string): NodeJS.ProcessEnv {
  const server = new URL(kc.getCurrentCluster()!.server);
  const chartEnv = Object.fromEntries(Object.entries(containerEnv(deployment)).filter(([name, v]) => !v.startsWith("secret:") && name !== "HOSTNAME" && name !== "PORT"));
  return {
    ...chartEnv,
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    KUBERNETES_SERVICE_HOST: server.hostname,
    KUBERNETES_SERVICE_PORT: server.port,
    DATABASE_URL: `file:${path.join(dir, "console.db")}`,
    PROMETHEUS_URL: process.env.PROMETHEUS_URL ?? "http://127.0.0.1:9090",
  };
}

function startInCluster(saDir: string, env: NodeJS.ProcessEnv): ChildProcess {
  // Root gets a private mount namespace; anyone else a user namespace mapping them to root in it.
  const unshare = process.getuid?.() === 0 ? ["--mount"] : ["--map-root-user", "--mount"];
  const script = 'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount && cp "$0"/token "$0"/ca.crt "$0"/namespace /run/secrets/kubernetes.io/serviceaccount/ && exec "$@"';
  const next = path.join(root, "node_modules/.bin/next");
  const child = spawn("unshare", [...unshare, "sh", "-c", script, saDir, next, "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (b) => (log += b));
  child.stderr!.on("data", (b) => (log += b));
  return child;
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "incluster");
  const release = `gc-${randomBytes(3).toString("hex")}`;
  const chart = installChartRbac(release);
  rbac = chart.docs;
  deployment = chart.deployment;
  serviceAccount = findDoc(rbac, "ServiceAccount").metadata.name;
  dir = mkdtempSync(path.join(tmpdir(), "gc-in-cluster-"));
  mkdirSync(path.join(dir, "home"));
  await serviceAccountFiles(path.join(dir, "serviceaccount"));
  await seedReviews(k, ns.name);
  server = startInCluster(path.join(dir, "serviceaccount"), consoleEnv(chart.deployment, path.join(dir, "home")));
  try {
    await waitFor(async () => (await fetch(`${base}/api/health`)).ok, { timeoutMs: 60_000, description: `in-cluster console on :${port}` });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nconsole output:\n${log}`);
  }
});

afterAll(async () => {
  server?.kill("SIGTERM");
  for (const d of rbac ?? []) if (!d.metadata.namespace) kubectl(["delete", d.kind.toLowerCase(), d.metadata.name, "--ignore-not-found"]);
  await Promise.all([ns, ...extraNamespaces].map((n) => n?.delete().catch(() => undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the console in-cluster, with only the chart's ServiceAccount", () => {
  it("reads namespaces, nodes and services with the token", async () => {
    const namespaces = await call("GET", "/api/namespaces");
    expect(namespaces.status, namespaces.text).toBe(200);
    expect(namespaces.json.namespaces.map((n: any) => n.name)).toContain(ns.name);
    const cluster = await call("GET", "/api/cluster");
    expect(cluster.status, cluster.text).toBe(200);
    expect(cluster.json.nodes.length).toBeGreaterThan(0);
    const services = await call("GET", `/api/namespaces/${ns.name}/services`);
    expect(services.status, services.text).toBe(200);
    expect(services.json.services.find((s: any) => s.name === "reviews").routing.defaultRoute.weights).toEqual({ v1: 100 });
  });

  it("holds the reconciler's Lease in the release namespace with the chart's Role", async () => {
    const name = containerEnvOf("GC_LEADER_LEASE");
    expect(containerEnvOf("GC_LEADER_NAMESPACE")).toBe(ns.name);
    const holder = await waitFor(async () => {
      const res = kubectl(["-n", ns.name, "get", "lease", name, "-o", "jsonpath={.spec.holderIdentity}"]);
      return res.status === 0 && res.stdout.trim() !== "" ? res.stdout.trim() : null;
    }, { timeoutMs: 30_000, description: `Lease ${ns.name}/${name} held` });
    expect(holder.length).toBeGreaterThan(0);
  });

  it("creates a canary, shifts traffic, takes over and retires the old version", async () => {
    const task = await create(canary(ns.name));
    expect(task.state).toBe("progressing");
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 90, v2: 10 });
    await waitFor(async () => ((await tryDeployment(k, ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, { description: "reviews-v2 Ready" });

    await act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 50, v2: 50 });
    await act(task.id, { action: "takeover" });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 0, v2: 100 });
    const done = await act(task.id, { action: "retireOld" });
    expect(done.state).toBe("completed");
    expect((await getDR(k, ns.name)).spec.subsets.map((s: any) => s.name)).toEqual(["v2", "v3"]);
    await waitFor(async () => (await tryDeployment(k, ns.name, "reviews-v1")) === null, { description: "reviews-v1 deleted" });
    expect(await deploymentNames(k, ns.name)).toEqual(["reviews-v2"]);

    const events = (await call("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.result])).toEqual([["create", "ok"], ["setTraffic", "ok"], ["takeover", "ok"], ["retireOld", "ok"]]);
  });

  it("aborts a canary in another namespace: routing restored, the new version removed", async () => {
    const other = await createTestNamespace(kc, "incluster");
    extraNamespaces.push(other);
    await seedReviews(k, other.name);
    const original = await getVS(k, other.name);
    const task = await create(canary(other.name));
    await act(task.id, { action: "setTraffic", weights: { v1: 70, v2: 30 } });
    const res = await call("DELETE", `/api/tasks/${task.id}`);
    expect(res.status, res.text).toBe(200);
    expect((await settle(task.id)).state).toBe("aborted");
    expect((await getVS(k, other.name)).spec).toEqual(original.spec);
    await waitFor(async () => (await tryDeployment(k, other.name, "reviews-v2")) === null, { description: "reviews-v2 deleted" });
  });
});

describe("nothing broader is granted", () => {
  /** kubectl auth can-i as the ServiceAccount: the API server's own authorizer answers. */
  function canI(verb: string, resource: string, namespace?: string): string {
    const args = ["auth", "can-i", verb, resource, `--as=system:serviceaccount:${ns.name}:${serviceAccount}`, ...(namespace ? ["-n", namespace] : ["--all-namespaces"])];
    const res = kubectl(args);
    if (res.status > 1) throw new Error(`kubectl ${args.join(" ")}: ${res.stderr}`);
    return res.stdout.trim();
  }

  it.each([
    ["list", "deployments.apps"],
    ["patch", "deployments.apps"],
    ["update", "virtualservices.networking.istio.io"],
    ["delete", "destinationrules.networking.istio.io"],
    ["list", "pods"],
    ["list", "nodes"],
    ["create", "tokenreviews.authentication.k8s.io"],
  ])("may %s %s (what the console calls)", (verb, resource) => {
    expect(canI(verb, resource)).toBe("yes");
  });

  it.each([
    ["get", "secrets"],
    ["list", "secrets"],
    ["get", "configmaps"],
    ["create", "pods"],
    ["delete", "pods"],
    ["create", "pods/exec"],
    ["delete", "namespaces"],
    ["create", "namespaces"],
    ["patch", "nodes"],
    ["create", "serviceaccounts/token"],
    ["create", "services"],
    ["delete", "services"],
    ["create", "clusterroles.rbac.authorization.k8s.io"],
    ["create", "rolebindings.rbac.authorization.k8s.io"],
    ["escalate", "clusterroles.rbac.authorization.k8s.io"],
    ["impersonate", "users"],
    ["impersonate", "groups"],
    ["impersonate", "serviceaccounts"],
    ["watch", "deployments.apps"],
    ["deletecollection", "deployments.apps"],
    ["list", "leases.coordination.k8s.io"],
    ["get", "customresourcedefinitions.apiextensions.k8s.io"],
  ])("may not %s %s", (verb, resource) => {
    expect(canI(verb, resource)).toBe("no");
  });

  it("may get/update only its own Lease, in the release namespace only", () => {
    expect(canI("create", "leases.coordination.k8s.io", ns.name)).toBe("yes");
    expect(canI("update", "leases.coordination.k8s.io/gray-console-reconciler", ns.name)).toBe("yes");
    expect(canI("update", "leases.coordination.k8s.io/kube-scheduler", ns.name)).toBe("no");
    expect(canI("update", "leases.coordination.k8s.io/gray-console-reconciler", "kube-system")).toBe("no");
    expect(canI("create", "leases.coordination.k8s.io", "kube-system")).toBe("no");
  });

  // Last: it takes the console's rights away.
  it("was the ServiceAccount all along: without the ClusterRoleBinding the console's reads are refused in its name", async () => {
    const binding = findDoc(rbac, "ClusterRoleBinding").metadata.name;
    expect(kubectl(["delete", "clusterrolebinding", binding]).status).toBe(0);
    const refused = await waitFor(async () => {
      const res = await call("GET", "/api/namespaces");
      return res.status !== 200 ? res : null;
    }, { timeoutMs: 15_000, description: "GET /api/namespaces refused" });
    expect(refused.json.error.message).toContain(`User "system:serviceaccount:${ns.name}:${serviceAccount}" cannot list resource "namespaces"`);
  });
});
