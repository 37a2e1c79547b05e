import { defineConfig } from "@playwright/test";

// Browser tests use Debian's Chromium: Playwright's own browser download cannot work offline.
export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e-artifacts/results",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [["list"], ["html", { outputFolder: "e2e-artifacts/report", open: "never" }]],
  use: {
    baseURL: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100",
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.GC_CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
});
