// The task page's Notifications panel: where the task's messages go (no secret shown) and, when
// a receiver is not there, which messages are waiting and why, while the release itself works.
import { expect, test } from "@playwright/test";
import { reviewAndCreate, reviewsNamespace, screenshot, V2_IMAGE, wizardToTraffic, type Env } from "./helpers";

let env: Env | undefined;
test.afterEach(async () => {
  await env?.ns.delete().catch(() => undefined);
});

for (const locale of ["en", "zh-CN"] as const) {
  test(`an unreachable receiver shows on the task page with its reason (${locale})`, async ({ page, context }) => {
    env = await reviewsNamespace(`e2e-notify-${locale.toLowerCase()}`);
    await context.addCookies([
      { name: "gc-locale", value: locale, url: process.env.GC_BASE_URL ?? "http://127.0.0.1:3100" },
    ]);
    const res = await page.request.post("/api/tasks", {
      data: {
        name: "notify",
        namespace: env.ns.name,
        service: "reviews",
        strategy: "canary",
        newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
        traffic: { weights: { v1: 90, v2: 10 } },
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        notifications: [{ type: "webhook", url: "http://127.0.0.1:1/hooks/release?token=abc", secret: "e2e-secret" }],
      },
    });
    expect(res.status()).toBe(201);
    const id = (await res.json()).task.id as string;
    await page.goto(`/releases/${id}`);
    const panel = page.getByTestId("notifications-panel");
    await expect(panel.getByRole("heading")).toHaveText(locale === "en" ? "Notifications" : "通知");
    await expect(page.getByTestId("notification-targets")).toContainText(
      `webhook http://127.0.0.1:1/hooks/release?… (${locale === "en" ? "signed" : "已签名"})`,
    );
    const delivery = page.getByTestId("notification-delivery").first();
    await expect(delivery).toHaveAttribute("data-status", "pending", { timeout: 15_000 });
    await expect(delivery).toContainText(locale === "en" ? "created" : "已创建");
    await expect(page.getByTestId("notification-error").first()).toContainText("ECONNREFUSED", { timeout: 15_000 });
    await expect(page.locator("body")).not.toContainText("e2e-secret");
    await screenshot(page, `task-notifications-${locale}`);
  });
}

test("the wizard sends the release's notification targets: a bad URL beside its field, a secret only for signing platforms", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  env = await reviewsNamespace("e2e-notify-wizard");
  await wizardToTraffic(page, env, "reviews-notify", "canary");
  await expect(page.getByTestId("notify-defaults")).toContainText("No targets");
  await page.getByTestId("notify-add").click();
  await page.getByTestId("notify-type-0").selectOption("slack");
  await expect(page.getByTestId("notify-secret-0")).toHaveCount(0);
  await page.getByTestId("notify-type-0").selectOption("dingtalk");
  await page.getByTestId("notify-url-0").fill("not a url");
  await page.getByTestId("notify-secret-0").fill("SEC-e2e");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("notify-row-0")).toContainText(/URL|url/);
  await page.getByTestId("notify-url-0").fill("http://127.0.0.1:1/robot/send?access_token=abc");
  await screenshot(page, "wizard-notifications-en");
  const id = await reviewAndCreate(page);
  const task = (await (await request.get(`/api/tasks/${id}`)).json()).task;
  expect(task.spec.notifications).toEqual([
    { type: "dingtalk", url: "http://127.0.0.1:1/robot/send?…", secretSet: true },
  ]);
});

test("the namespace page sets its default notification targets; the secret is never shown again", async ({
  page,
  request,
}) => {
  env = await reviewsNamespace("e2e-notify-ns");
  await page.goto(`/namespaces/${env.ns.name}`);
  await expect(page.getByTestId("ns-notify-none")).toBeVisible();
  await page.getByTestId("ns-notify-edit").click();
  await page.getByTestId("ns-notify-add").click();
  await page.getByTestId("notify-url-0").fill("ftp://example");
  await page.getByTestId("ns-notify-save").click();
  await expect(page.getByTestId("ns-notify-error")).toContainText("http(s) URL");
  await page.getByTestId("notify-url-0").fill("http://127.0.0.1:9/hooks/releases");
  await page.getByTestId("notify-secret-0").fill("team-secret");
  await page.getByTestId("ns-notify-save").click();
  await expect(page.getByTestId("ns-notify-targets")).toContainText(
    "Webhook · http://127.0.0.1:9/hooks/releases (signed)",
  );
  await expect(page.getByTestId("ns-notify-editor")).toHaveCount(0);
  await screenshot(page, "namespace-notifications-en");
  const stored = await (await request.get(`/api/namespaces/${env.ns.name}/notifications`)).json();
  expect(stored.targets).toEqual([{ type: "webhook", url: "http://127.0.0.1:9/hooks/releases", secretSet: true }]);
  expect(JSON.stringify(stored)).not.toContain("team-secret");
});
