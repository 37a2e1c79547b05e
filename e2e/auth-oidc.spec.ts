// GC_AUTH=oidc end to end: a real OpenID provider (dev/build/oidc via dev/scripts/idp.sh), a
// console of its own that signs users in with it and impersonates them (prefix "oidc:",
// username claim email), and Kubernetes RBAC deciding: alice's group holds `edit`, bob's `view`.
// The spec starts and stops its own provider and console on kernel-chosen free ports; logs
// in .local/logs/e2e-auth-oidc/ (provider) and .local/logs/e2e-auth-oidc.log (console).
import { expect, test, type Page } from "@playwright/test";
import {
  ALICE,
  BOB,
  deleteLease,
  freePorts,
  IDP_CLIENT,
  sessionSecret,
  signInToConsole,
  startProvider,
  type Provider,
} from "../test/integration/helpers/auth";
import { loadKubeConfig } from "../test/integration/helpers/cluster";
import type { ConsoleInstance } from "../test/integration/helpers/console";
import {
  ALICE_NAME,
  BOB_NAME,
  authConsole,
  expectChangesDenied,
  expectHistoryNamesAlice,
  fillProviderLogin,
  postFromPage,
  rbacNamespace,
  seedTask,
  stopConsole,
} from "./auth-env";
import { defaultWeights, getVS, type Env } from "./helpers";

const NAME = "e2e-auth-oidc";
let provider: Provider | undefined;
let app: ConsoleInstance | undefined;
let lease = "";
let env: Env | undefined;
let taskId = "";
let base = "";
/** In more groups than a browser cookie can name (a large directory's ID token). */
const DAVE = {
  username: "dave",
  password: "dave-password",
  email: "dave@example.test",
  name: "Dave Many-Groups",
  groups: Array.from({ length: 120 }, (_, i) => `team-platform-engineering-${String(i).padStart(3, "0")}`),
};

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const [consolePort, providerPort] = (await freePorts(2)) as [number, number];
  base = `http://127.0.0.1:${consolePort}`;
  provider = await startProvider(
    NAME,
    providerPort,
    [`${base}/api/auth/oidc/callback`],
    [DAVE],
    [`${base}/signin?reason=signed-out`],
  );
  lease = `gray-console-${NAME}-${consolePort}`;
  // Side by side; each result is kept as soon as it exists, so afterAll stops it even if the other fails.
  await Promise.all([
    authConsole(NAME, consolePort, {
      GC_AUTH: "oidc",
      GC_LEADER_LEASE: lease,
      GC_SESSION_SECRET: sessionSecret(),
      GC_OIDC_ISSUER: provider.issuer,
      GC_OIDC_CLIENT_ID: IDP_CLIENT.id,
      GC_OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
      GC_OIDC_USERNAME_CLAIM: "email",
    }).then((c) => (app = c)),
    rbacNamespace("e2e-oidc").then((e) => (env = e)),
  ]);
  // Seeded honestly: alice signs in over HTTP exactly as a browser would and creates the task
  // through the API; the console checks her rights with the apiserver like any other write.
  const alice = await signInToConsole(base, ALICE);
  expect(alice.name).toBe(ALICE_NAME);
  taskId = await seedTask(alice, env!.ns.name);
});

test.afterAll(async () => {
  await stopConsole(app);
  await provider?.stop();
  if (lease) await deleteLease(loadKubeConfig(), lease).catch(() => undefined);
  await env?.ns.delete().catch(() => undefined);
});

/** From a page the console sent to /signin: the OpenID Connect button, then the provider's form. */
async function signInThroughPage(page: Page, who: { username: string; password: string }): Promise<void> {
  await expect(page).toHaveURL(/\/signin\?/);
  await page.getByRole("link", { name: "Sign in with OpenID Connect" }).click();
  await expect(page).toHaveURL(new RegExp(`^${provider!.issuer}/login/username`));
  await fillProviderLogin(page, who);
}

