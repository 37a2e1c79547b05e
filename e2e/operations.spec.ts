// Make before break as a user sees it: a new version that is slow to start (KWOK's per-pod
// ready delay) gets no traffic until its pods are Ready, and the task page says what it waits
// for meanwhile, offering only the emergency brakes; then the weights land and the banner goes.
import { expect, test } from "@playwright/test";
import { defaultWeights, getVS, reviewsNamespace, screenshot, V2_IMAGE, type Env } from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
});

for (const locale of ["en", "zh-CN"] as const) {
  test(`a slow-starting version: the task page says it waits for v2 to be Ready (0/1), v2 gets 0% meanwhile, then 20% (${locale})`, async ({
    page,
    context,
  }) => {
    env = await reviewsNamespace(`e2e-slow-${locale.toLowerCase()}`);
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    const res = await page.request.post("/api/tasks", {
      data: {
        name: "slow",
        namespace: env.ns.name,
        service: "reviews",
        strategy: "canary",
        newVersion: {
          version: "v2",
          image: V2_IMAGE,
          replicas: 1,
          annotations: { "pod-ready.stage.kwok.x-k8s.io/delay": "25s" },
        },
        traffic: { weights: { v1: 80, v2: 20 } },
      },
    });
    expect(res.status()).toBe(201);
    const id = (await res.json()).task.id as string;
    await page.goto(`/releases/${id}`);
    const banner = page.getByTestId("operation-banner");
    await expect(banner).toHaveAttribute("data-waiting", "ready");
    // Only the brakes while the operation is in flight: the rest are shown disabled, saying why
    // (checked first; v2 takes 25 s to be Ready so that a slow page load still sees the wait).
    await expect(page.getByTestId("action-takeover")).toBeDisabled();
    await expect(page.getByTestId("action-reason-takeover")).toContainText(
      locale === "en" ? "once the change in progress" : "进行中的变更",
    );
    await expect(page.getByTestId("action-abort")).toBeEnabled();
    await expect(page.getByTestId("operation-headline")).toContainText(
      locale === "en" ? "Waiting for v2 to be Ready (0/1)" : "等待 v2 就绪（0/1）",
    );
    // The route does not name v2 yet (its subset exists: make before break).
    expect(defaultWeights(await getVS(env.k, env.ns.name))).toEqual({ v1: 100 });
    // The console's own half-done operation is not someone else's edit: no drift banner.
    await expect(page.getByTestId("drift-banner")).toHaveCount(0);
    await expect(page.getByTestId("traffic-locked")).toContainText(
      locale === "en" ? "once the change in progress" : "进行中的变更",
    );
    await screenshot(page, `task-waiting-ready-${locale}`);

    await expect(banner).toHaveCount(0, { timeout: 40_000 });
    expect(defaultWeights(await getVS(env.k, env.ns.name))).toEqual({ v1: 80, v2: 20 });
    await expect(page.getByTestId("action-takeover")).toBeEnabled();
  });
}
