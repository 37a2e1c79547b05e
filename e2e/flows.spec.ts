// The release flows of the seeds, driven through the browser. After every step the cluster
// objects are read back (as kubectl would), not only the page.
import { expect, test } from "@playwright/test";
import {
  applyWeight,
  deploymentNames,
  expectWeights,
  getDR,
  getVS,
  reviewAndCreate,
  reviewsNamespace,
  runAction,
  screenshot,
  tryDeployment,
  waitFor,
  wizardToTraffic,
  type Env,
} from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
  env = undefined;
});

test("KubeSphere flow: canary v1 -> v2 at 50% through the wizard, take over, retire v1", async ({ page }) => {
  env = await reviewsNamespace("e2e-ks");
  await wizardToTraffic(page, env, "reviews-ks", "canary");
  await page.getByTestId("traffic-input").fill("50");
  await expect(page.getByTestId("split-summary")).toContainText("50");
  await screenshot(page, "wizard-traffic-en");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("preview-yaml")).toContainText("kind: VirtualService");
  await screenshot(page, "wizard-review-en");
  // the preview changed nothing
  expect(await deploymentNames(env.k, env.ns.name)).toEqual(["reviews-v1"]);
  await page.getByTestId("wizard-create").click();
  await page.waitForURL(/\/releases\/[a-z0-9]+$/);
  await expectWeights(env, { v1: 50, v2: 50 });
  expect(await tryDeployment(env.k, env.ns.name, "reviews-v2")).not.toBeNull();
  await screenshot(page, "task-detail-en");

  await runAction(page, "takeover");
  await expectWeights(env, { v1: 0, v2: 100 });
  expect(await tryDeployment(env.k, env.ns.name, "reviews-v1")).not.toBeNull();

  await page.getByTestId("action-retireOld").click();
  await expect(page.getByTestId("confirm-dialog-effects")).toContainText("reviews-v1");
  await page.getByTestId("confirm-dialog-ok").click();
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "completed");
  await waitFor(async () => (await deploymentNames(env!.k, env!.ns.name)).join() === "reviews-v2", {
    description: "only reviews-v2 remains",
  });
  const vs = await getVS(env.k, env.ns.name);
  expect(vs.spec.http[vs.spec.http.length - 1].route).toEqual([{ destination: { host: "reviews", subset: "v2" } }]);
  expect((await getDR(env.k, env.ns.name)).spec.subsets.map((s: { name: string }) => s.name)).not.toContain("v1");
  await expect(page.getByTestId("event").first()).toBeVisible();
});

test("Istio flow: the slider sets 80/20, then 50/50, then 100% v2", async ({ page }) => {
  env = await reviewsNamespace("e2e-istio");
  await wizardToTraffic(page, env, "reviews-istio", "canary");
  await page.getByTestId("traffic-input").fill("0");
  await reviewAndCreate(page);
  await expectWeights(env, { v1: 100, v2: 0 });

  // keyboard: the slider is a real role=slider
  const slider = page.getByTestId("traffic-slider");
  await slider.focus();
  await slider.press("PageUp");
  await slider.press("PageUp");
  await expect(slider).toHaveAttribute("aria-valuenow", "20");
  await page.getByTestId("traffic-apply").click();
  await expectWeights(env, { v1: 80, v2: 20 });

  await applyWeight(page, 50);
  await expectWeights(env, { v1: 50, v2: 50 });
  await expect(slider).not.toHaveAttribute("aria-disabled", "true");
  await slider.focus();
  await slider.press("ArrowRight");
  await expect(slider).toHaveAttribute("aria-valuenow", "51");
  await page.getByTestId("traffic-cancel").click();
  await expect(slider).toHaveAttribute("aria-valuenow", "50");

  await applyWeight(page, 100);
  await expectWeights(env, { v1: 0, v2: 100 });
  await expect(page.locator("[data-testid=event][data-action=setTraffic]")).toHaveCount(3);
});

