// The Helm chart (deploy/helm/gray-console): helm v4 (built from Go modules) lints and renders
// it, and the local API server validates every rendered object with a server-side dry run,
// in a namespace that enforces Pod Security "restricted".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { containerEnv, findDoc, helmLint, helmTemplate, kubectl, render, type Values } from "./helpers/chart";

const OIDC: Values = { "auth.mode": "oidc", "auth.oidc.issuer": "https://id.example.com", "auth.oidc.clientId": "gray-console", "auth.oidc.clientSecret": "s3cret" };
const PROXY: Values = { "auth.mode": "proxy", "auth.proxy.trustedProxies[0]": "10.0.0.0/8", "auth.proxy.trustedProxies[1]": "fd00::/8" };
const POSTGRES: Values = { "database.type": "postgresql", "database.postgresql.url": "postgresql://console:pw@db:5432/console?schema=gc", replicas: 3 };

/** Value sets that must all install: every auth mode, both databases, the optional parts. */
const INSTALLS: [string, Values][] = [
  ["defaults (token sign-in, SQLite on a PVC)", {}],
  ["none, SQLite on an emptyDir, with an Ingress", { "auth.mode": "none", "database.sqlite.persistence.enabled": false, "ingress.enabled": true, "ingress.className": "nginx" }],
  ["oidc on PostgreSQL, three replicas", { ...OIDC, ...POSTGRES }],
  ["proxy with existing Secrets and a leader namespace", { ...PROXY, "auth.session.existingSecret": "gc-session", "database.type": "postgresql", "database.postgresql.existingSecret": "gc-db", "leader.namespace": "kube-system" }],
];

let kc: k8s.KubeConfig;
let ns: TestNamespace;

