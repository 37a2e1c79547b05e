// The Helm chart (deploy/helm/gray-console): helm v4 (built from Go modules) lints and renders
// it, and the local API server validates every rendered object with a server-side dry run,
// in a namespace that enforces Pod Security "restricted".
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import {
  containerEnv,
  findDoc,
  helmLint,
  helmNotes,
  helmTemplate,
  kubectl,
  render,
  type Values,
} from "./helpers/chart";

const root = path.resolve(__dirname, "../..");

const OIDC: Values = {
  "auth.mode": "oidc",
  "auth.oidc.issuer": "https://id.example.com",
  "auth.oidc.clientId": "gray-console",
  "auth.oidc.clientSecret": "s3cret",
  publicUrl: "https://console.example.com",
};
const PROXY: Values = {
  "auth.mode": "proxy",
  "auth.proxy.trustedProxies[0]": "10.0.0.0/8",
  "auth.proxy.trustedProxies[1]": "fd00::/8",
};
const POSTGRES: Values = {
  "database.type": "postgresql",
  "database.postgresql.url": "postgresql://console:pw@db:5432/console?schema=gc",
  replicas: 3,
};

/** Value sets that must all install: every auth mode, both databases, the optional parts. */
const INSTALLS: [string, Values][] = [
  ["defaults (token sign-in, SQLite on a PVC)", {}],
  [
    "none, SQLite on an emptyDir, with an Ingress",
    {
      "auth.mode": "none",
      "database.sqlite.persistence.enabled": false,
      "ingress.enabled": true,
      "ingress.className": "nginx",
    },
  ],
  ["oidc on PostgreSQL, three replicas", { ...OIDC, ...POSTGRES }],
  [
    "proxy with existing Secrets and a leader namespace",
    {
      ...PROXY,
      "auth.session.existingSecret": "gc-session",
      "database.type": "postgresql",
      "database.postgresql.existingSecret": "gc-db",
      "leader.namespace": "kube-system",
    },
  ],
];

let kc: k8s.KubeConfig;
let ns: TestNamespace;

