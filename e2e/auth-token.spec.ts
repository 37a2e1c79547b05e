// GC_AUTH=token (the default, and what `npm run demo` uses) end
// to end: a person pastes a Kubernetes token on the sign-in page. Real ServiceAccounts bound to
// Kubernetes' own `edit` and `view` roles, tokens from the TokenRequest API. The session lasts
// SESSION_SECONDS here so that its expiry can be watched: the page in use sends the person to
// the sign-in page, which says the session expired.
import { expect, test, type Page } from "@playwright/test";
import { deleteLease, freePort, sessionSecret } from "../test/integration/helpers/auth";
import { loadKubeConfig, waitFor } from "../test/integration/helpers/cluster";
import type { ConsoleInstance } from "../test/integration/helpers/console";
import { bearer, createServiceAccountUser, type TestUser } from "../test/integration/helpers/users";
import { authConsole, expectChangesDenied, stopConsole } from "./auth-env";
import { reviewsNamespace, V2_IMAGE, type Env } from "./helpers";

const NAME = "e2e-auth-token";
const SESSION_SECONDS = 30;
let app: ConsoleInstance | undefined;
let env: Env | undefined;
let lease = "";
let base = "";
let operator: TestUser;
let viewer: TestUser;
let taskId = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  lease = `gray-console-${NAME}-${port}`;
  await Promise.all([
    authConsole(NAME, port, {
      GC_AUTH: "token",
      GC_LEADER_LEASE: lease,
      GC_SESSION_SECRET: sessionSecret(),
      GC_SESSION_SECONDS: String(SESSION_SECONDS),
    }).then((c) => (app = c)),
    reviewsNamespace("e2e-token").then((e) => (env = e)),
  ]);
  const kc = loadKubeConfig();
  [operator, viewer] = await Promise.all([
    createServiceAccountUser(kc, env!.ns.name, "release-operator", "edit"),
    createServiceAccountUser(kc, env!.ns.name, "release-viewer", "view"),
  ]);
  // The operator's script creates the release over the API with its bearer token (no cookie, no CSRF token).
  const created = await fetch(`${base}/api/tasks`, {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(operator.token) },
    body: JSON.stringify({
      name: "reviews-token",
      namespace: env!.ns.name,
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
      traffic: { weights: { v1: 90, v2: 10 } },
    }),
  });
  expect(created.status).toBe(201);
  taskId = (await created.json()).task.id;
  await waitFor(
    async () =>
      (await (await fetch(`${base}/api/tasks/${taskId}`, { headers: bearer(operator.token) })).json()).task
        .operation === null,
    { timeoutMs: 90_000, description: "task settled" },
  );
});

test.afterAll(async () => {
  await stopConsole(app);
  if (lease) await deleteLease(loadKubeConfig(), lease).catch(() => undefined);
  await env?.ns.delete().catch(() => undefined);
});

async function pasteToken(page: Page, token: string): Promise<void> {
  await expect(page).toHaveURL(/\/signin\?/);
  await page.getByLabel("Kubernetes bearer token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a bad token is refused on the sign-in page with the API server's answer", async ({ page }) => {
  await page.goto(`${base}/releases`);
  await pasteToken(page, "not-a-kubernetes-token");
  await expect(page.getByTestId("signin-error")).toContainText("did not accept this token");
  await expect(page).toHaveURL(/\/signin\?/);
});

test("the operator pastes a token and comes back to the task list, signed in as its ServiceAccount, with every control enabled", async ({
  page,
}) => {
  await page.goto(`${base}/releases`);
  await expect(page).toHaveURL(`${base}/signin?next=%2Freleases`);
  await pasteToken(page, operator.token);
  await expect(page).toHaveURL(`${base}/releases`);
  await expect(page.getByTestId("user-name")).toHaveText(operator.name);
  await expect(page.getByTestId(`job-row-${taskId}`)).toBeVisible();
  await page.goto(`${base}/releases/${taskId}`);
  await expect(page.getByTestId("action-takeover")).toBeEnabled();
  await expect(page.getByTestId("permission-note")).toHaveCount(0);
});

test("the viewer sees the task with every change control disabled and the reason beside them", async ({ page }) => {
  await page.goto(`${base}/releases/${taskId}`);
  await pasteToken(page, viewer.token);
  await expect(page).toHaveURL(`${base}/releases/${taskId}`);
  await expect(page.getByTestId("user-name")).toHaveText(viewer.name);
  await expectChangesDenied(page, env!.ns.name);
});

test("the session expires: the open page goes to the sign-in page, which says so, then back after signing in again", async ({
  page,
}) => {
  test.setTimeout((SESSION_SECONDS + 90) * 1000);
  await page.goto(`${base}/releases/${taskId}`);
  await pasteToken(page, operator.token);
  await expect(page.getByTestId("user-name")).toHaveText(operator.name);
  // Nothing is clicked: the task page's own refresh meets the 401 once the cookie has expired.
  await expect(page).toHaveURL(/\/signin\?reason=expired/, { timeout: (SESSION_SECONDS + 60) * 1000 });
  await expect(page.getByTestId("signin-reason")).toHaveAttribute("data-reason", "expired");
  await pasteToken(page, operator.token);
  await expect(page).toHaveURL(`${base}/releases/${taskId}`);
});
