// The console as it runs in a pod of the chart: no KUBECONFIG, no ~/.kube/config, only the
// chart's ServiceAccount token, CA and namespace at /var/run/secrets/kubernetes.io/serviceaccount
// and KUBERNETES_SERVICE_HOST/PORT. The files are put there in a private mount namespace
// (unshare), so client-node's own default loading picks the in-cluster branch exactly as in a
// pod, and nothing on this machine sees them. The RBAC objects, the Deployment's environment and
// the session secret are the chart's, rendered by helm, one installation per auth mode:
//   none:  the console does everything as its ServiceAccount: every action must work with it;
//   token: users sign in with their own tokens; the ServiceAccount reviews tokens and writes
//          the journal's steps, the users' RBAC decides (edit may, view may not);
//   proxy: the ServiceAccount impersonates the proxy's user and groups (prefixed), which only
//          this mode's ClusterRole allows.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "./helpers/cluster";
import {
  defaultWeights,
  deploymentNames,
  getDR,
  getVS,
  kube,
  seedReviews,
  tryDeployment,
  type Kube,
} from "./helpers/bookinfo";
import { containerEnv, findDoc, kubectl, render, type K8sDoc, type Values } from "./helpers/chart";
import { settled } from "./helpers/api";
import { bearer, createServiceAccountUser, type TestUser } from "./helpers/users";

const root = path.resolve(__dirname, "../..");
const basePort = Number(process.env.GC_TEST_IN_CLUSTER_PORT ?? 3194);
const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
type Mode = "none" | "token" | "proxy";

let kc: k8s.KubeConfig;
let k: Kube;
/** The release namespace: the consoles' ServiceAccounts and Leases live here. */
let ns: TestNamespace;
const extraNamespaces: TestNamespace[] = [];

interface Reply {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

/** One helm release of the chart, its RBAC applied, its console running in-cluster. */
class Installation {
  readonly release = `gc-${randomBytes(3).toString("hex")}`;
  readonly base: string;
  rbac: K8sDoc[] = [];
  deployment!: K8sDoc;
  sessionSecret: string | null = null;
  serviceAccount = "";
  dir = "";
  server: ChildProcess | undefined;
  log = "";

