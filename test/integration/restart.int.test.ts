// History survives restarts: a task and its events written by one console process are read
// back by the next one on the same database file.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviews } from "./helpers/bookinfo";
import { startConsole, type ConsoleInstance } from "./helpers/console";
import { settled } from "./helpers/api";

const dir = mkdtempSync(path.join(tmpdir(), "gc-restart-"));
const env = { DATABASE_URL: `file:${path.join(dir, "console.db")}` };
const port = Number(process.env.GC_TEST_RESTART_PORT ?? 3192);
let server: ConsoleInstance | undefined;
let ns: TestNamespace | undefined;
afterAll(async () => {
  server?.stop();
  await ns?.delete();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, p: string, body?: unknown) {
  const res = await fetch(server!.baseUrl + p, {
    method,
    headers: { "content-type": "application/json", "X-Forwarded-User": "erin" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

describe("restart", () => {
  it("keeps tasks and their history across a console restart", async () => {
    const kc = loadKubeConfig();
    ns = await createTestNamespace(kc, "restart");
    await seedReviews(kube(kc), ns.name);
    server = await startConsole(port, env);
    const created = await call("POST", "/api/tasks", {
      name: "r1",
      namespace: ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2", replicas: 1 },
      traffic: { weights: { v1: 90, v2: 10 } },
    });
    expect(created.status).toBe(201);
    const id = created.json.task.id;
    await settled(id, { baseUrl: server.baseUrl });
    expect(
      (await call("POST", `/api/tasks/${id}/actions`, { action: "setTraffic", weights: { v1: 70, v2: 30 } })).status,
    ).toBe(200);
    server.stop();
    await new Promise((r) => setTimeout(r, 1000));

    server = await startConsole(port, env);
    const task = (await call("GET", `/api/tasks/${id}`)).json.task;
    expect(task).toMatchObject({
      name: "r1",
      state: "progressing",
      weights: { v1: 70, v2: 30 },
      createdBy: "anonymous",
    });
    const events = (await call("GET", `/api/tasks/${id}/events`)).json.events;
    expect(events.map((e: any) => [e.action, e.actor, e.after.weights])).toEqual([
      ["create", "anonymous", { v1: 90, v2: 10 }],
      ["setTraffic", "anonymous", { v1: 70, v2: 30 }],
    ]);
    // and the restarted console can still act on it
    expect((await call("POST", `/api/tasks/${id}/actions`, { action: "rollback" })).json.task.state).toBe(
      "rolled-back",
    );
  });
});
