// The wizard on a service routed by the Gateway API (Bookinfo's reviews with an HTTPRoute
// attached to the Service, GAMMA): the services list says which router it uses, the review step
// previews the HTTPRoute write as it does a VirtualService's, and the task steers the HTTPRoute.
import { expect, test } from "@playwright/test";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "../test/integration/helpers/cluster";
import { kube } from "../test/integration/helpers/bookinfo";
import { getRoute, ruleWeights, seedReviewsGateway } from "../test/integration/helpers/gateway";
import { runAction, screenshot, tryDeployment, wizardToTraffic, type Env } from "./helpers";

const BASE = process.env.GC_BASE_URL ?? "http://127.0.0.1:3100";
let ns: TestNamespace | undefined;
test.afterEach(async () => {
  await ns?.delete().catch(() => undefined);
  ns = undefined;
});

async function gatewayNamespace(): Promise<Env> {
  const kc = loadKubeConfig();
  const k = kube(kc);
  ns = await createTestNamespace(kc, "e2e-gwapi");
  await seedReviewsGateway(k, ns.name);
  return { k, ns };
}

test("canary on an HTTPRoute-routed service: router badge, HTTPRoute in the preview, weights on the HTTPRoute", async ({
  page,
}) => {
  const env = await gatewayNamespace();
  await page.goto(`/namespaces/${env.ns.name}`);
  await expect(page.getByTestId("router-reviews")).toHaveAttribute("data-router", "gateway-api");
  await expect(page.getByTestId("router-reviews")).toContainText("Gateway API");
  await expect(page.getByTestId("router-reviews")).toContainText("HTTPRoute reviews");

  await wizardToTraffic(page, env, "reviews-gw", "canary");
  await page.getByTestId("traffic-input").fill("20");
  await page.getByTestId("wizard-next").click();
  const preview = page.getByTestId("preview-yaml");
  await expect(preview).toContainText("kind: HTTPRoute");
  await expect(preview).toContainText("name: gc-reviews-gw-default");
  await expect(preview).toContainText("name: reviews-v2");
  await expect(preview).not.toContainText("kind: VirtualService");
  await screenshot(page, "wizard-review-httproute-en");
  // the preview changed nothing
  expect(await tryDeployment(env.k, env.ns.name, "reviews-v2")).toBeNull();
  await page.getByTestId("wizard-create").click();
  await page.waitForURL(/\/releases\/[a-z0-9]+$/);
  await expect
    .poll(() => ruleWeights(getRoute(env.ns.name), "gc-reviews-gw-default"), { timeout: 30_000 })
    .toEqual({ "reviews-v1": 80, "reviews-v2": 20 });
  await expect(page.getByTestId("task-router")).toHaveAttribute("data-router", "gateway-api");

  await runAction(page, "takeover");
  await expect
    .poll(() => ruleWeights(getRoute(env.ns.name), "gc-reviews-gw-default"), { timeout: 15_000 })
    .toEqual({ "reviews-v1": 0, "reviews-v2": 100 });
});

test("the router badge in 简体中文", async ({ page }) => {
  const env = await gatewayNamespace();
  await page.context().addCookies([{ name: "gc-locale", value: "zh-CN", url: BASE }]);
  await page.goto(`/namespaces/${env.ns.name}/services/reviews`);
  await expect(page.getByTestId("router-reviews")).toHaveAttribute("data-router", "gateway-api");
  const title = await page.getByTestId("router-reviews").locator("[title]").getAttribute("title");
  expect(title).toContain("由 Gateway API 路由");
});
