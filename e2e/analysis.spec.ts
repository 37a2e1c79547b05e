// The task page's Analysis panel: each metric's measurements with the threshold drawn, the runs
// with each verdict and the reason in words, in English and in Chinese (no English word left).
import { expect, test } from "@playwright/test";
import { untranslatedWords } from "../lib/i18n/latin-words";
import { reviewsNamespace, screenshot, V2_IMAGE, type Env } from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
});

for (const locale of ["en", "zh-CN"] as const) {
  test(`the analysis panel shows measurements, thresholds and reasons (${locale})`, async ({ page, context }) => {
    test.setTimeout(120_000);
    env = await reviewsNamespace(`e2e-analysis-${locale.toLowerCase()}`);
    await env.k.core.patchNamespacedService({
      namespace: env.ns.name,
      name: "reviews",
      body: [{ op: "add", path: "/metadata/annotations", value: { "mesh-sim.gray-console.io/rps": "40" } }],
    });
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    const res = await page.request.post("/api/tasks", {
      data: {
        name: "analysed",
        namespace: env.ns.name,
        service: "reviews",
        strategy: "canary",
        newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
        traffic: { weights: { v1: 50, v2: 50 } },
        analysis: {
          interval: "5s",
          inconclusiveLimit: 20,
          background: true,
          metrics: [
            { name: "success-rate", min: 99 },
            { name: "latency-p99", max: 500 },
          ],
        },
      },
    });
    expect(res.status()).toBe(201);
    const id = (await res.json()).task.id as string;
    await page.goto(`/releases/${id}`);
    const panel = page.getByTestId("analysis-panel");
    await expect(panel.getByRole("heading")).toHaveText(locale === "en" ? "Analysis" : "指标分析");
    await expect(page.getByTestId("analysis-run").first()).toHaveAttribute("data-verdict", "pass", { timeout: 60_000 });
    await expect(page.getByTestId("analysis-chart-success-rate")).toHaveAttribute("data-threshold", "99");
    await expect(page.getByTestId("analysis-chart-latency-p99")).toHaveAttribute("data-threshold", "500");
    await expect(page.locator("[data-testid=analysis-chart-success-rate] .analysis-threshold")).toHaveCount(1);
    const reason = page
      .locator('[data-testid=analysis-run] li[data-metric="success-rate"][data-verdict="pass"]')
      .first();
    await expect(reason).toContainText(
      locale === "en"
        ? /^success rate [\d.]+% >= 99% over 10 s, \d+ requests$/
        : /^成功率 [\d.]+% >= 99%（10 秒内，\d+ 个请求）$/,
    );
    // biome-ignore lint/performance/useDomNodeTextContent: the words a reader sees (innerText), as the zh-CN walk reads them
    if (locale === "zh-CN") expect(untranslatedWords(await panel.innerText(), new Set(["v2"]))).toEqual([]);
    await screenshot(page, `task-analysis-${locale}`);
  });
}
