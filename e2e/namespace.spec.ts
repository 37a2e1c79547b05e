import { expect, test } from "@playwright/test";

// Issue 2's acceptance check, as a user sees it: the Bookinfo namespace page shows reviews
// served 100% by v1.
test("bookinfo namespace page shows reviews v1 at 100%", async ({ page }) => {
  await page.goto("/namespaces/bookinfo");
  const row = page.getByTestId("service-row-reviews");
  await expect(row).toBeVisible();
  await expect(row).toContainText("v1");
  const bar = page.getByTestId("routing-bar-reviews");
  await expect(bar).toContainText("v1");
  await expect(bar).toContainText("100%");
  await page.screenshot({ path: "e2e-artifacts/screens/namespace-bookinfo.png", fullPage: true });
});