beforeAll(async () => {
  kc = loadKubeConfig();
  ns = await createTestNamespace(kc, "helm");
  // warn+enforce: the dry run reports (on stderr) every pod-template field the profile forbids.
  const label = kubectl(["label", "namespace", ns.name, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/warn=restricted"]);
  expect(label.status, label.stderr).toBe(0);
});
afterAll(async () => {
  await ns?.delete();
});

describe("helm lint", () => {
  it.each(INSTALLS)("passes --strict with %s", (_, values) => {
    const res = helmLint(values);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("0 chart(s) failed");
  });

  it("fails on an unknown auth mode, naming the key and the allowed modes", () => {
    const res = helmLint({ "auth.mode": "ldap" });
    expect(res.status).not.toBe(0);
    expect(res.stdout + res.stderr).toMatch(/auth\/mode.*'token', 'oidc', 'proxy', 'none'/);
  });
});

describe("helm template refuses combinations that cannot work, saying which keys to change", () => {
  it.each([
    ["two replicas on SQLite", { replicas: 2 }, "replicas > 1 needs database.type=postgresql"],
    ["postgresql without a URL", { "database.type": "postgresql" }, "needs database.postgresql.url or database.postgresql.existingSecret"],
    ["oidc without an issuer", { "auth.mode": "oidc", "auth.oidc.clientId": "x" }, "auth.mode=oidc needs auth.oidc.issuer and auth.oidc.clientId"],
    ["proxy without trusted proxies", { "auth.mode": "proxy" }, "auth.mode=proxy needs auth.proxy.trustedProxies"],
    ["a Prometheus URL that is not http(s)", { "prometheus.url": "prometheus:9090" }, "/prometheus/url"],
  ] as [string, Values, string][])("%s", (_, values, message) => {
    const res = helmTemplate("gc", ns.name, values);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain(message);
  });
});

describe("server-side dry run against the local API server", () => {
  it.each(INSTALLS)("accepts every object of %s, with no Pod Security warning", (_, values) => {
    const { yaml, docs } = render("gc", ns.name, values);
    const res = kubectl(["apply", "--dry-run=server", "-f", "-"], yaml);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/PodSecurity|Warning/);
    // kubectl names each object kind.group/name, e.g. clusterrole.rbac.authorization.k8s.io/gc-gray-console
    const accepted = res.stdout.trim().split("\n").map((line) => line.replace(/^([a-z]+)(\.[a-z0-9.]+)?\//, "$1/"));
    expect(accepted.sort()).toEqual(docs.map((d) => `${d.kind.toLowerCase()}/${d.metadata.name} created (server dry run)`).sort());
  });

  it("reports a Pod Security violation when the security context is loosened (the check above can fail)", () => {
    const { yaml } = render("gc", ns.name, { "securityContext.allowPrivilegeEscalation": true });
    const res = kubectl(["apply", "--dry-run=server", "-f", "-"], yaml);
    expect(res.stderr).toContain('would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
  });
});

describe("the rendered Deployment", () => {
  it("probes /api/health, runs non-root on a read-only root filesystem with writable emptyDirs for /tmp and Next's cache", () => {
    const { docs } = render("gc", ns.name);
    const pod = findDoc(docs, "Deployment").spec.template.spec;
    const c = pod.containers[0];
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(c[probe].httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    const mounts = Object.fromEntries(c.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts).toEqual({ "/app/.next/cache": "next-cache", "/tmp": "tmp", "/data": "data" });
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(volumes["next-cache"].emptyDir).toEqual({});
    expect(volumes.tmp.emptyDir).toEqual({});
    expect(pod.serviceAccountName).toBe("gc-gray-console");
  });

  it("keeps SQLite on a PVC with one replica and Recreate; PostgreSQL takes the URL from a Secret and scales", () => {
    const sqlite = render("gc", ns.name).docs;
    const dep = findDoc(sqlite, "Deployment");
    expect(dep.spec.replicas).toBe(1);
    expect(dep.spec.strategy).toEqual({ type: "Recreate" });
    expect(containerEnv(dep).DATABASE_URL).toBe("file:/data/console.db");
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === "data").persistentVolumeClaim).toEqual({ claimName: "gc-gray-console-data" });
    expect(findDoc(sqlite, "PersistentVolumeClaim", "gc-gray-console-data").spec.resources.requests.storage).toBe("1Gi");

    const pg = render("gc", ns.name, POSTGRES).docs;
    const pgDep = findDoc(pg, "Deployment");
    expect(pgDep.spec.replicas).toBe(3);
    expect(pgDep.spec.strategy).toBeUndefined();
    expect(containerEnv(pgDep).DATABASE_URL).toBe("secret:gc-gray-console/database-url");
    expect(Buffer.from(findDoc(pg, "Secret").data["database-url"], "base64").toString()).toBe(POSTGRES["database.postgresql.url"]);
    expect(pg.some((d) => d.kind === "PersistentVolumeClaim")).toBe(false);
    expect(pgDep.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(["next-cache", "tmp"]);
  });

  it("sets Prometheus, the leader Lease (default name, release namespace) and only the current auth mode's settings", () => {
    const env = containerEnv(findDoc(render("gc", ns.name, { "prometheus.url": "http://prom.monitoring:9090" }).docs, "Deployment"));
    expect(env).toMatchObject({
      PROMETHEUS_URL: "http://prom.monitoring:9090",
      GC_LEADER_LEASE: "gray-console-reconciler",
      GC_LEADER_NAMESPACE: ns.name,
      GC_AUTH: "token",
      GC_SESSION_SECRET: "secret:gc-gray-console/session-secret",
      HOSTNAME: "0.0.0.0",
    });
    expect(Object.keys(env).filter((k) => /OIDC|PROXY|IMPERSONATE|TRUSTED/.test(k))).toEqual([]);

    const oidc = containerEnv(findDoc(render("gc", ns.name, OIDC).docs, "Deployment"));
    expect(oidc).toMatchObject({ GC_AUTH: "oidc", GC_OIDC_ISSUER: "https://id.example.com", GC_OIDC_CLIENT_ID: "gray-console", GC_OIDC_CLIENT_SECRET: "secret:gc-gray-console/oidc-client-secret", GC_IMPERSONATE_USER_PREFIX: "oidc:" });
    const proxy = containerEnv(findDoc(render("gc", ns.name, PROXY).docs, "Deployment"));
    expect(proxy).toMatchObject({ GC_AUTH: "proxy", GC_TRUSTED_PROXIES: "10.0.0.0/8,fd00::/8", GC_ACTOR_HEADER: "X-Forwarded-User" });
  });
});

describe("the session Secret", () => {
  it("holds the given value, or a generated one, or is not rendered when an existing Secret is named", () => {
    const given = findDoc(render("gc", ns.name, { "auth.session.secret": "shared-between-replicas" }).docs, "Secret");
    expect(Buffer.from(given.data["session-secret"], "base64").toString()).toBe("shared-between-replicas");
    const generated = Buffer.from(findDoc(render("gc", ns.name).docs, "Secret").data["session-secret"], "base64").toString();
    expect(generated).toMatch(/^[A-Za-z0-9]{48}$/);
    const existing = render("gc", ns.name, { "auth.session.existingSecret": "gc-session", "auth.session.existingSecretKey": "key" }).docs;
    expect(existing.some((d) => d.kind === "Secret")).toBe(false);
    expect(containerEnv(findDoc(existing, "Deployment")).GC_SESSION_SECRET).toBe("secret:gc-session/key");
  });
});

describe("RBAC", () => {
  const impersonate = { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] };

  it.each([
    ["token", {}, false],
    ["none", { "auth.mode": "none" }, false],
    ["oidc", OIDC, true],
    ["proxy", PROXY, true],
  ] as [string, Values, boolean][])("auth.mode=%s grants impersonation: %s", (_, values, granted) => {
    const rules: unknown[] = findDoc(render("gc", ns.name, values).docs, "ClusterRole").rules;
    expect(rules.filter((r: any) => r.verbs.includes("impersonate"))).toEqual(granted ? [impersonate] : []);
  });

  it("grants Lease rights only in the leader namespace, get/update only on the console's own Lease", () => {
    const docs = render("gc", ns.name, { "leader.namespace": "gc-system", "leader.leaseName": "gc-lease" }).docs;
    const role = findDoc(docs, "Role");
    expect(role.metadata.namespace).toBe("gc-system");
    expect(role.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: ["gc-lease"], verbs: ["get", "update"] },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
    ]);
    expect(findDoc(docs, "RoleBinding").subjects).toEqual([{ kind: "ServiceAccount", name: "gc-gray-console", namespace: ns.name }]);
    expect(findDoc(docs, "ClusterRole").rules.some((r: any) => r.apiGroups.includes("coordination.k8s.io"))).toBe(false);
    expect(containerEnv(findDoc(docs, "Deployment"))).toMatchObject({ GC_LEADER_LEASE: "gc-lease", GC_LEADER_NAMESPACE: "gc-system" });
  });

  it("grants no wildcard and nothing on secrets, pods writes or RBAC objects", () => {
    for (const [, values] of [...INSTALLS, ["oidc", OIDC] as [string, Values]]) {
      for (const d of render("gc", ns.name, values).docs.filter((x) => x.kind === "ClusterRole" || x.kind === "Role")) {
        for (const r of d.rules as { apiGroups: string[]; resources: string[]; verbs: string[] }[]) {
          expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain("*");
          expect(r.resources).not.toContain("secrets");
          expect(r.apiGroups).not.toContain("rbac.authorization.k8s.io");
          if (r.resources.includes("pods")) expect(r.verbs).toEqual(["list"]);
        }
      }
    }
  });
});
