// Every page in both languages, kept as artifacts (e2e-artifacts/screens); the language
// switch in the header is remembered across navigation and reloads.
import { expect, test } from "@playwright/test";
import { reviewsNamespace, V2_IMAGE, type Env } from "./helpers";

let env: Env | undefined;
let taskId = "";
test.beforeAll(async ({ request }) => {
  env = await reviewsNamespace("e2e-screens");
  const res = await request.post("/api/tasks", {
    data: {
      name: "screens",
      namespace: env.ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
      traffic: { weights: { v1: 80, v2: 20 } },
    },
  });
  expect(res.status()).toBe(201);
  taskId = (await res.json()).task.id;
});
test.afterAll(async () => {
  await env?.ns.delete().catch(() => undefined);
});

const pages = (): [string, string][] => [
  ["overview", "/"],
  ["namespaces", "/namespaces"],
  ["namespace-bookinfo", "/namespaces/bookinfo"],
  ["service-reviews", "/namespaces/bookinfo/services/reviews"],
  ["releases", "/releases"],
  ["wizard", `/releases/new?namespace=${env!.ns.name}&service=reviews`],
  ["task-detail", `/releases/${taskId}`],
  ["not-found", "/no/such/page"],
];

for (const locale of ["en", "zh-CN"] as const) {
  test(`every page renders in ${locale}`, async ({ page, context }) => {
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    for (const [name, path] of pages()) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.locator("main")).toBeVisible();
      if (name === "task-detail") {
        await expect(page.getByTestId("traffic-slider")).toBeVisible();
        await expect(page.getByTestId("event").first()).toBeVisible();
      }
      if (name === "namespace-bookinfo") await expect(page.getByTestId("routing-bar-reviews")).toContainText("100%");
      await page.screenshot({ path: `e2e-artifacts/screens/${name}-${locale}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`/releases/${taskId}`);
    await page.screenshot({ path: `e2e-artifacts/screens/task-detail-1920-${locale}.png`, fullPage: true });
  });
}

test("the language switch changes every label and is remembered", async ({ page }) => {
  await page.goto("/releases");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.locator("header nav").first()).toContainText("灰度发布");
  await page.goto("/namespaces");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});
