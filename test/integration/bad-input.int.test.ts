// Bad input always gets a 4xx with {error:{code,message,details}} naming the problem, and
// leaves the cluster and the database exactly as they were, except for one thing: an action the
// task refuses (the engine or the state machine says no) is recorded in its history as exactly
// one error event with the reason. A request that is not a well-formed action at all is not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as k8s from "@kubernetes/client-node";
import { api, settled } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { deploymentNames, getDR, getVS, kube, seedReviews, type Kube } from "./helpers/bookinfo";

const V2 = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";
let kc: k8s.KubeConfig;
let k: Kube;
let ns: TestNamespace;
let taskId: string;

const spec = (over: Record<string, unknown> = {}) => ({
  name: "reviews-canary",
  namespace: ns.name,
  service: "reviews",
  strategy: "canary",
  newVersion: { version: "v2", image: V2, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  ...over,
});

interface Snapshot {
  vs: string;
  dr: string;
  deployments: string[];
  tasks: number;
  events: number;
  task: unknown;
  lastEvent: any;
}

async function snapshot(): Promise<Snapshot> {
  const vs = await getVS(k, ns.name);
  const dr = await getDR(k, ns.name);
  const tasks = (await api("GET", `/api/tasks?namespace=${ns.name}`)).json.total;
  const list = taskId ? (await api("GET", `/api/tasks/${taskId}/events`)).json.events : [];
  const events = list.length;
  const task = taskId ? (await api("GET", `/api/tasks/${taskId}`)).json.task : null;
  const stable = task ? { state: task.state, weights: task.weights, revision: task.revision } : null;
  return {
    vs: vs.metadata.resourceVersion,
    dr: dr.metadata.resourceVersion,
    deployments: await deploymentNames(k, ns.name),
    tasks,
    events,
    task: stable,
    lastEvent: list.at(-1) ?? null,
  };
}

beforeAll(async () => {
  kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "badinput");
  await seedReviews(k, ns.name);
  // one live task, so duplicate/unknown-subset/unknown-action cases have something to hit
  const res = await api("POST", "/api/tasks", spec({ name: "existing" }));
  expect(res.status, res.text).toBe(201);
  taskId = res.json.task.id;
  await settled(taskId);
});
afterAll(async () => {
  await ns?.delete();
});

/** `recorded`: the task refused a well-formed action, so its history gains exactly one error event saying why. */
type Case = {
  name: string;
  method: string;
  path: () => string;
  body: unknown;
  status: number;
  code?: string;
  message: RegExp;
  field?: string;
  headers?: Record<string, string>;
  recorded?: true;
};

/** The field paths an error names: zod errors list them, planner errors carry one. */
function fieldPaths(details: unknown): string[] {
  if (Array.isArray(details)) return details.map((d: { path?: string }) => d.path ?? "");
  const one = (details as { path?: string } | null)?.path;
  return one ? [one] : [];
}

const weights = (w: unknown) => ({ action: "setTraffic", weights: w });

