// GET /api/health answers 200 and tells which dependency is down.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { api } from "./helpers/api";
import { LOCAL_KUBECONFIG } from "./helpers/cluster";
import { startConsole, type ConsoleInstance } from "./helpers/console";

const dir = mkdtempSync(path.join(tmpdir(), "gc-health-"));
let down: ConsoleInstance | undefined;
afterAll(() => {
  down?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("health", () => {
  it("reports the cluster version, the database and Prometheus", async () => {
    const res = await api("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.json.kubernetes).toEqual({ ok: true, version: "v1.35.4" });
    expect(res.json.database).toEqual({ ok: true, kind: "sqlite" });
    expect(res.json.prometheus.ok).toBe(true);
  });

  it("reports a stopped cluster honestly: 200 with kubernetes.ok=false, and the cluster APIs answer 503", async () => {
    // Same credentials, but the API server's port has nothing listening: a stopped apiserver.
    const kubeconfig = readFileSync(process.env.KUBECONFIG ?? LOCAL_KUBECONFIG, "utf8").replace(
      /server: https:\/\/127\.0\.0\.1:\d+/,
      "server: https://127.0.0.1:1",
    );
    writeFileSync(path.join(dir, "kubeconfig"), kubeconfig);
    down = await startConsole(Number(process.env.GC_TEST_DOWN_PORT ?? 3191), {
      KUBECONFIG: path.join(dir, "kubeconfig"),
      DATABASE_URL: `file:${path.join(dir, "console.db")}`,
    });
    const health = await fetch(`${down.baseUrl}/api/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as any;
    expect(body.kubernetes.ok).toBe(false);
    expect(body.kubernetes.version).toBeNull();
    expect(body.kubernetes.error).toMatch(/unreachable/);
    expect(body.database).toEqual({ ok: true, kind: "sqlite" });
    const ns = await fetch(`${down.baseUrl}/api/namespaces`);
    expect(ns.status).toBe(503);
    expect(((await ns.json()) as any).error.code).toBe("cluster_unreachable");
  });
});
