// The container image's server, without the image (no Docker engine here): .next/standalone laid
// out exactly as the Dockerfile's runtime stage does (server.js with its traced node_modules,
// then .next/static beside it), not writable by the server, run as the image's unprivileged
// uid with only .next/cache and the database directory writable, as the chart mounts them.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { LOCAL_KUBECONFIG, loadKubeConfig, waitFor } from "./helpers/cluster";
import { bearer, createServiceAccountUser, deleteServiceAccountUser } from "./helpers/users";

const root = path.resolve(__dirname, "../..");
const port = Number(process.env.GC_TEST_STANDALONE_PORT ?? 3193);
const base = `http://127.0.0.1:${port}`;
/** The Dockerfile's "console" user. */
const CONSOLE_UID = 10001;
const asRoot = process.getuid?.() === 0;

let dir: string;
let app: string;
let data: string;
let server: ChildProcess | undefined;
let log = "";

/** The Dockerfile's COPY lines: standalone output, then the static assets Next leaves out of it. */
function layOutLikeTheImage(target: string): void {
  const standalone = path.join(root, ".next/standalone");
  if (!existsSync(path.join(standalone, "server.js")))
    throw new Error(
      `${standalone}/server.js missing: build with \`npx next build\` (next.config.ts sets output: "standalone")`,
    );
  cpSync(standalone, target, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(root, ".next/static"), path.join(target, ".next/static"), { recursive: true });
  // Read-only for everyone (root owns it in the image), except the cache the chart mounts an emptyDir on.
  const ro = spawnSync("chmod", ["-R", "a-w", target]);
  if (ro.status !== 0) throw new Error(`chmod: ${ro.stderr}`);
  chmodSync(path.join(target, ".next"), 0o755);
  mkdirSync(path.join(target, ".next/cache"));
  chmodSync(path.join(target, ".next"), 0o555);
}

function startServer(): ChildProcess {
  // The admin kubeconfig is root's (0600); the unprivileged server gets its own copy.
  const kubeconfig = path.join(dir, "kubeconfig");
  copyFileSync(process.env.KUBECONFIG || LOCAL_KUBECONFIG, kubeconfig);
  if (asRoot) for (const p of [path.join(app, ".next/cache"), data, kubeconfig]) chownSync(p, CONSOLE_UID, CONSOLE_UID);
  const node = process.execPath;
  // As root, drop to the image's uid (root would write anywhere); otherwise we already are unprivileged.
  const [cmd, ...args] = asRoot
    ? ["setpriv", `--reuid=${CONSOLE_UID}`, `--regid=${CONSOLE_UID}`, "--clear-groups", node, "server.js"]
    : [node, "server.js"];
  const child = spawn(cmd!, args, {
    cwd: app,
    // Only what the image and the chart set: no inherited KUBECONFIG, HOME or dev settings.
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      HOME: "/nonexistent",
      KUBECONFIG: kubeconfig,
      DATABASE_URL: `file:${path.join(data, "console.db")}`,
      PROMETHEUS_URL: process.env.PROMETHEUS_URL ?? "http://127.0.0.1:9090",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (b) => (log += b));
  child.stderr!.on("data", (b) => (log += b));
  return child;
}

beforeAll(async () => {
  loadKubeConfig(); // refuses a kubeconfig that is not this machine's
  dir = mkdtempSync(path.join(tmpdir(), "gc-standalone-"));
  chmodSync(dir, 0o755);
  app = path.join(dir, "app");
  data = path.join(dir, "data");
  mkdirSync(data);
  layOutLikeTheImage(app);
  server = startServer();
  try {
    await waitFor(async () => (await fetch(`${base}/api/health`)).ok, {
      timeoutMs: 60_000,
      description: `standalone server on :${port}`,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver output:\n${log}`);
  }
});
afterAll(() => {
  server?.kill("SIGTERM");
  if (dir) {
    spawnSync("chmod", ["-R", "u+w", dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("node server.js from the standalone output (the image's command)", () => {
  it("answers /api/health with the SQLite database migrated and the cluster reachable", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    const health = await res.json();
    expect(health.database).toEqual({ ok: true, kind: "sqlite" });
    expect(health.kubernetes.ok, JSON.stringify(health.kubernetes)).toBe(true);
    // the migrations travelled with the server (traced from lib/db/migrate.ts's readdir)
    expect(readdirSync(path.join(app, "prisma/migrations/sqlite")).length).toBeGreaterThan(0);
    expect(existsSync(path.join(data, "console.db"))).toBe(true);
  });

  it("serves a page and the static assets it references", async () => {
    const page = await fetch(`${base}/releases`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    const assets = [...html.matchAll(/\/_next\/static\/[^"'\s]+\.(?:js|css)/g)].map((m) => m[0]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of new Set(assets)) {
      const res = await fetch(base + asset);
      expect(res.status, asset).toBe(200);
    }
  });

  it("signs nobody in by default (GC_AUTH=token, as the image runs): 401 without a token", async () => {
    const res = await fetch(`${base}/api/tasks`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthenticated");
  });

  it("answers the REST API from the database and the cluster to a user's bearer token", async () => {
    const kc = loadKubeConfig();
    const name = `standalone-viewer-${randomBytes(3).toString("hex")}`;
    const viewer = await createServiceAccountUser(kc, "bookinfo", name, "view");
    try {
      const tasks = await fetch(`${base}/api/tasks`, { headers: bearer(viewer.token) });
      expect(tasks.status).toBe(200);
      expect(Array.isArray((await tasks.json()).tasks)).toBe(true);
      const namespaces = await (await fetch(`${base}/api/namespaces`, { headers: bearer(viewer.token) })).json();
      expect(namespaces.namespaces.map((n: { name: string }) => n.name)).toEqual(["bookinfo"]);
    } finally {
      await deleteServiceAccountUser(kc, viewer);
    }
  });

  it("runs unprivileged and never tried to write outside the cache and data directories", () => {
    const status = readFileSync(`/proc/${server!.pid}/status`, "utf8");
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    expect(uid).not.toBe(0);
    if (asRoot) expect(uid).toBe(CONSOLE_UID);
    expect(log).not.toMatch(/EACCES|EROFS|EPERM/);
  });
});
