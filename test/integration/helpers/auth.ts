// Sign-in plumbing shared by the sign-in browser tests (e2e/auth-*.spec.ts) and bench/auth.ts:
// free ports, the local OpenID provider and oauth2-proxy (dev/scripts/idp.sh), RoleBindings for
// the provider's groups, a browser-less sign-in that walks the same redirects a browser does
// (cookies, the provider's login form), and requests from a chosen local address.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../../..");
const IDP = path.join(root, "dev/scripts/idp.sh");

/** The provider's default users (idp.sh default-config) and its one client. */
export const ALICE = { username: "alice", password: "alice-password", email: "alice@example.test" } as const;
export const BOB = { username: "bob", password: "bob-password", email: "bob@example.test" } as const;
export const IDP_CLIENT = { id: "gray-console", secret: "gray-console-dev-secret" } as const;
export interface Credentials {
  username: string;
  password: string;
}

/**
 * `n` distinct ports nobody listens on now, chosen by the kernel from its ephemeral range
 * (32768-60999 on Linux), so none can be one of the fixed ports (3100, 3190-3202, 9090, 12379,
 * 15090, 16443...). All n are held open until every one is known: one at a time, the kernel may
 * hand the same port out twice.
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/** A GC_SESSION_SECRET for one test console. */
export function sessionSecret(): string {
  return randomBytes(48).toString("base64");
}

// ------------------------------------------------------------------ idp.sh

export interface Provider {
  /** State directory of this provider (and its proxy): pid files, config. */
  dir: string;
  issuer: string;
  /** Stops the proxy (if started) and the provider; never fails. */
  stop(): Promise<void>;
}

async function idp(args: string[]): Promise<void> {
  try {
    await run("bash", [IDP, ...args], { cwd: root, timeout: 600_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`idp.sh ${args[0]} failed: ${(e.stderr ?? "").trim() || e.message}`);
  }
}

export interface ProviderUser {
  username: string;
  password: string;
  email: string;
  name: string;
  groups: string[];
}

/**
 * Starts the local OpenID provider on 127.0.0.1:port with the default users (plus `extraUsers`)
 * and client, the given redirect URIs registered. State in .local/test/<name>, logs in
 * .local/logs/<name>/. Whatever an interrupted earlier run left in that directory is stopped first.
 */
export async function startProvider(
  name: string,
  port: number,
  redirectUris: string[],
  extraUsers: ProviderUser[] = [],
  postLogoutUris: string[] = [],
): Promise<Provider> {
  const dir = path.join(root, ".local/test", name);
  const logDir = path.join(root, ".local/logs", name);
  await idp(["stop", "--dir", dir]).catch(() => undefined);
  const redirects = [
    ...redirectUris.flatMap((u) => ["--redirect-uri", u]),
    ...postLogoutUris.flatMap((u) => ["--post-logout-uri", u]),
  ];
  let config = redirects;
  if (extraUsers.length > 0) {
    const json = JSON.parse((await run("bash", [IDP, "default-config", ...redirects], { cwd: root })).stdout) as {
      users: ProviderUser[];
    };
    json.users.push(...extraUsers);
    config = ["--config-json", JSON.stringify(json)];
  }
  await idp(["oidc-start", "--port", String(port), "--dir", dir, "--log-dir", logDir, ...config]);
  return {
    dir,
    issuer: `http://127.0.0.1:${port}`,
    stop: () => idp(["stop", "--dir", dir]).catch((err: Error) => console.warn(err.message)),
  };
}

/** oauth2-proxy on 127.0.0.1:port in front of `upstream`, signing in with the provider started in `provider.dir`; its base URL. */
export async function startOauth2Proxy(
  provider: Provider,
  name: string,
  port: number,
  upstream: string,
): Promise<string> {
  await idp([
    "proxy-start",
    "--port",
    String(port),
    "--dir",
    provider.dir,
    "--log-dir",
    path.join(root, ".local/logs", name),
    "--upstream",
    upstream,
  ]);
  return `http://127.0.0.1:${port}`;
}

// ------------------------------------------------------------------ RBAC

/** A RoleBinding of `group` to a ClusterRole (view, edit) in the namespace. */
export async function bindGroup(
  kc: k8s.KubeConfig,
  namespace: string,
  group: string,
  clusterRole: string,
): Promise<void> {
  const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  const name = `${clusterRole}-${group.replace(/[^a-z0-9-]/g, "-")}`.slice(0, 63).replace(/-+$/, "");
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }],
    },
  });
}

/** Deletes a Lease (a test console's reconciler Lease in `default`) if it is there. */
export async function deleteLease(kc: k8s.KubeConfig, name: string, namespace = "default"): Promise<void> {
  try {
    await kc.makeApiClient(k8s.CoordinationV1Api).deleteNamespacedLease({ name, namespace });
  } catch (err) {
    if (!(err instanceof k8s.ApiException && err.code === 404)) throw err;
  }
}

// ------------------------------------------------------------------ a browser without a browser

/**
 * Cookies as a browser keeps them for plain-http 127.0.0.1: by host (not port) and path.
 * Enough for the console's, oauth2-proxy's and the provider's cookies; no Domain attribute,
 * no expiry other than deletion (Max-Age=0 or an empty value).
 */
export class CookieJar {
  private readonly cookies = new Map<string, { host: string; path: string; name: string; value: string }>();

