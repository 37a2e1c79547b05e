// Release steps through the browser: the wizard's "Steps and analysis" with a built-in template
// (edited, and saved for the namespace), the task page's step timeline with its countdown, and
// Promote finishing a pause that waits for it. The VirtualService is read back at each stage.
import { expect, test } from "@playwright/test";
import { expectWeights, reviewAndCreate, reviewsNamespace, screenshot, wizardToTraffic, type Env } from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
  env = undefined;
});

test("steps: a template in the wizard, the timeline counts down, Promote finishes the pause", async ({ page }) => {
  test.setTimeout(180_000);
  env = await reviewsNamespace("e2e-steps");
  await wizardToTraffic(page, env, "reviews-steps", "canary");
  await page.getByTestId("traffic-input").fill("0");

  await page.getByTestId("use-steps").check();
  await page.getByTestId("steps-template").selectOption("builtin-canary-10-30-50-100");
  await expect(page.getByTestId("steps-rows").locator("li")).toHaveCount(7);
  await expect(page.getByTestId("steps-analysis")).toContainText("success rate >= 99");
  await expect(page.getByTestId("steps-value-0")).toHaveValue("10");
  await expect(page.getByTestId("steps-duration-1")).toHaveValue("1m");

  // Edited: timed pauses instead of the minute-long analyses, the last one waits for Promote.
  await page.getByTestId("steps-analysis-clear").click();
  await page.getByTestId("steps-kind-1").selectOption("pause");
  await page.getByTestId("steps-duration-1").fill("20s");
  await page.getByTestId("steps-kind-3").selectOption("pause");
  await page.getByTestId("steps-duration-3").fill("2s");
  await page.getByTestId("steps-kind-5").selectOption("pause");
  await expect(page.getByTestId("steps-duration-5")).toHaveValue("");

  await page.getByTestId("steps-template-name").fill("quick-canary");
  await page.getByTestId("steps-save-template").click();
  await expect(page.getByTestId("steps-template").locator("option", { hasText: "quick-canary" })).toHaveCount(1);
  await screenshot(page, "wizard-steps-en");

  await reviewAndCreate(page);
  await expect(page.getByTestId("steps-timeline")).toBeVisible();
  await expectWeights(env, { v1: 90, v2: 10 });
  await expect(page.getByTestId("step-2")).toHaveAttribute("data-phase", "current");
  const countdown = page.getByTestId("step-countdown");
  await expect(countdown).toContainText(/0:[01]\d/);
  const first = await countdown.textContent();
  await expect.poll(async () => countdown.textContent(), { timeout: 5000 }).not.toBe(first);
  await expect(page.getByTestId("step-1")).toHaveAttribute("data-phase", "done");
  await screenshot(page, "task-steps-en");

  // 30% after the 20 s pause, 50% after the 2 s one; then it waits for Promote.
  await expect(page.getByTestId("step-6")).toHaveAttribute("data-phase", "current", { timeout: 60_000 });
  await expectWeights(env, { v1: 50, v2: 50 });
  await expect(page.getByTestId("action-promote")).toHaveAttribute("data-primary", "true");

  await page.getByTestId("action-promote").click();
  await expect(page.getByTestId("confirm-dialog-effects")).toContainText("step 7 of 7");
  await page.getByTestId("confirm-dialog-ok").click();
  await expectWeights(env, { v1: 0, v2: 100 });
  await expect(page.getByTestId("step-7")).toHaveAttribute("data-phase", "done");
  await expect(page.getByTestId("action-retireOld")).toHaveAttribute("data-primary", "true");
});

test("a saved step template is deleted from the wizard after a confirmation; built-in ones have no delete button", async ({
  page,
  request,
}) => {
  env = await reviewsNamespace("e2e-steps-del");
  const saved = await request.post(`/api/namespaces/${env.ns.name}/step-templates`, {
    data: { name: "team-plan", steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 100 }] },
  });
  expect(saved.status()).toBe(201);
  await wizardToTraffic(page, env, "reviews-steps-del", "canary");
  await page.getByTestId("use-steps").check();

  await page.getByTestId("steps-template").selectOption("builtin-canary-10-30-50-100");
  await expect(page.getByTestId("steps-template-delete")).toHaveCount(0);

  await page.getByTestId("steps-template").selectOption("team-plan");
  await page.getByTestId("steps-template-delete").click();
  await expect(page.getByTestId("confirm-dialog-effects")).toContainText(`namespace ${env.ns.name}`);
  await page.getByTestId("confirm-dialog-ok").click();
  await expect(page.getByTestId("steps-template").locator("option", { hasText: "team-plan" })).toHaveCount(0);
  await expect(page.getByTestId("steps-template")).toHaveValue("");
  const list = await (await request.get(`/api/namespaces/${env.ns.name}/step-templates`)).json();
  expect(list.templates.map((x: { name: string }) => x.name)).not.toContain("team-plan");
});

test("a content canary's setMatch step is edited with the rules editor and sent as written", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  env = await reviewsNamespace("e2e-steps-match");
  await wizardToTraffic(page, env, "reviews-steps-match", "canary");
  await page.getByTestId("use-match").check();
  await page.getByTestId("add-rule-header-traffic.match").click();
  await page.getByTestId("field-traffic.match[0].name").fill("end-user");
  await page.getByTestId("field-traffic.match[0].value").fill("jason");
  await page.getByTestId("use-steps").check();
  await page.getByTestId("steps-add").click();
  await page.getByTestId("steps-kind-0").selectOption("setWeight");
  await page.getByTestId("steps-value-0").fill("20");
  await page.getByTestId("steps-add").click();
  await page.getByTestId("steps-kind-1").selectOption("setMatch");
  await page.getByTestId("field-steps[1].setMatch[0].name").fill("x-beta");
  await page.getByTestId("field-steps[1].setMatch[0].value").fill("1");
  await page.getByTestId("steps-add").click();
  await page.getByTestId("steps-kind-2").selectOption("pause");
  await screenshot(page, "wizard-steps-setmatch-en");
  const id = await reviewAndCreate(page);
  const task = (await (await request.get(`/api/tasks/${id}`)).json()).task;
  expect(task.spec.steps).toEqual([
    { setWeight: 20 },
    { setMatch: [{ kind: "header", name: "x-beta", op: "exact", value: "1" }] },
    { pause: {} },
  ]);
});
