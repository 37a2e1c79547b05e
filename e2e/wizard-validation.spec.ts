// The create wizard asks the server before each Next, so a conflict the cluster or the history
// knows (a version that already runs, a taken task name) is said beside its field, in words, on
// the step that shows the field; the step loses its tick and nothing moves on until it is fixed.
import { expect, test } from "@playwright/test";
import { seedReviewsVersion } from "../test/integration/helpers/bookinfo";
import { deploymentNames, reviewsNamespace, screenshot, type Env } from "./helpers";

const V3_IMAGE = "docker.io/istio/examples-bookinfo-reviews-v3:1.20.2";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
  env = undefined;
});

async function openWizard(page: import("@playwright/test").Page, namespace: string, name: string): Promise<void> {
  await page.goto(`/releases/new?namespace=${namespace}&service=reviews&strategy=canary`);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("wizard-step-1")).toHaveAttribute("data-status", "verified");
}

test("a version that already runs: beside the version field at step 3, the step loses its tick, Next and Create refuse until it is v3", async ({
  page,
}) => {
  env = await reviewsNamespace("e2e-wizver");
  await seedReviewsVersion(env.k, env.ns.name, "v2");
  await openWizard(page, env.ns.name, "reviews-next");
  await page.getByTestId("service-option-reviews").click();
  await page.getByTestId("wizard-next").click();

  // Step 3 suggests v3 (v1 and v2 run). Walk on to the review once: every step is ticked, Create is offered.
  await expect(page.getByTestId("field-newVersion.version")).toHaveValue("v3");
  await page.getByTestId("field-newVersion.image").fill(V3_IMAGE);
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("traffic-input")).toBeVisible();
  await expect(page.getByTestId("wizard-step-3-mark")).toHaveText("✓");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("preview-yaml")).toContainText("kind: Deployment");
  await expect(page.getByTestId("wizard-create")).toBeEnabled();

  // Back to step 3 with the label Istio's tutorial uses: v2, which already runs.
  await page.getByTestId("wizard-step-3").click();
  await page.getByTestId("field-newVersion.version").fill("v2");
  await page.getByTestId("wizard-next").click();
  const error = page.getByTestId("field-error-newVersion.version");
  await expect(error).toHaveText("version v2 already exists as Deployment reviews-v2");
  await expect(page.getByTestId("field-newVersion.version")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("wizard-step-title")).toContainText("Step 3 of 5");
  await expect(page.getByTestId("wizard-step-3")).toHaveAttribute("data-status", "error");
  await expect(page.getByTestId("wizard-step-3-mark")).toHaveText("!");
  await expect(page.getByTestId("wizard-next")).toBeDisabled();
  await screenshot(page, "wizard-version-conflict-en");

  // The review, reached from the progress list, names the step and offers no Create.
  await page.getByTestId("wizard-step-5").click();
  await expect(page.getByTestId("review-blocked")).toBeVisible();
  await expect(page.getByTestId("wizard-create")).toBeDisabled();

  // Fixed: v3 clears the error and gives the tick back; Next asks again and the review offers Create.
  await page.getByTestId("review-blocked-step-3").click();
  await page.getByTestId("field-newVersion.version").fill("v3");
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId("wizard-step-3-mark")).toHaveText("✓");
  await expect(page.getByTestId("wizard-next")).toBeEnabled();
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("traffic-input")).toBeVisible();
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("preview-yaml")).toContainText("reviews-v3");
  await expect(page.getByTestId("wizard-create")).toBeEnabled();
  // Every answer so far was a check or a preview: the cluster has what it had.
  expect(await deploymentNames(env.k, env.ns.name)).toEqual(["reviews-v1", "reviews-v2"]);
});

for (const locale of ["en", "zh-CN"] as const) {
  test(`a duplicate task name is shown beside the name field at step 1 (${locale})`, async ({ page, context }) => {
    env = await reviewsNamespace(`e2e-wizdup-${locale.toLowerCase()}`);
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    const res = await page.request.post("/api/tasks", {
      data: {
        name: "taken",
        namespace: env.ns.name,
        service: "reviews",
        strategy: "canary",
        newVersion: { version: "v3", image: V3_IMAGE, replicas: 1 },
        traffic: { weights: { v1: 100, v3: 0 } },
      },
    });
    expect(res.status()).toBe(201);

    await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=canary`);
    await page.getByTestId("field-name").fill("taken");
    await page.getByTestId("wizard-next").click();
    const error = page.getByTestId("field-error-name");
    await expect(error).toHaveText(
      locale === "en"
        ? `a release task named "taken" already exists in namespace "${env.ns.name}"`
        : `命名空间“${env.ns.name}”中已有名为“taken”的发布任务`,
    );
    await expect(page.getByTestId("wizard-step-1")).toHaveAttribute("data-status", "error");
    await expect(page.getByTestId("wizard-next")).toBeDisabled();
    await expect(page.getByTestId("wizard-step-title")).toContainText(
      locale === "en" ? "Step 1 of 5" : "第 1 步（共 5 步）",
    );
    await screenshot(page, `wizard-duplicate-name-${locale}`);

    await page.getByTestId("field-name").fill("taken-2");
    await expect(error).toHaveCount(0);
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("wizard-step-1")).toHaveAttribute("data-status", "verified");
    // The service already has that task running: said at step 2, beside the service list.
    await page.getByTestId("service-option-reviews").click();
    await page.getByTestId("wizard-next").click();
    await expect(page.getByTestId("field-error-service")).toHaveText(
      locale === "en"
        ? `service "reviews" already has an active release task "taken"; finish or abort it first`
        : "服务“reviews”已有进行中的发布任务“taken”；请先完成或中止它",
    );
  });
}

test("while a step is checked Next is busy; a network failure says so and Retry asks again", async ({ page }) => {
  env = await reviewsNamespace("e2e-wiznet");
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/tasks/preview?check=basic", async (route) => {
    await held;
    await route.abort("internetdisconnected");
  });
  await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=canary`);
  await page.getByTestId("field-name").fill("reviews-net");
  await page.getByTestId("wizard-next").click();
  const next = page.getByTestId("wizard-next");
  await expect(next).toHaveAttribute("data-busy", "true");
  await expect(next).toBeDisabled();
  await expect(next).toHaveText("Checking…");
  release();
  await expect(page.getByTestId("wizard-notice")).toContainText(
    "Could not reach the console server to check this step",
  );
  await expect(page.getByTestId("wizard-step-title")).toContainText("Step 1 of 5");

  await page.unroute("**/api/tasks/preview?check=basic");
  await page.getByTestId("wizard-retry").click();
  await expect(page.getByTestId("wizard-step-title")).toContainText("Step 2 of 5");
  await expect(page.getByTestId("wizard-step-1")).toHaveAttribute("data-status", "verified");
});