beforeAll(async () => {
  kc = loadKubeConfig();
  ns = await createTestNamespace(kc, "helm");
  // warn+enforce: the dry run reports (on stderr) every pod-template field the profile forbids.
  const label = kubectl([
    "label",
    "namespace",
    ns.name,
    "pod-security.kubernetes.io/enforce=restricted",
    "pod-security.kubernetes.io/warn=restricted",
  ]);
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
    [
      "postgresql without a URL",
      { "database.type": "postgresql" },
      "needs database.postgresql.url or database.postgresql.existingSecret",
    ],
    [
      "oidc without an issuer",
      { "auth.mode": "oidc", "auth.oidc.clientId": "x" },
      "auth.mode=oidc needs auth.oidc.issuer and auth.oidc.clientId",
    ],
    [
      "oidc without a client secret",
      { "auth.mode": "oidc", "auth.oidc.issuer": "https://id.example.com", "auth.oidc.clientId": "x" },
      "auth.mode=oidc needs auth.oidc.clientSecret or auth.oidc.existingSecret",
    ],
    ["proxy without trusted proxies", { "auth.mode": "proxy" }, "auth.mode=proxy needs auth.proxy.trustedProxies"],
    ["a Prometheus URL that is not http(s)", { "prometheus.url": "prometheus:9090" }, "/prometheus/url"],
    [
      "a session secret shorter than the console accepts (32)",
      { "auth.session.secret": "too-short" },
      "/auth/session/secret",
    ],
    [
      "a session lifetime as a duration string (GC_SESSION_SECONDS is seconds)",
      { "auth.session.seconds": "8h" },
      "/auth/session/seconds",
    ],
    ["a value the chart no longer has (auth.session.maxAge)", { "auth.session.maxAge": "8h" }, "maxAge"],
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
    const accepted = res.stdout
      .trim()
      .split("\n")
      .map((line) => line.replace(/^([a-z]+)(\.[a-z0-9.]+)?\//, "$1/"));
    expect(accepted.sort()).toEqual(
      docs.map((d) => `${d.kind.toLowerCase()}/${d.metadata.name} created (server dry run)`).sort(),
    );
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
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"])
      expect(c[probe].httpGet).toEqual({ path: "/api/health", port: "http" });
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
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
    expect(dep.spec.template.spec.volumes.find((v: any) => v.name === "data").persistentVolumeClaim).toEqual({
      claimName: "gc-gray-console-data",
    });
    expect(findDoc(sqlite, "PersistentVolumeClaim", "gc-gray-console-data").spec.resources.requests.storage).toBe(
      "1Gi",
    );

    const pg = render("gc", ns.name, POSTGRES).docs;
    const pgDep = findDoc(pg, "Deployment");
    expect(pgDep.spec.replicas).toBe(3);
    expect(pgDep.spec.strategy).toBeUndefined();
    expect(containerEnv(pgDep).DATABASE_URL).toBe("secret:gc-gray-console/database-url");
    expect(Buffer.from(findDoc(pg, "Secret").data["database-url"], "base64").toString()).toBe(
      POSTGRES["database.postgresql.url"],
    );
    expect(pg.some((d) => d.kind === "PersistentVolumeClaim")).toBe(false);
    expect(pgDep.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(["next-cache", "tmp"]);
  });

  it("sets Prometheus, the leader Lease (default name, release namespace) and exactly the variables lib/env.ts reads for the auth mode", () => {
    const env = containerEnv(
      findDoc(render("gc", ns.name, { "prometheus.url": "http://prom.monitoring:9090" }).docs, "Deployment"),
    );
    expect(env).toEqual({
      HOSTNAME: "0.0.0.0",
      PORT: "3000",
      PROMETHEUS_URL: "http://prom.monitoring:9090",
      GC_K8S_TIMEOUT_MS: "10000",
      DATABASE_URL: "file:/data/console.db",
      GC_LEADER_LEASE: "gray-console-reconciler",
      GC_LEADER_NAMESPACE: ns.name,
      GC_AUTH: "token",
      GC_SESSION_SECRET: "secret:gc-gray-console/session-secret",
      GC_SESSION_SECONDS: "28800",
    });

    const oidc = containerEnv(
      findDoc(
        render("gc", ns.name, { ...OIDC, "auth.session.seconds": 3600, "auth.oidc.usernameClaim": "email" }).docs,
        "Deployment",
      ),
    );
    expect(
      Object.fromEntries(
        Object.entries(oidc).filter(([k]) => /^GC_(AUTH|SESSION|OIDC|PUBLIC|PROXY|TRUSTED|ACTOR)/.test(k)),
      ),
    ).toEqual({
      GC_AUTH: "oidc",
      GC_SESSION_SECRET: "secret:gc-gray-console/session-secret",
      GC_SESSION_SECONDS: "3600",
      GC_PUBLIC_URL: "https://console.example.com",
      GC_OIDC_ISSUER: "https://id.example.com",
      GC_OIDC_CLIENT_ID: "gray-console",
      GC_OIDC_CLIENT_SECRET: "secret:gc-gray-console/oidc-client-secret",
      GC_OIDC_SCOPES: "openid profile email groups",
      GC_OIDC_USERNAME_CLAIM: "email",
      GC_OIDC_GROUPS_CLAIM: "groups",
      GC_AUTH_USER_PREFIX: "oidc:",
      GC_AUTH_GROUP_PREFIX: "oidc:",
    });
    const proxy = containerEnv(
      findDoc(
        render("gc", ns.name, {
          ...PROXY,
          "auth.impersonation.userPrefix": "sso:",
          "auth.impersonation.groupPrefix": "",
        }).docs,
        "Deployment",
      ),
    );
    expect(
      Object.fromEntries(
        Object.entries(proxy).filter(([k]) => /^GC_(AUTH|SESSION|OIDC|PUBLIC|PROXY|TRUSTED|ACTOR)/.test(k)),
      ),
    ).toEqual({
      GC_AUTH: "proxy",
      GC_SESSION_SECRET: "secret:gc-gray-console/session-secret",
      GC_SESSION_SECONDS: "28800",
      GC_TRUSTED_PROXIES: "10.0.0.0/8,fd00::/8",
      GC_ACTOR_HEADER: "X-Forwarded-User",
      GC_PROXY_GROUPS_HEADER: "X-Forwarded-Groups",
      GC_PROXY_SIGN_OUT_URL: "/oauth2/sign_out",
      GC_AUTH_USER_PREFIX: "sso:",
      GC_AUTH_GROUP_PREFIX: "",
    });
  });

  it("takes GC_PUBLIC_URL from publicUrl, else from the first ingress host", () => {
    const url = (values: Values) =>
      containerEnv(findDoc(render("gc", ns.name, values).docs, "Deployment")).GC_PUBLIC_URL;
    expect(url({ publicUrl: "https://gc.example.com/" })).toBe("https://gc.example.com");
    expect(url({ "ingress.enabled": true })).toBe("http://gray-console.example.com");
    expect(
      url({
        "ingress.enabled": true,
        "ingress.tls[0].secretName": "tls",
        "ingress.tls[0].hosts[0]": "gray-console.example.com",
      }),
    ).toBe("https://gray-console.example.com");
    expect(url({})).toBeUndefined();
  });

  it("names only variables the console knows (every GC_* name appears in lib/env.ts)", () => {
    const known = new Set(readFileSync(path.join(root, "lib/env.ts"), "utf8").match(/\bGC_[A-Z0-9_]+(?=:)/g));
    for (const [, values] of [...INSTALLS, ["oidc", OIDC] as [string, Values]]) {
      for (const name of Object.keys(containerEnv(findDoc(render("gc", ns.name, values).docs, "Deployment"))).filter(
        (n) => n.startsWith("GC_"),
      ))
        expect(known, name).toContain(name);
    }
  });
});

describe("the session Secret", () => {
  it("holds the given value, or a generated one, or is not rendered when an existing Secret is named", () => {
    const shared = "shared-between-replicas-0123456789abcdef";
    const given = findDoc(render("gc", ns.name, { "auth.session.secret": shared }).docs, "Secret");
    expect(Buffer.from(given.data["session-secret"], "base64").toString()).toBe(shared);
    const generated = Buffer.from(
      findDoc(render("gc", ns.name).docs, "Secret").data["session-secret"],
      "base64",
    ).toString();
    expect(generated).toMatch(/^[A-Za-z0-9]{48}$/);
    const existing = render("gc", ns.name, {
      "auth.session.existingSecret": "gc-session",
      "auth.session.existingSecretKey": "key",
    }).docs;
    expect(existing.some((d) => d.kind === "Secret")).toBe(false);
    expect(containerEnv(findDoc(existing, "Deployment")).GC_SESSION_SECRET).toBe("secret:gc-session/key");
  });
});

describe("RBAC", () => {
  type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
  const consoleRole = (values: Values): Rule[] =>
    findDoc(render("gc", ns.name, values).docs, "ClusterRole", "gc-gray-console").rules;
  /** "verb group/resource" for every grant of a role, e.g. "list /pods", "create apps/deployments". */
  const grants = (rules: Rule[]) =>
    rules
      .flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${g}/${res}`))))
      .sort();

  // What the console's own identity calls in every mode (lib/tasks/reconciler.ts writes and reads
  // back; lib/tasks/auto-advance.ts reads the service and lists; GET /api/namespaces lists
  // namespaces for users who may not).
  const ALWAYS = [
    "get /services",
    "list /services",
    "create /services",
    "delete /services",
    "list /pods",
    "get /namespaces",
    "list /namespaces",
    ...["get", "list", "create", "update", "delete"].map((v) => `${v} gateway.networking.k8s.io/httproutes`),
    ...["get", "list", "create", "update", "patch", "delete"].map((v) => `${v} apps/deployments`),
    ...["get", "list", "create", "update", "delete"].flatMap((v) => [
      `${v} networking.istio.io/virtualservices`,
      `${v} networking.istio.io/destinationrules`,
      `${v} autoscaling/horizontalpodautoscalers`,
    ]),
  ];
  const TOKEN_REVIEW = ["create authentication.k8s.io/tokenreviews"];
  const IMPERSONATE = ["impersonate /users", "impersonate /groups"];
  const NONE_READS = ["list /nodes"];

  it.each([
    ["token", {}, [...ALWAYS, ...TOKEN_REVIEW]],
    ["oidc", OIDC, [...ALWAYS, ...TOKEN_REVIEW, ...IMPERSONATE]],
    ["proxy", PROXY, [...ALWAYS, ...TOKEN_REVIEW, ...IMPERSONATE]],
    ["none", { "auth.mode": "none" }, [...ALWAYS, ...NONE_READS]],
  ] as [string, Values, string[]][])(
    "auth.mode=%s: the ClusterRole grants exactly what the console's own identity calls",
    (_, values, expected) => {
      expect(grants(consoleRole(values))).toEqual([...expected].sort());
    },
  );

  it("grants nothing in authorization.k8s.io (reviews go as the user)", () => {
    for (const values of [{}, OIDC, PROXY, { "auth.mode": "none" }]) {
      const groups = consoleRole(values).flatMap((r) => r.apiGroups);
      expect(groups).not.toContain("authorization.k8s.io");
    }
  });

  it.each([
    ["token", false, {}],
    ["none", false, { "auth.mode": "none" }],
    ["oidc", true, OIDC],
    ["proxy", true, PROXY],
  ] as [string, boolean, Values][])(
    "auth.mode=%s grants impersonation: %s (users and groups only, never serviceaccounts)",
    (_, granted, values) => {
      const rules = consoleRole(values);
      expect(rules.filter((r) => r.verbs.includes("impersonate"))).toEqual(
        granted ? [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }] : [],
      );
    },
  );

  it("grants Lease rights only in the leader namespace, get/update only on the console's own Lease", () => {
    const docs = render("gc", ns.name, { "leader.namespace": "gc-system", "leader.leaseName": "gc-lease" }).docs;
    const role = findDoc(docs, "Role");
    expect(role.metadata.namespace).toBe("gc-system");
    expect(role.rules).toEqual([
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        resourceNames: ["gc-lease"],
        verbs: ["get", "update"],
      },
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
    ]);
    expect(findDoc(docs, "RoleBinding").subjects).toEqual([
      { kind: "ServiceAccount", name: "gc-gray-console", namespace: ns.name },
    ]);
    expect(
      findDoc(docs, "ClusterRole", "gc-gray-console").rules.some((r: any) =>
        r.apiGroups.includes("coordination.k8s.io"),
      ),
    ).toBe(false);
    expect(containerEnv(findDoc(docs, "Deployment"))).toMatchObject({
      GC_LEADER_LEASE: "gc-lease",
      GC_LEADER_NAMESPACE: "gc-system",
    });
  });

  it("grants no wildcard and nothing on secrets, pods writes or RBAC objects", () => {
    for (const [, values] of [...INSTALLS, ["oidc", OIDC] as [string, Values]]) {
      for (const d of render("gc", ns.name, values).docs.filter((x) => x.kind === "ClusterRole" || x.kind === "Role")) {
        for (const r of d.rules as Rule[]) {
          expect([...r.apiGroups, ...r.resources, ...r.verbs]).not.toContain("*");
          expect(r.resources).not.toContain("secrets");
          expect(r.apiGroups).not.toContain("rbac.authorization.k8s.io");
          if (r.resources.includes("pods")) expect(r.verbs).toEqual(["list"]);
        }
      }
    }
  });

  it("adds Istio's kinds to Kubernetes' view/edit/admin by aggregation (on by default, can be turned off)", () => {
    const docs = render("gc", ns.name).docs;
    const view = findDoc(docs, "ClusterRole", "gc-gray-console-istio-view");
    expect(view.metadata.labels).toMatchObject({ "rbac.authorization.k8s.io/aggregate-to-view": "true" });
    expect(view.rules).toEqual([
      {
        apiGroups: ["networking.istio.io"],
        resources: ["virtualservices", "destinationrules", "gateways"],
        verbs: ["get", "list", "watch"],
      },
      { apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: ["get", "list", "watch"] },
    ]);
    const edit = findDoc(docs, "ClusterRole", "gc-gray-console-istio-edit");
    expect(edit.metadata.labels).toMatchObject({
      "rbac.authorization.k8s.io/aggregate-to-edit": "true",
      "rbac.authorization.k8s.io/aggregate-to-admin": "true",
    });
    expect(edit.rules).toEqual([
      {
        apiGroups: ["networking.istio.io"],
        resources: ["virtualservices", "destinationrules"],
        verbs: ["create", "update", "patch", "delete"],
      },
      {
        apiGroups: ["gateway.networking.k8s.io"],
        resources: ["httproutes"],
        verbs: ["create", "update", "patch", "delete"],
      },
    ]);
    // the same rules as the dev cluster's roles
    const dev = parseAllDocuments(readFileSync(path.join(root, "dev/cluster/istio-user-roles.yaml"), "utf8")).map((d) =>
      d.toJSON(),
    );
    expect(dev.map((d: any) => d.rules)).toEqual([view.rules, edit.rules]);

    const off = render("gc", ns.name, { "rbac.aggregateIstioToUserRoles": false }).docs;
    expect(off.filter((d) => d.kind === "ClusterRole").map((d) => d.metadata.name)).toEqual(["gc-gray-console"]);
    // independent of the console's own RBAC
    const noOwn = render("gc", ns.name, { "rbac.create": false }).docs;
    expect(
      noOwn
        .filter((d) => d.kind.startsWith("ClusterRole"))
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(["gc-gray-console-istio-edit", "gc-gray-console-istio-view"]);
  });
});

describe("NOTES.txt tells how to sign in", () => {
  const notes = (values: Values) => helmNotes("gc", ns.name, values);

  it.each([
    [
      "token",
      {},
      [
        "auth.mode=token",
        "kubectl -n team-a create token releaser",
        "--clusterrole=edit --serviceaccount=team-a:releaser",
      ],
    ],
    [
      "oidc",
      OIDC,
      [
        "auth.mode=oidc",
        "https://console.example.com/api/auth/oidc/callback",
        '"oidc:<sub claim>"',
        "--group=oidc:team-a",
      ],
    ],
    [
      "proxy",
      PROXY,
      ["auth.mode=proxy", "only from 10.0.0.0/8, fd00::/8", "--group=oidc:team-a", "Sign-out goes to /oauth2/sign_out"],
    ],
    ["none", { "auth.mode": "none" }, ["WARNING: no sign-in"]],
  ] as [string, Values, string[]][])("auth.mode=%s", (_, values, lines) => {
    const text = notes(values);
    for (const line of lines) expect(text).toContain(line);
  });

  it("warns when an impersonation prefix is empty", () => {
    expect(notes({ ...PROXY, "auth.impersonation.groupPrefix": "" })).toContain(
      "WARNING: an impersonation prefix is empty",
    );
    expect(notes(PROXY)).not.toContain("WARNING");
  });
});
