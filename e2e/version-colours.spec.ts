// One colour per version on the task page: v2 looks the same in the traffic bar, the live
// routing, the observed traffic, the charts' lines and legends and its version card, and v1
// likewise in another colour. Read from the RENDERED styles (getComputedStyle), with the mesh
// simulator's traffic feeding Prometheus so the observed panels and the charts exist.
import { expect, test, type Page } from "@playwright/test";
import {
  expectWeights,
  reviewAndCreate,
  reviewsNamespace,
  screenshot,
  tryDeployment,
  waitFor,
  wizardToTraffic,
  type Env,
} from "./helpers";
import { createTestNamespace, loadKubeConfig } from "../test/integration/helpers/cluster";
import { kube, seedReviewsWithJasonOnV3 } from "../test/integration/helpers/bookinfo";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
});

/** The panels of the task page that draw versions, by the element that holds them. */
const PANELS = {
  "traffic bar": '[data-testid="configured-weights"]',
  "live routing": '[data-testid="live-routing"]',
  "observed traffic: configured": '[data-testid="metrics-configured"]',
  "observed traffic: observed": '[data-testid="metrics-observed"]',
  "observed traffic: table": '[data-testid="metrics-summary"]',
  "share chart: lines": '[data-testid="chart-share"] .recharts-wrapper',
  "share chart: legend": '[data-testid="chart-legend-share"]',
  "rps chart: line": '[data-testid="chart-rps"] .recharts-wrapper',
  "rps chart: legend": '[data-testid="chart-legend-rps"]',
  "version card": '[data-testid^="version-card-"]',
  "specification: current weights": '[data-testid="task-spec-current-weights"]',
} as const;

/**
 * The rendered colour of every element of `version` in each panel: background-color for HTML
 * swatches and bar segments, stroke for SVG lines. Each entry lists what that panel shows.
 */
async function renderedColours(page: Page, version: string): Promise<Record<string, string[]>> {
  return page.evaluate(
    ({ panels, version }) => {
      const out: Record<string, string[]> = {};
      for (const [name, selector] of Object.entries(panels)) {
        const elements = [...document.querySelectorAll(selector)].flatMap((panel) => [
          ...panel.querySelectorAll(`[data-version="${version}"]`),
        ]);
        out[name] = elements
          .filter((el) => (el instanceof SVGElement ? el.tagName !== "g" && el.tagName !== "svg" : el.tagName !== "LI"))
          .map((el) => {
            const style = getComputedStyle(el);
            return el instanceof SVGElement ? style.stroke : style.backgroundColor;
          });
      }
      return out;
    },
    { panels: PANELS, version },
  );
}

/** A computed style of the first element matching `selector`, read in one step (charts re-render while polling). */
async function styleOf(
  page: Page,
  selector: string,
  property: "stroke" | "strokeDasharray" | "backgroundColor",
): Promise<string | null> {
  return page.evaluate(
    ({ selector, property }) => {
      const el = document.querySelector(selector);
      return el ? getComputedStyle(el)[property] : null;
    },
    { selector, property },
  );
}

function distinct(colours: Record<string, string[]>): string[] {
  return [...new Set(Object.values(colours).flat())];
}

test("a version has one colour in every panel of the task page, v1 another", async ({ page }) => {
  env = await reviewsNamespace("e2e-colours");
  await env.k.core.patchNamespacedService({
    namespace: env.ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "100" } }],
  });
  await wizardToTraffic(page, env, "reviews-colours", "canary");
  await page.getByTestId("traffic-input").fill("30");
  await reviewAndCreate(page);
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1,
    { description: "reviews-v2 Ready" },
  );
  await expectWeights(env, { v1: 70, v2: 30 });

  // Both versions measured: their observed share, their chart lines, their legend entries.
  await expect(page.locator('[data-testid="metrics-observed"] [data-version="v2"]').first()).toBeVisible({
    timeout: 90_000,
  });
  await expect(page.locator('[data-testid="chart-share"] path[data-version="v2"][data-series="observed"]')).toHaveCount(
    1,
    { timeout: 60_000 },
  );
  await expect(page.locator('[data-testid="live-routing"] [data-version="v2"]').first()).toBeVisible();

  const v2 = await renderedColours(page, "v2");
  const v1 = await renderedColours(page, "v1");
  for (const [name, colours] of [...Object.entries(v2), ...Object.entries(v1)])
    expect(colours.length, `${name} shows the version`).toBeGreaterThan(0);
  expect(distinct(v2), `v2's colours per panel: ${JSON.stringify(v2)}`).toHaveLength(1);
  expect(distinct(v1), `v1's colours per panel: ${JSON.stringify(v1)}`).toHaveLength(1);
  expect(distinct(v1)[0]).not.toBe(distinct(v2)[0]);
  // The chart draws the observed line solid and the configured one dashed, and the legend says so with the same strokes.
  const dash = (selector: string) => styleOf(page, selector, "strokeDasharray");
  expect(await dash('[data-testid="chart-share"] path[data-version="v2"][data-series="observed"]')).toBe("none");
  expect(await dash('[data-testid="chart-legend-share"] line[data-version="v2"][data-series="observed"]')).toBe("none");
  const configuredDash = await dash('[data-testid="chart-share"] path[data-version="v2"][data-series="configured"]');
  expect(configuredDash).not.toBe("none");
  expect(await dash('[data-testid="chart-legend-share"] line[data-version="v2"][data-series="configured"]')).toBe(
    configuredDash,
  );
  await screenshot(page, "task-version-colours-en");
});

