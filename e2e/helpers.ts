// Shared set-up for browser tests: a private namespace with Istio's Bookinfo `reviews`
// (v1 at 100%), and readers of the cluster objects, so each scenario checks what kubectl
// would see after every step, not only the page.
import { expect, type Page } from "@playwright/test";
import { createTestNamespace, loadKubeConfig, waitFor, type TestNamespace } from "../test/integration/helpers/cluster";
import {
  defaultWeights,
  deploymentNames,
  getDR,
  getVS,
  kube,
  seedReviews,
  tryDeployment,
  type Kube,
} from "../test/integration/helpers/bookinfo";

export { defaultWeights, deploymentNames, getDR, getVS, tryDeployment, waitFor };

export const V2_IMAGE = "docker.io/istio/examples-bookinfo-reviews-v2:1.20.2";

export interface Env {
  k: Kube;
  ns: TestNamespace;
}

export async function reviewsNamespace(prefix: string, opts: { v1Replicas?: number } = {}): Promise<Env> {
  const kc = loadKubeConfig();
  const k = kube(kc);
  const ns = await createTestNamespace(kc, prefix);
  await seedReviews(k, ns.name);
  if (opts.v1Replicas && opts.v1Replicas !== 1) {
    await k.apps.patchNamespacedDeployment({
      namespace: ns.name,
      name: "reviews-v1",
      body: [{ op: "replace", path: "/spec/replicas", value: opts.v1Replicas }],
    });
    await waitFor(
      async () => ((await tryDeployment(k, ns.name, "reviews-v1"))?.status?.readyReplicas ?? 0) === opts.v1Replicas,
      { description: "reviews-v1 scaled" },
    );
  }
  return { k, ns };
}

/** Eventually-consistent check of the live VirtualService's default-route weights. */
export async function expectWeights(env: Env, want: Record<string, number>): Promise<void> {
  await expect.poll(async () => defaultWeights(await getVS(env.k, env.ns.name)), { timeout: 15_000 }).toEqual(want);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e-artifacts/screens/${name}.png`, fullPage: true });
}

/** Wizard steps 1-3 for `reviews` with image v2; leaves the wizard on the traffic step. */
export async function wizardToTraffic(
  page: Page,
  env: Env,
  name: string,
  strategy: string,
  replicas = 1,
): Promise<void> {
  await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=${strategy}`);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId(`strategy-option-${strategy}`).click();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("service-option-reviews").click();
  await page.getByTestId("wizard-next").click();
  await page.getByTestId("field-newVersion.version").fill("v2");
  await page.getByTestId("field-newVersion.image").fill(V2_IMAGE);
  await page.getByTestId("field-newVersion.replicas").fill(String(replicas));
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("wizard-step-title")).toHaveAttribute("data-step", "traffic");
}

/** From the traffic step: review (server preview) and create; returns the task id. */
export async function reviewAndCreate(page: Page): Promise<string> {
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("preview-yaml")).toContainText("kind: Deployment");
  await page.getByTestId("wizard-create").click();
  await page.waitForURL(/\/releases\/[a-z0-9]+$/);
  return page.url().split("/").pop()!;
}

/** Clicks an action button and, when it asks, confirms the dialog. */
export async function runAction(page: Page, action: string, confirm = true): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  if (confirm) {
    await expect(page.getByTestId("confirm-dialog-effects")).toBeVisible();
    await page.getByTestId("confirm-dialog-ok").click();
  }
}

/** Moves the task-detail traffic slider to `weight` for the new version by typing, then Apply. */
export async function applyWeight(page: Page, weight: number): Promise<void> {
  await page.getByTestId("traffic-input").fill(String(weight));
  await expect(page.getByTestId("traffic-pending")).toContainText(String(weight));
  await page.getByTestId("traffic-apply").click();
  await expect(page.getByTestId("traffic-applied")).toContainText(`${weight}`);
}
