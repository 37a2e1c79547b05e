// GET /api/audit (issue 10, the export part): the history of every task as JSON or CSV, filtered
// by namespace and time, from the same database the console writes, over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, as, settled, BASE_URL } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { kube, seedReviews } from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
// An actor name a spreadsheet would run as a formula: the CSV must defuse it.
const FORMULA_ACTOR = "=HYPERLINK(\"http://evil.example\",\"x\")";
let ns: TestNamespace;
let started = "";

beforeAll(async () => {
  const kc = loadKubeConfig();
  ns = await createTestNamespace(kc, "audit");
  await seedReviews(kube(kc), ns.name);
  started = new Date(Date.now() - 1000).toISOString();
  const created = await api("POST", "/api/tasks", {
    name: "audited", namespace: ns.name, service: "reviews", strategy: "canary",
    newVersion: { version: "v2", image: V2, replicas: 1 }, traffic: { weights: { v1: 90, v2: 10 } },
  }, as(FORMULA_ACTOR));
  expect(created.status, created.text).toBe(201);
  await settled(created.json.task.id);
  const set = await api("POST", `/api/tasks/${created.json.task.id}/actions`, { action: "setTraffic", weights: { v1: 50, v2: 50 } }, as("bob"));
  expect(set.status, set.text).toBe(200);
}, 120_000);
afterAll(async () => {
  await ns?.delete().catch(() => undefined);
});

describe("the audit export", () => {
  it("lists the namespace's actions oldest first as JSON, with task, actor and routing before/after", async () => {
    const res = await api("GET", `/api/audit?namespace=${ns.name}`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.truncated).toBe(false);
    expect(res.json.events.map((e: any) => [e.actor, e.action, e.result])).toEqual([[FORMULA_ACTOR, "create", "ok"], ["bob", "setTraffic", "ok"]]);
    const set = res.json.events[1];
    expect(set).toMatchObject({ namespace: ns.name, service: "reviews", task: "audited" });
    expect(set.before.weights).toEqual({ v1: 90, v2: 10 });
    expect(set.after.weights).toEqual({ v1: 50, v2: 50 });
    expect(set.resourceVersions).toHaveProperty(["VirtualService/reviews"]);
  });

  it("serves CSV as a download, one row per action, with the formula actor defused", async () => {
    const res = await fetch(`${BASE_URL}/api/audit?namespace=${ns.name}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename="gray-console-audit-${ns.name}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    const lines = (await res.text()).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("at,namespace,service,task,taskId,actor,action,result,weightsBefore,weightsAfter,resourceVersions,error,note");
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",create,ok,`);
    expect(lines[2]).toContain(",bob,setTraffic,ok,v1=90 v2=10,v1=50 v2=50,");
  });

  it("filters by time and says when the limit cut the list", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await api("GET", `/api/audit?namespace=${ns.name}&since=${encodeURIComponent(future)}`)).json.events).toEqual([]);
    const window = await api("GET", `/api/audit?namespace=${ns.name}&since=${encodeURIComponent(started)}&limit=1`);
    expect(window.json.events.map((e: any) => e.action)).toEqual(["create"]);
    expect(window.json.truncated).toBe(true);
  });

  it("refuses a time that is not RFC 3339 with 400 naming the field", async () => {
    const res = await api("GET", "/api/audit?since=yesterday");
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: any) => d.path)).toContain("since");
  });
});
