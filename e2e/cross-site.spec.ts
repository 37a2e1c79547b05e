// CSRF as a browser does it: a page on another origin posts a form to the console (text/plain,
// so no CORS preflight) and runs a no-cors fetch. Chromium adds Origin and Sec-Fetch-Site; the
// console refuses both with 403 and the VirtualService does not move.
import { createServer, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { getVS, reviewsNamespace, V2_IMAGE, type Env } from "./helpers";

let env: Env | undefined;
let attacker: Server | undefined;
test.afterEach(async () => {
  attacker?.close();
  await env?.ns.delete().catch(() => undefined);
});

function serveAttackerPage(html: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server }),
    ),
  );
}

test("a page on another origin cannot shift traffic: its form post and its fetch get 403, the VirtualService is unchanged", async ({
  page,
  baseURL,
}) => {
  env = await reviewsNamespace("e2e-csrf");
  const res = await page.request.post("/api/tasks", {
    data: {
      name: "csrf",
      namespace: env.ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
      traffic: { weights: { v1: 100, v2: 0 } },
    },
  });
  expect(res.status()).toBe(201);
  const id = (await res.json()).task.id as string;
  await expect
    .poll(async () => (await (await page.request.get(`/api/tasks/${id}`)).json()).task.operation, { timeout: 30_000 })
    .toBeNull();
  const before = (await getVS(env.k, env.ns.name)).metadata.resourceVersion;

  const target = `${baseURL}/api/tasks/${id}/actions`;
  const body = JSON.stringify({ action: "setTraffic", weights: { v1: 0, v2: 100 } });
  const served =
    await serveAttackerPage(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${target}">
    <input type="hidden" name='${body.slice(0, -1)}, "x": "' value='"}'></form>`);
  attacker = served.server;

  // The no-cors fetch: the response is opaque to the page, so watch what the console answered.
  const answered = page.waitForResponse((r) => r.url() === target);
  await page.goto(served.url);
  await page.evaluate(
    ([url, b]) => fetch(url!, { method: "POST", mode: "no-cors", body: b, headers: { "content-type": "text/plain" } }),
    [target, body],
  );
  expect((await answered).status()).toBe(403);

  // The form post navigates to the console's answer.
  const [formAnswer] = await Promise.all([
    page.waitForResponse((r) => r.url() === target),
    page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
  ]);
  expect(formAnswer.status()).toBe(403);
  expect(((await formAnswer.json()) as { error: { code: string } }).error.code).toBe("cross_site");

  expect((await getVS(env.k, env.ns.name)).metadata.resourceVersion).toBe(before);
  const events = (await (await page.request.get(`/api/tasks/${id}/events`)).json()).events as { action: string }[];
  expect(events.filter((e) => e.action === "setTraffic")).toEqual([]);
});