  constructor(
    readonly mode: Mode,
    readonly port: number,
    private readonly values: Values = {},
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  get user(): string {
    return `system:serviceaccount:${ns.name}:${this.serviceAccount}`;
  }

  env(name: string): string {
    return containerEnv(this.deployment)[name]!;
  }

  /** The chart's ServiceAccount and RBAC, applied for real; the console runs with nothing else. */
  install(): void {
    const { docs } = render(this.release, ns.name, { "auth.mode": this.mode, ...this.values });
    this.rbac = docs.filter((d) => RBAC_KINDS.has(d.kind));
    const res = kubectl(["apply", "-f", "-"], this.rbac.map((d) => JSON.stringify(d)).join("\n"));
    expect(res.status, res.stderr).toBe(0);
    this.deployment = findDoc(docs, "Deployment");
    this.serviceAccount = findDoc(this.rbac, "ServiceAccount").metadata.name;
    // The chart's own Secret holds the session secret (generated: helm template has no cluster to keep one from).
    const secret = docs.find((d) => d.kind === "Secret");
    this.sessionSecret = secret ? Buffer.from(secret.data["session-secret"], "base64").toString() : null;
  }

  async start(): Promise<void> {
    // A console already on the port would answer the health check in this one's place.
    if (
      await fetch(`${this.base}/api/health`).then(
        () => true,
        () => false,
      )
    )
      throw new Error(
        `port ${this.port} is already serving: set GC_TEST_IN_CLUSTER_PORT (this file uses it and the next two)`,
      );
    this.dir = mkdtempSync(path.join(tmpdir(), `gc-in-cluster-${this.mode}-`));
    mkdirSync(path.join(this.dir, "home"));
    await this.serviceAccountFiles(path.join(this.dir, "serviceaccount"));
    this.server = this.spawn(path.join(this.dir, "serviceaccount"), this.consoleEnv());
    try {
      await waitFor(async () => (await fetch(`${this.base}/api/health`)).ok, {
        timeoutMs: 60_000,
        description: `in-cluster console (${this.mode}) on :${this.port}`,
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\nconsole output:\n${this.log}`);
    }
  }

  private async serviceAccountFiles(target: string): Promise<void> {
    const tr = await k.core.createNamespacedServiceAccountToken({
      name: this.serviceAccount,
      namespace: ns.name,
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { audiences: [], expirationSeconds: 3600 },
      },
    });
    const cluster = kc.getCurrentCluster()!;
    const ca = cluster.caData ? Buffer.from(cluster.caData, "base64") : readFileSync(cluster.caFile!);
    mkdirSync(target);
    writeFileSync(path.join(target, "token"), tr.status!.token);
    writeFileSync(path.join(target, "ca.crt"), ca);
    writeFileSync(path.join(target, "namespace"), ns.name);
  }

  /** The Deployment's own env (GC_AUTH and its settings, leader Lease, timeouts...), the chart's session secret, this machine's database and Prometheus. */
  private consoleEnv(): NodeJS.ProcessEnv {
    const server = new URL(kc.getCurrentCluster()!.server);
    const chartEnv = Object.fromEntries(
      Object.entries(containerEnv(this.deployment)).filter(
        ([name, v]) => !v.startsWith("secret:") && name !== "HOSTNAME" && name !== "PORT",
      ),
    );
    return {
      ...chartEnv,
      ...(this.sessionSecret ? { GC_SESSION_SECRET: this.sessionSecret } : {}),
      NODE_ENV: "production",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: path.join(this.dir, "home"),
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      DATABASE_URL: `file:${path.join(this.dir, "console.db")}`,
      PROMETHEUS_URL: process.env.PROMETHEUS_URL ?? "http://127.0.0.1:9090",
    };
  }

  private spawn(saDir: string, env: NodeJS.ProcessEnv): ChildProcess {
    // Root gets a private mount namespace; anyone else a user namespace mapping them to root in it.
    const unshare = process.getuid?.() === 0 ? ["--mount"] : ["--map-root-user", "--mount"];
    const script =
      'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/secrets/kubernetes.io/serviceaccount && cp "$0"/token "$0"/ca.crt "$0"/namespace /run/secrets/kubernetes.io/serviceaccount/ && exec "$@"';
    const next = path.join(root, "node_modules/.bin/next");
    const child = spawn(
      "unshare",
      [...unshare, "sh", "-c", script, saDir, next, "start", "-H", "127.0.0.1", "-p", String(this.port)],
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout!.on("data", (b) => (this.log += b));
    child.stderr!.on("data", (b) => (this.log += b));
    return child;
  }

  async call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(this.base + p, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  /** Actions run through the background reconciler: done once the task has no operation in flight. */
  settle(id: string, headers?: Record<string, string>): Promise<any> {
    return settled(id, { baseUrl: this.base, timeoutMs: 90_000, headers });
  }

  async create(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
    const res = await this.call("POST", "/api/tasks", body, headers);
    expect(res.status, res.text).toBe(201);
    return this.settle(res.json.task.id, readHeaders(headers));
  }

  async act(id: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
    const res = await this.call("POST", `/api/tasks/${id}/actions`, body, headers);
    expect(res.status, res.text).toBe(200);
    return this.settle(id, readHeaders(headers));
  }

  async stop(): Promise<void> {
    this.server?.kill("SIGTERM");
    for (const d of this.rbac)
      if (!d.metadata.namespace) kubectl(["delete", d.kind.toLowerCase(), d.metadata.name, "--ignore-not-found"]);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A write's headers minus the CSRF token: what a read needs. */
function readHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "x-csrf-token"));
}

const canary = (namespace: string) => ({
  name: "reviews-canary",
  namespace,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  rollout: { drainSeconds: 0 },
});

/** kubectl auth can-i as a ServiceAccount (impersonating it): the API server's own authorizer answers. */
function canI(user: string, verb: string, resource: string, namespace?: string): string {
  const args = [
    "auth",
    "can-i",
    verb,
    resource,
    `--as=${user}`,
    ...(namespace ? ["-n", namespace] : ["--all-namespaces"]),
  ];
  const res = kubectl(args);
  if (res.status > 1) throw new Error(`kubectl ${args.join(" ")}: ${res.stderr}`);
  return res.stdout.trim();
}

/**
 * The same question as a SubjectAccessReview (what kubectl auth can-i asks, without a process per
 * question): a ServiceAccount's user name and the groups the API server gives it. `what` is
 * "<resource>[.<group>][/<name or subresource>]".
 */
async function allowed(user: string, verb: string, what: string, namespace?: string): Promise<"yes" | "no"> {
  const [type, rest] = what.split("/") as [string, string | undefined];
  const dot = type.indexOf(".");
  const [resource, group] = dot < 0 ? [type, ""] : [type.slice(0, dot), type.slice(dot + 1)];
  const sub = rest !== undefined && ["exec", "token", "log"].includes(rest);
  const saNamespace = user.split(":")[2]!;
  const review = await kc.makeApiClient(k8s.AuthorizationV1Api).createSubjectAccessReview({
    body: {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user,
        groups: ["system:serviceaccounts", `system:serviceaccounts:${saNamespace}`, "system:authenticated"],
        resourceAttributes: {
          verb,
          group,
          resource,
          ...(sub ? { subresource: rest } : rest ? { name: rest } : {}),
          ...(namespace ? { namespace } : {}),
        },
      },
    },
  });
  return review.status?.allowed ? "yes" : "no";
}

/** The answer for each installation's ServiceAccount: { none: "yes", token: "no", ... }. */
async function canEach(verb: string, what: string): Promise<Record<Mode, string>> {
  const answers = await Promise.all(installations.map((i) => allowed(i.user, verb, what)));
  return Object.fromEntries(installations.map((i, n) => [i.mode, answers[n]])) as Record<Mode, string>;
}

// auth.mode=none keeps the chart's default Lease name (checked below); the others get their own,
// since each console has its own database and must lead on its own.
const none = new Installation("none", basePort, { "rbac.aggregateIstioToUserRoles": false });
const token = new Installation("token", basePort + 1, {
  "leader.leaseName": "gc-it-token",
  "rbac.aggregateIstioToUserRoles": true,
});
const proxy = new Installation("proxy", basePort + 2, {
  "leader.leaseName": "gc-it-proxy",
  "rbac.aggregateIstioToUserRoles": false,
  "auth.proxy.trustedProxies[0]": "127.0.0.1/32",
});
const installations = [none, token, proxy];

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "incluster");
  for (const i of installations) i.install();
  await seedReviews(k, ns.name);
  // The three consoles start side by side (each takes a few seconds to serve).
  await Promise.all(installations.map((i) => i.start()));
});

afterAll(async () => {
  await Promise.all(installations.map((i) => i.stop()));
  await Promise.all([ns, ...extraNamespaces].map((n) => n?.delete().catch(() => undefined)));
});

describe("GC_AUTH=none: the console in-cluster, with only the chart's ServiceAccount", () => {
  it("reads namespaces, nodes and services with the token", async () => {
    const namespaces = await none.call("GET", "/api/namespaces");
    expect(namespaces.status, namespaces.text).toBe(200);
    expect(namespaces.json.namespaces.map((n: any) => n.name)).toContain(ns.name);
    const cluster = await none.call("GET", "/api/cluster");
    expect(cluster.status, cluster.text).toBe(200);
    expect(cluster.json.nodes.length).toBeGreaterThan(0);
    const services = await none.call("GET", `/api/namespaces/${ns.name}/services`);
    expect(services.status, services.text).toBe(200);
    expect(services.json.services.find((s: any) => s.name === "reviews").routing.defaultRoute.weights).toEqual({
      v1: 100,
    });
  });

  it("holds the reconciler's Lease in the release namespace with the chart's Role", async () => {
    const name = none.env("GC_LEADER_LEASE");
    expect(name).toBe("gray-console-reconciler");
    expect(none.env("GC_LEADER_NAMESPACE")).toBe(ns.name);
    const holder = await waitFor(
      async () => {
        const res = kubectl(["-n", ns.name, "get", "lease", name, "-o", "jsonpath={.spec.holderIdentity}"]);
        return res.status === 0 && res.stdout.trim() !== "" ? res.stdout.trim() : null;
      },
      { timeoutMs: 30_000, description: `Lease ${ns.name}/${name} held` },
    );
    expect(holder.length).toBeGreaterThan(0);
  });

  it("creates a canary, shifts traffic, takes over and retires the old version", async () => {
    const task = await none.create(canary(ns.name));
    expect(task.state).toBe("progressing");
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 90, v2: 10 });
    await waitFor(async () => ((await tryDeployment(k, ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
      description: "reviews-v2 Ready",
    });

    await none.act(task.id, { action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 50, v2: 50 });
    await none.act(task.id, { action: "takeover" });
    expect(defaultWeights(await getVS(k, ns.name))).toEqual({ v1: 0, v2: 100 });
    const done = await none.act(task.id, { action: "retireOld" });
    expect(done.state).toBe("completed");
    expect((await getDR(k, ns.name)).spec.subsets.map((s: any) => s.name)).toEqual(["v2", "v3"]);
    await waitFor(async () => (await tryDeployment(k, ns.name, "reviews-v1")) === null, {
      description: "reviews-v1 deleted",
    });
    expect(await deploymentNames(k, ns.name)).toEqual(["reviews-v2"]);

    const events = (await none.call("GET", `/api/tasks/${task.id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.result])).toEqual([
      ["create", "ok"],
      ["setTraffic", "ok"],
      ["takeover", "ok"],
      ["retireOld", "ok"],
    ]);
  });

  it("aborts a canary in another namespace: routing restored, the new version removed", async () => {
    const other = await createTestNamespace(kc, "incluster");
    extraNamespaces.push(other);
    await seedReviews(k, other.name);
    const original = await getVS(k, other.name);
    const task = await none.create(canary(other.name));
    await none.act(task.id, { action: "setTraffic", weights: { v1: 70, v2: 30 } });
    const res = await none.call("DELETE", `/api/tasks/${task.id}`);
    expect(res.status, res.text).toBe(200);
    expect((await none.settle(task.id)).state).toBe("aborted");
    expect((await getVS(k, other.name)).spec).toEqual(original.spec);
    await waitFor(async () => (await tryDeployment(k, other.name, "reviews-v2")) === null, {
      description: "reviews-v2 deleted",
    });
  });
});

describe("GC_AUTH=token in-cluster: users sign in with their own tokens, the chart's ServiceAccount writes", () => {
  let team: TestNamespace;
  let editor: TestUser;
  let viewer: TestUser;
  let taskId = "";

  beforeAll(async () => {
    team = await createTestNamespace(kc, "team");
    extraNamespaces.push(team);
    await seedReviews(k, team.name);
    [editor, viewer] = await Promise.all([
      createServiceAccountUser(kc, team.name, "editor", "edit"),
      createServiceAccountUser(kc, team.name, "viewer", "view"),
    ]);
  });

  it("signs the editor in with its token: a session cookie, and the CSRF token from /api/auth/session", async () => {
    const login = await token.call("POST", "/api/auth/login", { token: editor.token });
    expect(login.status, login.text).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith("gc_session="))!
      .split(";")[0]!;
    const session = await token.call("GET", "/api/auth/session", undefined, { cookie });
    expect(session.json).toMatchObject({ mode: "token", user: { name: editor.name, via: "session" } });
    expect(session.json.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const headers = { cookie, "x-csrf-token": session.json.csrfToken as string };

    // The editor cannot list namespaces: the console lists them (its ClusterRole) and keeps those the editor may read.
    const namespaces = await token.call("GET", "/api/namespaces", undefined, { cookie });
    expect(namespaces.status, namespaces.text).toBe(200);
    const visible = namespaces.json.namespaces.map((n: any) => n.name);
    expect(visible).toContain(team.name);
    for (const hidden of [ns.name, "kube-system", "default"]) expect(visible).not.toContain(hidden);
    // Nodes are the user's read in this mode, and the chart gives the console none to lend.
    const cluster = await token.call("GET", "/api/cluster", undefined, { cookie });
    expect(cluster.status, cluster.text).toBe(200);
    expect(cluster.json).toMatchObject({ nodes: [], nodesHidden: true });

    const task = await token.create(canary(team.name), headers);
    expect(task.state).toBe("progressing");
    taskId = task.id;
    expect(defaultWeights(await getVS(k, team.name))).toEqual({ v1: 90, v2: 10 });
    const shifted = await token.act(taskId, { action: "setTraffic", weights: { v1: 70, v2: 30 } }, headers);
    expect(shifted.weights).toEqual({ v1: 70, v2: 30 });
    expect(defaultWeights(await getVS(k, team.name))).toEqual({ v1: 70, v2: 30 });
    const events = (await token.call("GET", `/api/tasks/${taskId}/events`, undefined, { cookie })).json.events;
    expect(events.map((e: any) => [e.action, e.actor, e.result])).toEqual([
      ["create", editor.name, "ok"],
      ["setTraffic", editor.name, "ok"],
    ]);
  });

  it("refuses the viewer's setTraffic with 403 forbidden (Authorization: Bearer); the VirtualService is unchanged", async () => {
    const vsBefore = await getVS(k, team.name);
    const read = await token.call("GET", `/api/tasks/${taskId}`, undefined, bearer(viewer.token));
    expect(read.status, read.text).toBe(200);
    const res = await token.call(
      "POST",
      `/api/tasks/${taskId}/actions`,
      { action: "setTraffic", weights: { v1: 10, v2: 90 } },
      bearer(viewer.token),
    );
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(res.json.error.message).toContain(
      `User "${viewer.name}" cannot update resource "virtualservices" in API group "networking.istio.io" in the namespace "${team.name}"`,
    );
    const vsAfter = await getVS(k, team.name);
    expect(vsAfter.metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
    expect(defaultWeights(vsAfter)).toEqual({ v1: 70, v2: 30 });
  });

  it("refuses a token the API server does not accept (401), so the TokenReview really is the chart's to make", async () => {
    const res = await token.call("GET", "/api/tasks", undefined, bearer("not-a-token"));
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/TokenReview/);
  });
});

describe("GC_AUTH=proxy in-cluster: the chart's ServiceAccount impersonates the proxy's user and groups", () => {
  let team: TestNamespace;
  let taskId = "";
  const group = "team-p";

  beforeAll(async () => {
    team = await createTestNamespace(kc, "teamp");
    extraNamespaces.push(team);
    await seedReviews(k, team.name);
    // RoleBindings name the prefixed group, as the console presents it (auth.impersonation.groupPrefix).
    expect(proxy.env("GC_AUTH_GROUP_PREFIX")).toBe("oidc:");
    const rb = kubectl([
      "-n",
      team.name,
      "create",
      "rolebinding",
      "team-p-edit",
      "--clusterrole=edit",
      `--group=oidc:${group}`,
    ]);
    expect(rb.status, rb.stderr).toBe(0);
  });

  /** Headers oauth2-proxy would set, plus the CSRF token of that proxied identity. */
  async function proxied(user: string, groups: string): Promise<Record<string, string>> {
    const headers = { "X-Forwarded-User": user, "X-Forwarded-Groups": groups };
    const session = await proxy.call("GET", "/api/auth/session", undefined, headers);
    expect(session.json.user?.name).toBe(`oidc:${user}`);
    return { ...headers, "x-csrf-token": session.json.csrfToken };
  }

  it("alice (group team-p, bound to edit) creates a canary and sets traffic", async () => {
    const headers = await proxied("alice", group);
    const task = await proxy.create(canary(team.name), headers);
    expect(task.state).toBe("progressing");
    taskId = task.id;
    const shifted = await proxy.act(taskId, { action: "setTraffic", weights: { v1: 60, v2: 40 } }, headers);
    expect(shifted.weights).toEqual({ v1: 60, v2: 40 });
    expect(defaultWeights(await getVS(k, team.name))).toEqual({ v1: 60, v2: 40 });
    const events = (await proxy.call("GET", `/api/tasks/${taskId}/events`, undefined, readHeaders(headers))).json
      .events;
    expect(events.map((e: any) => [e.action, e.actor, e.actorGroups])).toEqual([
      ["create", "oidc:alice", [`oidc:${group}`]],
      ["setTraffic", "oidc:alice", [`oidc:${group}`]],
    ]);
  });

  it("mallory claiming the group system:masters is impersonated as oidc:system:masters and refused (403); the VirtualService is unchanged", async () => {
    const vsBefore = await getVS(k, team.name);
    const headers = await proxied("mallory", "system:masters");
    const res = await proxy.call(
      "POST",
      `/api/tasks/${taskId}/actions`,
      { action: "setTraffic", weights: { v1: 0, v2: 100 } },
      headers,
    );
    expect(res.status, res.text).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(res.json.error.message).toContain('User "oidc:mallory" cannot');
    expect((await getVS(k, team.name)).metadata.resourceVersion).toBe(vsBefore.metadata.resourceVersion);
  });
});

describe("nothing broader is granted (the API server's authorizer asked about each release's ServiceAccount)", () => {
  it.each([
    ["list", "deployments.apps"],
    ["patch", "deployments.apps"],
    ["update", "virtualservices.networking.istio.io"],
    ["delete", "destinationrules.networking.istio.io"],
    ["get", "services"],
    ["list", "services"],
    ["create", "services"],
    ["delete", "services"],
    ["update", "httproutes.gateway.networking.k8s.io"],
    ["list", "pods"],
    ["list", "namespaces"],
  ])("every mode's ServiceAccount may %s %s (what the reconciler and auto-advance call)", async (verb, resource) => {
    expect(await canEach(verb, resource)).toEqual({ none: "yes", token: "yes", proxy: "yes" });
  });

  it.each([
    ["list", "nodes", ["none"]],
    ["create", "tokenreviews.authentication.k8s.io", ["token", "proxy"]],
    ["impersonate", "users", ["proxy"]],
    ["impersonate", "groups", ["proxy"]],
  ] as [string, string, Mode[]][])("%s %s depends on the mode: granted to %j only", async (verb, resource, modes) => {
    expect(await canEach(verb, resource)).toEqual(
      Object.fromEntries(installations.map((i) => [i.mode, modes.includes(i.mode) ? "yes" : "no"])),
    );
  });

  it("kubectl auth can-i impersonate users/groups --as=<the ServiceAccount>: yes for the proxy release only", () => {
    for (const i of installations)
      for (const resource of ["users", "groups", "serviceaccounts"])
        expect(canI(i.user, "impersonate", resource), `${i.mode} impersonate ${resource}`).toBe(
          i.mode === "proxy" && resource !== "serviceaccounts" ? "yes" : "no",
        );
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
    ["update", "services"],
    ["create", "clusterroles.rbac.authorization.k8s.io"],
    ["create", "rolebindings.rbac.authorization.k8s.io"],
    ["escalate", "clusterroles.rbac.authorization.k8s.io"],
    ["impersonate", "serviceaccounts"],
    ["impersonate", "uids.authentication.k8s.io"],
    ["create", "subjectaccessreviews.authorization.k8s.io"],
    ["create", "localsubjectaccessreviews.authorization.k8s.io"],
    ["patch", "httproutes.gateway.networking.k8s.io"],
    ["watch", "deployments.apps"],
    ["deletecollection", "deployments.apps"],
    ["list", "leases.coordination.k8s.io"],
    ["get", "customresourcedefinitions.apiextensions.k8s.io"],
  ])("no mode's ServiceAccount may %s %s", async (verb, resource) => {
    expect(await canEach(verb, resource)).toEqual({ none: "no", token: "no", proxy: "no" });
  });

  it("may get/update only its own Lease, in the release namespace only", async () => {
    const answers = await Promise.all([
      allowed(none.user, "create", "leases.coordination.k8s.io", ns.name),
      allowed(none.user, "update", "leases.coordination.k8s.io/gray-console-reconciler", ns.name),
      allowed(token.user, "update", "leases.coordination.k8s.io/gc-it-token", ns.name),
      allowed(none.user, "update", "leases.coordination.k8s.io/gc-it-token", ns.name),
      allowed(none.user, "update", "leases.coordination.k8s.io/kube-scheduler", ns.name),
      allowed(none.user, "update", "leases.coordination.k8s.io/gray-console-reconciler", "kube-system"),
      allowed(none.user, "create", "leases.coordination.k8s.io", "kube-system"),
    ]);
    expect(answers).toEqual(["yes", "yes", "yes", "no", "no", "no", "no"]);
  });

  // Last: it takes the console's rights away.
  it("was the ServiceAccount all along: without the ClusterRoleBinding the console's reads are refused in its name", async () => {
    const binding = findDoc(none.rbac, "ClusterRoleBinding").metadata.name;
    expect(kubectl(["delete", "clusterrolebinding", binding]).status).toBe(0);
    const refused = await waitFor(
      async () => {
        const res = await none.call("GET", "/api/namespaces");
        return res.status !== 200 ? res : null;
      },
      { timeoutMs: 15_000, description: "GET /api/namespaces refused" },
    );
    expect(refused.json.error.message).toContain(`User "${none.user}" cannot list resource "namespaces"`);
  });
});
