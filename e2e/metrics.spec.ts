// After the slider moves, the observed share (Prometheus, fed by the mesh simulator's
// traffic routed by the live VirtualService) converges to the new weight on the page.
import { expect, test } from "@playwright/test";
import {
  applyWeight,
  expectWeights,
  reviewAndCreate,
  reviewsNamespace,
  screenshot,
  tryDeployment,
  waitFor,
  wizardToTraffic,
  type Env,
} from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
});

test("the share converges to the new weight after the slider moves", async ({ page }) => {
  env = await reviewsNamespace("e2e-metrics");
  await env.k.core.patchNamespacedService({
    namespace: env.ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "100" } }],
  });
  await wizardToTraffic(page, env, "reviews-live", "canary");
  await page.getByTestId("traffic-input").fill("0");
  await reviewAndCreate(page);
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1,
    { description: "reviews-v2 Ready" },
  );

  await applyWeight(page, 30);
  await expectWeights(env, { v1: 70, v2: 30 });
  await expect(page.getByTestId("chart-share")).toBeVisible({ timeout: 60_000 });
  const observed = page.getByTestId("metrics-row-v2").locator("td").nth(2);
  await expect
    .poll(async () => Number.parseFloat((await observed.textContent()) ?? "NaN"), {
      timeout: 60_000,
      intervals: [2000],
    })
    .toBeGreaterThanOrEqual(25);
  const value = Number.parseFloat((await observed.textContent()) ?? "NaN");
  expect(value).toBeLessThanOrEqual(35);
  await expect(page.getByTestId("metrics-row-v2").locator("td").nth(1)).toHaveText("30%");
  await screenshot(page, "task-metrics-en");
});