test("alice opens the console, is sent to sign in at the provider, and comes back to the page she asked for, signed in", async ({
  page,
}) => {
  await page.goto(`${base}/releases`);
  await expect(page).toHaveURL(`${base}/signin?next=%2Freleases`);
  await signInThroughPage(page, ALICE);
  await expect(page).toHaveURL(`${base}/releases`);
  await expect(page.getByTestId("user-name")).toHaveText(ALICE_NAME);
  await expect(page.getByTestId(`job-row-${taskId}`)).toBeVisible();
  await expectHistoryNamesAlice(page, base, taskId);
  await expect(page.getByTestId("auth-none-badge")).toHaveCount(0);
  // She may change releases there: the task page offers its controls.
  await page.goto(`${base}/releases/${taskId}`);
  await expect(page.getByTestId("task-detail")).toBeVisible();
  await expect(page.getByTestId("action-takeover")).toBeEnabled();
  await expect(page.getByTestId("permission-note")).toHaveCount(0);
});

test("bob (view) sees the task and its page, every change control is disabled with the reason, and a POST from the page gets 403", async ({
  page,
}) => {
  await page.goto(`${base}/releases/${taskId}`);
  await signInThroughPage(page, BOB);
  await expect(page).toHaveURL(`${base}/releases/${taskId}`);
  await expect(page.getByTestId("user-name")).toHaveText(BOB_NAME);
  await expectChangesDenied(page, env!.ns.name);

  const before = defaultWeights(await getVS(env!.k, env!.ns.name));
  const answer = await postFromPage(page, taskId);
  expect(answer.status).toBe(403);
  expect(answer.body.error.code).toBe("forbidden");
  expect(answer.body.error.message).toContain(`User "${BOB_NAME}" cannot`);
  expect(defaultWeights(await getVS(env!.k, env!.ns.name))).toEqual(before);
  const history = (await (await page.request.get(`${base}/api/tasks/${taskId}/events`)).json()).events as {
    action: string;
  }[];
  expect(history.map((e) => e.action)).toEqual(["create"]);

  await page.goto(`${base}/releases`);
  await expect(page.getByTestId(`job-row-${taskId}`)).toBeVisible();
});

test("sign out ends the provider's session too (RP-initiated logout), then the signed-out screen; going back to a page asks for sign-in again, and the provider asks for the password", async ({
  page,
  context,
}) => {
  await page.goto(`${base}/releases/${taskId}`);
  await signInThroughPage(page, ALICE);
  await expect(page.getByTestId("user-name")).toHaveText(ALICE_NAME);

  // RP-initiated logout: the provider ends its session too, then sends the browser back.
  const endSession = page.waitForRequest((r) => r.url().startsWith(`${provider!.issuer}/end_session?`));
  await page.getByTestId("sign-out").click();
  const ended = new URL((await endSession).url());
  expect(ended.searchParams.get("client_id")).toBe(IDP_CLIENT.id);
  expect(ended.searchParams.get("post_logout_redirect_uri")).toBe(`${base}/signin?reason=signed-out`);
  await expect(page).toHaveURL(`${base}/signin?reason=signed-out`);
  await expect(page.getByTestId("signin-reason")).toHaveAttribute("data-reason", "signed-out");
  await expect(page.getByTestId("signin-reason")).toHaveText("You are signed out.");
  expect((await context.cookies(base)).map((c) => c.name)).not.toContain("gc_session");

  await page.goto(`${base}/releases/${taskId}`);
  await expect(page).toHaveURL(`${base}/signin?next=${encodeURIComponent(`/releases/${taskId}`)}`);
  await page.getByRole("link", { name: "Sign in with OpenID Connect" }).click();
  await expect(page.locator("input#password")).toBeVisible();
});

test("the sign-in page in Chinese", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-CN" });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/releases`);
    await expect(page).toHaveURL(/\/signin\?next=%2Freleases$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
    await expect(page.getByTestId("signin-panel")).toContainText(
      "本控制台通过你所在组织的 OpenID Connect 身份提供方登录",
    );
    await expect(page.getByRole("link", { name: "使用 OpenID Connect 登录" })).toHaveAttribute(
      "href",
      "/api/auth/oidc/login?next=%2Freleases",
    );
  } finally {
    await context.close();
  }
});

test("a user in more groups than a session cookie can hold is told so on the sign-in page, not sent round in a loop", async ({
  page,
  context,
}) => {
  await page.goto(`${base}/releases`);
  await signInThroughPage(page, DAVE);
  await expect(page).toHaveURL(/\/signin\?reason=error&message=/);
  await expect(page.getByTestId("signin-reason")).toHaveAttribute("data-reason", "error");
  await expect(page.getByTestId("signin-reason")).toContainText(
    "your ID token names 120 groups, too many to keep in a browser session cookie",
  );
  expect((await context.cookies(base)).map((c) => c.name)).not.toContain("gc_session");
});