const cases: Case[] = [
  {
    name: "weights summing to 90",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: 80, v2: 10 }),
    status: 400,
    message: /sum to 100/,
    field: "weights",
  },
  {
    name: "a negative weight",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: 100, v2: -10 }),
    status: 400,
    message: /weights\.v2/,
    field: "weights.v2",
  },
  {
    name: "a weight over 100",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: 0, v2: 101 }),
    status: 400,
    message: /weights\.v2/,
    field: "weights.v2",
  },
  {
    name: "weights as text",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: "50", v2: "50" }),
    status: 400,
    message: /weights\.v1/,
    field: "weights.v1",
  },
  {
    name: "an unknown subset",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: 50, v9: 50 }),
    status: 400,
    message: /v9/,
    field: "weights.v9",
    recorded: true,
  },
  {
    name: "confirm on a canary (only batch releases have groups)",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: { action: "confirm" },
    status: 409,
    code: "illegal_transition",
    message: /only batch releases/,
    recorded: true,
  },
  {
    name: "retireOld before the new version has all traffic",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: { action: "retireOld" },
    status: 409,
    code: "illegal_transition",
    message: /take over all traffic first/,
    recorded: true,
  },
  {
    name: "an unknown action",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: { action: "explode" },
    status: 400,
    message: /action/,
    field: "action",
  },
  {
    name: "malformed JSON on an action",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: '{"action": "setTraffic", ',
    status: 400,
    code: "bad_json",
    message: /not valid JSON/,
  },
  {
    name: "an unknown task",
    method: "POST",
    path: () => `/api/tasks/doesnotexist/actions`,
    body: { action: "takeover" },
    status: 404,
    message: /not found/,
  },
  // Any id that names no task is a 404, whatever its shape.
  {
    name: "an action on a task id with capitals and symbols",
    method: "POST",
    path: () => `/api/tasks/NOT_A-task!/actions`,
    body: { action: "takeover" },
    status: 404,
    message: /not found/,
  },
  {
    name: "reading a task id of 200 characters",
    method: "GET",
    path: () => `/api/tasks/${"x".repeat(200)}`,
    body: undefined,
    status: 404,
    message: /not found/,
  },
  {
    name: "aborting a task id with a dot",
    method: "DELETE",
    path: () => `/api/tasks/a.b`,
    body: undefined,
    status: 404,
    message: /not found/,
  },
  {
    name: "the events of a task id with spaces",
    method: "GET",
    path: () => `/api/tasks/a%20b/events`,
    body: undefined,
    status: 404,
    message: /not found/,
  },
  {
    name: "creating with weights summing to 90",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t1", traffic: { weights: { v1: 80, v2: 10 } } }),
    status: 400,
    message: /sum to 100/,
    field: "traffic.weights",
  },
  {
    name: "creating with an invalid image reference",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t2", newVersion: { version: "v2", image: "Docker.io/Bad Image::x", replicas: 1 } }),
    status: 400,
    message: /newVersion\.image/,
    field: "newVersion.image",
  },
  {
    name: "creating with a bad version label",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t3", newVersion: { version: "V2_beta!", image: V2, replicas: 1 } }),
    status: 400,
    message: /newVersion\.version/,
    field: "newVersion.version",
  },
  {
    name: "creating in an unknown namespace",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t4", namespace: "no-such-ns" }),
    status: 404,
    message: /namespace/,
  },
  {
    name: "creating for an unknown service",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t5", service: "nosuchsvc" }),
    status: 404,
    message: /service/,
  },
  {
    name: "a duplicate active task on the service",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "second" }),
    status: 409,
    message: /already has an active release task/,
    field: "service",
  },
  {
    name: "a duplicate task name",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "existing" }),
    status: 409,
    message: /already exists/,
    field: "name",
  },
  {
    name: "malformed JSON on create",
    method: "POST",
    path: () => "/api/tasks",
    body: "{not json",
    status: 400,
    code: "bad_json",
    message: /not valid JSON/,
  },
  {
    name: "an unknown strategy",
    method: "POST",
    path: () => "/api/tasks",
    body: () => spec({ name: "t6", strategy: "yolo" }),
    status: 400,
    message: /strategy/,
    field: "strategy",
  },
  // What a web page on another site can make a browser send (issue 10: CSRF).
  {
    name: "a cross-site setTraffic (Sec-Fetch-Site: cross-site, a foreign Origin)",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: weights({ v1: 0, v2: 100 }),
    status: 403,
    code: "cross_site",
    message: /another site/,
    headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
  },
  {
    name: "a cross-site abort from an older browser (Origin only)",
    method: "DELETE",
    path: () => `/api/tasks/${taskId}`,
    body: undefined,
    status: 403,
    code: "cross_site",
    message: /Origin https:\/\/evil\.example is not this console/,
    headers: { origin: "https://evil.example" },
  },
  {
    name: "a text/plain action body (a no-preflight cross-site fetch)",
    method: "POST",
    path: () => `/api/tasks/${taskId}/actions`,
    body: JSON.stringify(weights({ v1: 0, v2: 100 })),
    status: 415,
    code: "unsupported_media_type",
    message: /content-type: application\/json/,
    headers: { "content-type": "text/plain" },
  },
  {
    name: "a form-encoded create",
    method: "POST",
    path: () => "/api/tasks",
    body: "name=x",
    status: 415,
    code: "unsupported_media_type",
    message: /must be JSON/,
    headers: { "content-type": "application/x-www-form-urlencoded" },
  },
  {
    name: "preview with a bad name",
    method: "POST",
    path: () => "/api/tasks/preview",
    body: () => spec({ name: "Bad_Name" }),
    status: 400,
    message: /name/,
    field: "name",
  },
];

describe("bad input", () => {
  for (const c of cases) {
    it(`${c.name} -> ${c.status}, ${c.recorded ? "one error event in history, nothing else changes" : "nothing changes"}`, async () => {
      const before = await snapshot();
      const body = typeof c.body === "function" ? (c.body as () => unknown)() : c.body;
      const res = await api(c.method, c.path(), body, c.headers);
      expect(res.status, res.text).toBe(c.status);
      expect(res.json.error).toBeTruthy();
      expect(typeof res.json.error.code).toBe("string");
      expect(res.json.error.message).toMatch(c.message);
      expect(res.json.error).toHaveProperty("details");
      if (c.code) expect(res.json.error.code).toBe(c.code);
      if (c.field) expect(fieldPaths(res.json.error.details)).toContain(c.field);
      // The same message as a catalog key + params, for the UI to say in the reader's language.
      expect(res.json.error.key, res.text).toMatch(/^err\./);
      expect(typeof res.json.error.params).toBe("object");
      const after = await snapshot();
      if (c.recorded) {
        const action = (body as { action: string }).action;
        expect(after.events).toBe(before.events + 1);
        expect(after.lastEvent).toMatchObject({ action, result: "error", error: res.json.error.message, after: null });
        expect({ ...after, events: before.events, lastEvent: before.lastEvent }).toEqual(before);
      } else expect(after).toEqual(before);
    });
  }
});