  store(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = "", ...rest] = line.split(";");
      const attrs = rest.map((a) => a.trim());
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const cookiePath = attrs.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const maxAge = attrs.find((a) => a.toLowerCase().startsWith("max-age="));
      const key = `${url.hostname}\n${cookiePath}\n${name}`;
      if (value === "" || (maxAge !== undefined && Number(maxAge.slice(8)) <= 0)) this.cookies.delete(key);
      else this.cookies.set(key, { host: url.hostname, path: cookiePath, name, value });
    }
  }

  header(url: URL): string {
    const under = (p: string) => url.pathname === p || url.pathname.startsWith(p.endsWith("/") ? p : `${p}/`);
    return [...this.cookies.values()]
      .filter((c) => c.host === url.hostname && under(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }
}

/** One request with the jar's cookies, redirects not followed; the jar keeps what it sets. */
export async function jarFetch(
  jar: CookieJar,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const u = new URL(url);
  const cookie = jar.header(u);
  const res = await fetch(u, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: { ...(cookie ? { cookie } : {}), ...init.headers },
    body: init.body,
  });
  jar.store(u, res.headers);
  return res;
}

/** The provider's login form (dev/build/oidc): the hidden auth request id, or null when the page is not the form. */
function loginFormId(html: string): string | null {
  if (!/<form[^>]*action="\/login\/username"/.test(html)) return null;
  return /<input type="hidden" name="id" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

/**
 * Walks a sign-in as a browser would: GET `start`, follow every redirect with the jar's
 * cookies, answer the provider's login form with the credentials, and stop BEFORE requesting
 * the first URL for which `done` is true (the page the sign-in returns to). Returns that URL.
 * Throws when the provider refuses the password or the walk takes more than 15 steps.
 */
export async function walkSignIn(
  jar: CookieJar,
  start: string,
  who: Credentials,
  done: (url: URL) => boolean,
): Promise<URL> {
  let url = new URL(start);
  for (let step = 0; step < 15; step++) {
    if (done(url)) return url;
    const res = await jarFetch(jar, url.href);
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.arrayBuffer();
      url = new URL(location, url);
      continue;
    }
    const body = await res.text();
    const id = res.status === 200 ? loginFormId(body) : null;
    if (!id) throw new Error(`sign-in stopped at ${url.href}: HTTP ${res.status} ${body.slice(0, 300)}`);
    const form = new URLSearchParams({ id, username: who.username, password: who.password });
    const posted = await jarFetch(jar, new URL("/login/username", url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    const next = posted.headers.get("location");
    if (!(posted.status >= 300 && posted.status < 400 && next))
      throw new Error(
        `the provider refused ${who.username}: HTTP ${posted.status} ${(await posted.text()).slice(0, 200)}`,
      );
    await posted.arrayBuffer();
    url = new URL(next, url);
  }
  throw new Error(`sign-in from ${start} did not finish within 15 steps (at ${url.href})`);
}

export interface HttpSession {
  jar: CookieJar;
  /** The user the console names (GET /api/auth/session). */
  name: string;
  csrfToken: string;
  /** A request to the console (or the proxy in front) with the session's cookies and, on writes, its CSRF token. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

async function sessionOf(jar: CookieJar, base: string): Promise<HttpSession> {
  const res = await jarFetch(jar, `${base}/api/auth/session`);
  const session = (await res.json()) as { user: { name: string } | null; csrfToken: string | null };
  if (!session.user || !session.csrfToken)
    throw new Error(`${base}: not signed in after the sign-in walk: ${JSON.stringify(session)}`);
  const csrfToken = session.csrfToken;
  return {
    jar,
    name: session.user.name,
    csrfToken,
    async call(method, p, body) {
      const headers: Record<string, string> = { accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      if (method !== "GET") headers["x-csrf-token"] = csrfToken;
      const r = await jarFetch(jar, `${base}${p}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, json: text ? JSON.parse(text) : null };
    },
  };
}

/** GC_AUTH=oidc: signs in at the console (its /api/auth/oidc/login, the provider, its callback). */
export async function signInToConsole(base: string, who: Credentials, jar = new CookieJar()): Promise<HttpSession> {
  const origin = new URL(base).origin;
  await walkSignIn(
    jar,
    `${base}/api/auth/oidc/login?next=%2F`,
    who,
    (u) => u.origin === origin && !u.pathname.startsWith("/api/auth/"),
  );
  return sessionOf(jar, base);
}

/** GC_AUTH=proxy: signs in at oauth2-proxy (/oauth2/start, the provider, /oauth2/callback); calls then go through the proxy. */
export async function signInThroughProxy(
  proxyBase: string,
  who: Credentials,
  jar = new CookieJar(),
): Promise<HttpSession> {
  const origin = new URL(proxyBase).origin;
  await walkSignIn(
    jar,
    `${proxyBase}/oauth2/start?rd=%2F`,
    who,
    (u) => u.origin === origin && !u.pathname.startsWith("/oauth2/"),
  );
  return sessionOf(jar, proxyBase);
}

// ------------------------------------------------------------------ requests from a chosen address

/**
 * A GET from a chosen local address (127.0.0.2: on one machine, a peer that is not the trusted
 * 127.0.0.1/32) with the given headers, straight to the server.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "GET", localAddress, headers: { accept: "application/json", ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: text });
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