test("EDAS batch flow: 3 replicas, one per group, beta group, weight change during a pause", async ({ page }) => {
  env = await reviewsNamespace("e2e-batch", { v1Replicas: 3 });
  await wizardToTraffic(page, env, "reviews-batch", "batch", 3);
  await page.getByTestId("field-batch.groups").fill("3");
  await page.getByTestId("field-batch.betaGroup").check();
  await expect(page.getByTestId("batch-plan")).toContainText("1");
  await reviewAndCreate(page);
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "awaiting-confirmation");
  // The first group is the beta group the wizard asked for, and the page says so.
  await expect(page.getByTestId("batch-group-1").getByTestId("batch-beta-label")).toBeVisible();
  await expect(page.getByTestId("batch-group-2").getByTestId("batch-beta-label")).toHaveCount(0);
  const replicas = async () => [
    (await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.spec?.replicas,
    (await tryDeployment(env!.k, env!.ns.name, "reviews-v1"))?.spec?.replicas,
  ];
  // v1 gives up its pod only once v2's is Ready (make before break): the page says so until then.
  await expect(page.getByTestId("operation-banner")).toHaveCount(0, { timeout: 30_000 });
  expect(await replicas()).toEqual([1, 2]);
  await screenshot(page, "task-batch-en");

  await runAction(page, "pause", false);
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "paused");
  await applyWeight(page, 50);
  await expectWeights(env, { v1: 50, v2: 50 });
  await runAction(page, "resume", false);
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "awaiting-confirmation");

  // Group 2: the dialog shows the replicas it produces and keeps the 50/50 set during the pause unless told otherwise.
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1,
    { description: "group 1 ready" },
  );
  await page.getByTestId("action-confirm").click();
  await expect(page.getByTestId("confirm-dialog-effects")).toContainText("v2 runs 2 replica(s), v1 1");
  await expect(page.getByTestId("split-keep")).toBeChecked();
  await expect(page.getByTestId("split-outcome")).toContainText("v1 50% · v2 50%");
  await screenshot(page, "batch-confirm-keep-en");
  await page.getByTestId("confirm-dialog-ok").click();
  await expect.poll(replicas, { timeout: 15_000 }).toEqual([2, 1]);
  await expectWeights(env, { v1: 50, v2: 50 });
  // Group 3, the last: all replicas and all traffic to v2.
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 2,
    { description: "group 2 ready" },
  );
  await runAction(page, "confirm");
  await expect.poll(replicas, { timeout: 15_000 }).toEqual([3, 0]);
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "completed");
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) === 3,
    { description: "3 v2 pods Ready" },
  );
  const pods = await env.k.core.listNamespacedPod({ namespace: env.ns.name, labelSelector: "app=reviews,version=v1" });
  await waitFor(
    async () =>
      (await env!.k.core.listNamespacedPod({ namespace: env!.ns.name, labelSelector: "app=reviews,version=v1" })).items
        .length === 0 || pods.items.length === 0,
    { description: "0 v1 pods" },
  );
  await expectWeights(env, { v1: 0, v2: 100 });
  // v1 scaled to 0 of 0: an empty bar, not a full green one.
  await expect(page.getByTestId("version-card-v1").getByRole("progressbar")).toHaveAttribute("data-fill", "none");
  await expect(page.getByTestId("version-card-v2").getByRole("progressbar")).toHaveAttribute("data-fill", "complete");
});

test("Blue-green: green at 0%, testers reach it by the preview header, switch, roll back", async ({ page }) => {
  env = await reviewsNamespace("e2e-bg");
  await wizardToTraffic(page, env, "reviews-bg", "blue-green");
  await page.getByTestId("use-preview").check();
  await page.getByTestId("field-traffic.previewHeader.name").fill("x-tester");
  await page.getByTestId("field-traffic.previewHeader.value").fill("green");
  await reviewAndCreate(page);
  await expectWeights(env, { v1: 100, v2: 0 });
  const vs = await getVS(env.k, env.ns.name);
  const preview = vs.spec.http.find((r: { name?: string }) => r.name?.endsWith("-preview"));
  expect(preview.match).toEqual([{ headers: { "x-tester": { exact: "green" } } }]);
  expect(preview.route[0].destination.subset).toBe("v2");

  await expect(page.getByTestId("action-switch")).toHaveAttribute("data-primary", "true");
  await runAction(page, "switch");
  await expectWeights(env, { v1: 0, v2: 100 });
  expect(await tryDeployment(env.k, env.ns.name, "reviews-v1")).not.toBeNull();
  // After the switch the next step is Retire, with Roll back beside it.
  await expect(page.getByTestId("action-retireOld")).toHaveAttribute("data-primary", "true");
  await expect(page.getByTestId("action-rollback")).toBeEnabled();
  await runAction(page, "rollback");
  await expectWeights(env, { v1: 100, v2: 0 });
  await expect(page.getByTestId("task-detail")).toHaveAttribute("data-state", "rolled-back");
});