test("a task's charts show only its versions, from a 'task started' marker, on round ticks", async ({ page }) => {
  env = await reviewsNamespace("e2e-taskcharts");
  await env.k.core.patchNamespacedService({
    namespace: env.ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "100" } }],
  });
  await wizardToTraffic(page, env, "reviews-charts", "canary");
  await page.getByTestId("traffic-input").fill("50");
  await reviewAndCreate(page);
  await waitFor(
    async () => ((await tryDeployment(env!.k, env!.ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1,
    { description: "reviews-v2 Ready" },
  );
  await expect(page.locator('[data-testid="chart-share"] path[data-version="v2"][data-series="observed"]')).toHaveCount(
    1,
    { timeout: 90_000 },
  );

  // Legend entries: v1 and v2 observed and configured, nothing for versions or lines that cannot exist.
  const legend = page.getByTestId("chart-legend-share").locator("li");
  await expect(legend).toHaveCount(4);
  expect(
    await legend.evaluateAll((items) =>
      items.map((li) => `${li.getAttribute("data-version")}/${li.getAttribute("data-series")}`),
    ),
  ).toEqual(["v1/observed", "v1/configured", "v2/observed", "v2/configured"]);
  await expect(page.getByTestId("metrics-charts")).not.toContainText("unknown");

  // The marker of the task's start, inside the plot (the default range starts just before it).
  await expect(page.getByTestId("metrics-range")).toHaveValue("task");
  await expect(page.locator('[data-testid="chart-share"] .task-started')).toHaveCount(1);
  await expect(page.getByTestId("chart-share")).toContainText("task started");

  // Percent ticks are exactly 0/25/50/75/100; value ticks are round; time ticks are whole and all drawn.
  const ticks = (chart: string, axis: "x" | "y") =>
    page
      .locator(`[data-testid="chart-${chart}"] .recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`)
      .allTextContents();
  expect(await ticks("share", "y")).toEqual(["0%", "25%", "50%", "75%", "100%"]);
  expect(await ticks("successRate", "y")).toEqual(["0%", "25%", "50%", "75%", "100%"]);
  const rps = await ticks("rps", "y");
  expect(rps.length).toBeGreaterThanOrEqual(3);
  for (const label of rps) expect(label).toMatch(/^\d{1,3}(,\d{3})*(\.\d{1,2})?$/);
  const times = await ticks("share", "x");
  expect(times.length).toBeGreaterThanOrEqual(2);
  for (const label of times) expect(label).toMatch(/^\d{2}:\d{2}(:\d{2})?$/);
  expect(await ticks("rps", "x")).toEqual(times);
  await screenshot(page, "task-charts-en");
});

test("other releases' versions are one 'other traffic' line; requests that reached no version one red line with their reason", async ({
  page,
}) => {
  // reviews where jason's requests (10 % of the simulator's users) go to v3, another team's release.
  const kc = loadKubeConfig();
  const k = kube(kc);
  const ns = await createTestNamespace(kc, "e2e-othertraffic");
  env = { k, ns };
  await seedReviewsWithJasonOnV3(k, ns.name);
  await k.core.patchNamespacedService({
    namespace: ns.name,
    name: "reviews",
    body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "100" } }],
  });

  await wizardToTraffic(page, env, "reviews-other", "canary");
  await page.getByTestId("traffic-input").fill("50");
  await reviewAndCreate(page);
  await waitFor(async () => ((await tryDeployment(k, ns.name, "reviews-v2"))?.status?.readyReplicas ?? 0) >= 1, {
    description: "reviews-v2 Ready",
  });

  // v3 is not this task's: its traffic is the grey "other traffic" line, never "v3" nor "unknown".
  const rpsLegend = page.getByTestId("chart-legend-rps").locator("li");
  await expect(page.getByTestId("chart-legend-rps").locator('li[data-version="__other__"]')).toHaveText(
    "other traffic",
    { timeout: 90_000 },
  );
  const versions = async () => rpsLegend.evaluateAll((items) => items.map((li) => li.getAttribute("data-version")));
  expect(await versions()).toEqual(["v1", "v2", "__other__"]);
  await expect(page.getByTestId("metrics-charts")).not.toContainText("v3");
  await expect(page.getByTestId("metrics-charts")).not.toContainText("unknown");
  await expect(page.getByTestId("metrics-row-__other__")).toContainText("other traffic");

  // v2 loses its pods while it still has 50 %: the callers get 503 UH, reported by them only.
  await k.apps.patchNamespacedDeployment({
    namespace: ns.name,
    name: "reviews-v2",
    body: [{ op: "replace", path: "/spec/replicas", value: 0 }],
  });
  const failed = page.getByTestId("chart-legend-rps").locator('li[data-series="failed"]');
  await expect(failed).toHaveText("failed before reaching a version: no healthy upstream (UH)", { timeout: 90_000 });
  expect(await styleOf(page, '[data-testid="chart-rps"] path[data-series="failed"]', "stroke")).toBe(
    "rgb(220, 38, 38)",
  );
  expect(await styleOf(page, '[data-testid="chart-legend-rps"] line[data-series="failed"]', "stroke")).toBe(
    "rgb(220, 38, 38)",
  );
  await screenshot(page, "task-other-traffic-en");
});
