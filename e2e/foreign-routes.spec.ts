// A route someone else added to the reviews VirtualService (Istio's reviews-jason shape, but to
// v1) is not the release's own. The task page lists it wherever an action would leave it on v1:
// left alone, Retire is refused in the reader's language, recorded in History, with a way back
// into the dialog; moved along, it goes to v2 in the same recorded change. The cluster is read
// back from the API server after each step, as kubectl would.
import { expect, test } from "@playwright/test";
import { ISTIO } from "../test/integration/helpers/bookinfo";
import {
  deploymentNames,
  expectWeights,
  getVS,
  reviewsNamespace,
  screenshot,
  V2_IMAGE,
  waitFor,
  type Env,
} from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
  env = undefined;
});

const JASON = {
  match: [{ headers: { "end-user": { exact: "jason" } } }],
  route: [{ destination: { host: "reviews", subset: "v1" } }],
};

/** What `kubectl edit vs reviews` would do: jason's requests pinned to v1, before the release starts. */
async function addJasonRoute(env: Env): Promise<void> {
  const vs = await getVS(env.k, env.ns.name);
  vs.spec.http = [JASON, ...vs.spec.http];
  await env.k.custom.replaceNamespacedCustomObject({
    ...ISTIO,
    namespace: env.ns.name,
    plural: "virtualservices",
    name: "reviews",
    body: vs,
  });
}

const text = {
  en: {
    route: "Route 1 of VirtualService reviews (unnamed, http[0])",
    match: "header end-user equals jason",
    refusal: "cannot retireOld: reviews/http[0] still routes traffic to v1",
    moved: "Moved to v2 too: reviews/http[0]",
  },
  "zh-CN": {
    route: "VirtualService reviews 的第 1 条路由（未命名，http[0]）",
    match: "请求头 end-user 等于 jason",
    refusal: "无法下线旧版本：reviews/http[0] 仍把流量发往 v1",
    moved: "同时迁移到 v2：reviews/http[0]",
  },
} as const;

for (const locale of ["en", "zh-CN"] as const) {
  test(`a foreign route on v1: listed at take-over and retire, the refusal translated and in History, then moved to v2 (${locale})`, async ({
    page,
    context,
  }) => {
    const say = text[locale];
    env = await reviewsNamespace(`e2e-foreign-${locale.toLowerCase()}`);
    await addJasonRoute(env);
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    const res = await page.request.post("/api/tasks", {
      data: {
        name: "jason",
        namespace: env.ns.name,
        service: "reviews",
        strategy: "canary",
        newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
        traffic: { weights: { v1: 50, v2: 50 } },
        rollout: { drainSeconds: 0 },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    await page.goto(`/releases/${(await res.json()).task.id}`);
    await expectWeights(env, { v1: 50, v2: 50 });

    // At 50%: Take over leads; Retire is shown, disabled, with its reason.
    await expect(page.getByTestId("action-takeover")).toHaveAttribute("data-primary", "true");
    await expect(page.getByTestId("action-retireOld")).toBeDisabled();
    await expect(page.getByTestId("action-reason-retireOld")).toBeVisible();

    // Take over lists the jason route, unchecked; left so, it stays on v1.
    await page.getByTestId("action-takeover").click();
    const takeRoute = page.locator('[data-testid=foreign-route][data-route="reviews/http[0]"]');
    await expect(takeRoute).toContainText(say.route);
    await expect(takeRoute).toContainText(say.match);
    await expect(takeRoute.getByTestId("move-route")).not.toBeChecked();
    await page.getByTestId("confirm-dialog-ok").click();
    await expectWeights(env, { v1: 0, v2: 100 });
    expect((await getVS(env.k, env.ns.name)).spec.http[0]).toEqual(JASON);

    // After take-over the next step is Retire.
    await expect(page.getByTestId("action-retireOld")).toHaveAttribute("data-primary", "true");
    await expect(page.getByTestId("action-retireOld")).toBeEnabled();
    await expect(page.getByTestId("action-takeover")).not.toHaveAttribute("data-primary", "true");

    // (a) Retire without moving it: refused, translated, recorded, nothing changed.
    await page.getByTestId("action-retireOld").click();
    await expect(page.locator('[data-testid=foreign-route][data-route="reviews/http[0]"]')).toContainText(say.match);
    await screenshot(page, `retire-foreign-route-dialog-${locale}`);
    await page.getByTestId("confirm-dialog-ok").click();
    await expect(page.getByTestId("action-refusal-message")).toContainText(say.refusal);
    const refusedEvent = page.locator("[data-testid=event][data-action=retireOld][data-result=error]");
    await expect(refusedEvent.getByTestId("event-error")).toContainText(say.refusal);
    await screenshot(page, `retire-refused-${locale}`);
    expect(await deploymentNames(env.k, env.ns.name)).toEqual(["reviews-v1", "reviews-v2"]);
    expect((await getVS(env.k, env.ns.name)).spec.http[0]).toEqual(JASON);
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "progressing");

    // (b) The way out: the dialog again, the route chosen, and retire goes through.
    await page.getByTestId("action-refusal-reopen").click();
    const retireRoute = page.locator('[data-testid=foreign-route][data-route="reviews/http[0]"]');
    await expect(retireRoute.getByTestId("move-route")).not.toBeChecked();
    await retireRoute.getByTestId("move-route").check();
    await page.getByTestId("confirm-dialog-ok").click();
    await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "completed", { timeout: 30_000 });
    await expect(page.getByTestId("action-refusal")).toHaveCount(0);
    const live = await getVS(env.k, env.ns.name);
    expect(live.spec.http[0].match).toEqual(JASON.match);
    expect(live.spec.http[0].route).toEqual([{ destination: { host: "reviews", subset: "v2" } }]);
    await waitFor(async () => (await deploymentNames(env!.k, env!.ns.name)).join() === "reviews-v2", {
      description: "only reviews-v2 remains",
    });
    await expect(
      page.locator("[data-testid=event][data-action=retireOld][data-result=ok] [data-testid=event-moved-routes]"),
    ).toContainText(say.moved);
  });
}