test("Bad input in the wizard: weights not summing to 100, a bad image, a duplicate name — errors beside the field, nothing created", async ({
  page,
}) => {
  env = await reviewsNamespace("e2e-bad");
  const before = (await getVS(env.k, env.ns.name)).metadata.resourceVersion;
  const deploymentsBefore = await deploymentNames(env.k, env.ns.name);

  // A/B variant weights that sum to 90
  await wizardToTraffic(page, env, "reviews-ab", "ab-test");
  const weights = page.locator("[data-testid$='.weight']");
  await expect(weights.first()).toBeVisible();
  const count = await weights.count();
  await weights.nth(0).fill("40");
  for (let i = 1; i < count; i++) await weights.nth(i).fill(i === 1 ? "50" : "");
  await page.getByTestId("wizard-next").click();
  await expect(page.locator("[data-testid^='field-error-traffic']").first()).toContainText(/100/);
  await screenshot(page, "wizard-error-weights-en");

  // a bad image: back to the version step
  await page.getByTestId("wizard-back").click();
  await page.getByTestId("field-newVersion.image").fill("Docker.io/Bad Image::x");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("field-error-newVersion.image")).toBeVisible();
  // Neither refusal reached the cluster: the VirtualService is untouched and no Deployment was added.
  expect((await getVS(env.k, env.ns.name)).metadata.resourceVersion).toBe(before);
  expect(await deploymentNames(env.k, env.ns.name)).toEqual(deploymentsBefore);

  // a duplicate task name: the server says so at step 1, beside the name
  const res = await page.request.post("/api/tasks", {
    data: {
      name: "taken",
      namespace: env.ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v3", image: "docker.io/istio/examples-bookinfo-reviews-v3:1.20.2", replicas: 1 },
      traffic: { weights: { v1: 100, v3: 0 } },
      rollout: { drainSeconds: 0 },
    },
  });
  expect(res.status()).toBe(201);
  const task = (await res.json()).task;
  expect((await page.request.delete(`/api/tasks/${task.id}`)).status()).toBe(200);
  // An abort frees the name once its operation has removed v3 (after the drain): create a second one that stays.
  await expect
    .poll(async () => (await (await page.request.get(`/api/tasks/${task.id}`)).json()).task.operation, {
      timeout: 30_000,
    })
    .toBeNull();
  const keep = await page.request.post("/api/tasks", {
    data: {
      name: "taken",
      namespace: env.ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v3", image: "docker.io/istio/examples-bookinfo-reviews-v3:1.20.2", replicas: 1 },
      traffic: { weights: { v1: 100, v3: 0 } },
    },
  });
  expect(keep.status()).toBe(201);
  const vsWithTask = (await getVS(env.k, env.ns.name)).metadata.resourceVersion;
  const deployments = await deploymentNames(env.k, env.ns.name);

  // The wizard asks the server before leaving step 1: the name is refused there, beside the field.
  await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=canary`);
  await page.getByTestId("field-name").fill("taken");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("field-error-name")).toContainText(/already exists/);
  await expect(page.getByTestId("wizard-step-title")).toContainText("Step 1 of 5");
  await screenshot(page, "wizard-error-duplicate-en");
  expect((await getVS(env.k, env.ns.name)).metadata.resourceVersion).toBe(vsWithTask);
  expect(await deploymentNames(env.k, env.ns.name)).toEqual(deployments);
});
