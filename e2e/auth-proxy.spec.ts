// GC_AUTH=proxy end to end: a real oauth2-proxy in front of a console of its own, signing users
// in with the local OpenID provider (both from dev/scripts/idp.sh). The browser only ever talks
// to the proxy. The console believes the proxy's X-Forwarded-Email (oauth2-proxy's
// X-Forwarded-User is the sub UUID) and X-Forwarded-Groups from 127.0.0.1/32 only, prefixes
// them with "oidc:" and impersonates that user; RBAC decides (operators edit, viewers view).
// The spec starts and stops the provider, the proxy and the console on kernel-chosen free
// ports; logs in .local/logs/e2e-auth-proxy/ and .local/logs/e2e-auth-proxy.log.
import { expect, test } from "@playwright/test";
import {
  ALICE,
  BOB,
  deleteLease,
  freePorts,
  requestFrom,
  sessionSecret,
  signInThroughProxy,
  startOauth2Proxy,
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

const NAME = "e2e-auth-proxy";
let provider: Provider | undefined;
let app: ConsoleInstance | undefined;
let lease = "";
let env: Env | undefined;
let taskId = "";
/** Where the browser goes: oauth2-proxy. */
let front = "";
let proxyPort = 0;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  let consolePort: number, providerPort: number;
  [consolePort, providerPort, proxyPort] = (await freePorts(3)) as [number, number, number];
  front = `http://127.0.0.1:${proxyPort}`;
  provider = await startProvider(NAME, providerPort, [`${front}/oauth2/callback`]);
  lease = `gray-console-${NAME}-${consolePort}`;
  // Side by side; each result is kept as soon as it exists, so afterAll stops it even if the other fails.
  await Promise.all([
    authConsole(NAME, consolePort, {
      GC_AUTH: "proxy",
      GC_LEADER_LEASE: lease,
      GC_SESSION_SECRET: sessionSecret(),
      GC_TRUSTED_PROXIES: "127.0.0.1/32",
      GC_ACTOR_HEADER: "X-Forwarded-Email",
    }).then((c) => (app = c)),
    rbacNamespace("e2e-proxy").then((e) => (env = e)),
  ]);
  await startOauth2Proxy(provider, NAME, proxyPort, app!.baseUrl);
  // alice signs in at the proxy over HTTP as a browser would and creates the task through it.
  const alice = await signInThroughProxy(front, ALICE);
  expect(alice.name).toBe(ALICE_NAME);
  taskId = await seedTask(alice, env!.ns.name);
});

test.afterAll(async () => {
  await provider?.stop(); // the proxy, then the provider
  await stopConsole(app);
  if (lease) await deleteLease(loadKubeConfig(), lease).catch(() => undefined);
  await env?.ns.delete().catch(() => undefined);
});

test("alice opens the console through the proxy, signs in at the provider, and sees the task list as herself", async ({
  page,
}) => {
  await page.goto(`${front}/releases`);
  // --skip-provider-button: the proxy sends the browser straight to the provider's form.
  await expect(page).toHaveURL(new RegExp(`^${provider!.issuer}/login/username`));
  await fillProviderLogin(page, ALICE);
  await expect(page).toHaveURL(`${front}/releases`);
  await expect(page.getByTestId("user-name")).toHaveText(ALICE_NAME);
  await expect(page.getByTestId(`job-row-${taskId}`)).toBeVisible();
  await expectHistoryNamesAlice(page, front, taskId);
  await page.goto(`${front}/releases/${taskId}`);
  await expect(page.getByTestId("action-takeover")).toBeEnabled();
});

test("bob (view) gets disabled controls with the reason; a forged X-Forwarded-Email through the proxy does not make him alice; a POST gets 403", async ({
  page,
}) => {
  await page.goto(`${front}/releases/${taskId}`);
  await fillProviderLogin(page, BOB);
  await expect(page).toHaveURL(`${front}/releases/${taskId}`);
  await expect(page.getByTestId("user-name")).toHaveText(BOB_NAME);
  await expectChangesDenied(page, env!.ns.name);

  // oauth2-proxy replaces a client's X-Forwarded-Email with the signed-in user's.
  const claimed = await page.evaluate(
    async () =>
      (
        await (
          await fetch("/api/auth/session", {
            headers: { "X-Forwarded-Email": "alice@example.test", "X-Forwarded-Groups": "bookinfo-operators" },
          })
        ).json()
      ).user,
  );
  expect(claimed).toEqual({ name: BOB_NAME, groups: ["oidc:gc-viewers"], via: "proxy" });

  const before = defaultWeights(await getVS(env!.k, env!.ns.name));
  const answer = await postFromPage(page, taskId);
  expect(answer.status).toBe(403);
  expect(answer.body.error.code).toBe("forbidden");
  expect(answer.body.error.message).toContain(`User "${BOB_NAME}" cannot`);
  expect(defaultWeights(await getVS(env!.k, env!.ns.name))).toEqual(before);
  const history = (await (await page.request.get(`${front}/api/tasks/${taskId}/events`)).json()).events as {
    action: string;
  }[];
  expect(history.map((e) => e.action)).toEqual(["create"]);
});

test("sign out goes through the proxy's /oauth2/sign_out; the next visit asks for sign-in again", async ({
  page,
  context,
}) => {
  await page.goto(`${front}/releases/${taskId}`);
  await fillProviderLogin(page, ALICE);
  await expect(page.getByTestId("user-name")).toHaveText(ALICE_NAME);
  const proxyCookie = `_oauth2_proxy_${proxyPort}`;
  expect((await context.cookies(front)).map((c) => c.name)).toContain(proxyCookie);

  const signOut = page.waitForRequest((r) => r.url().startsWith(`${front}/oauth2/sign_out`));
  await page.getByTestId("sign-out").click();
  await signOut;
  // The proxy clears its cookie and sends the browser on; with no session it lands on the form.
  await expect(page).toHaveURL(new RegExp(`^${provider!.issuer}/login/username`));
  expect((await context.cookies(front)).map((c) => c.name)).not.toContain(proxyCookie);

  await page.goto(`${front}/releases/${taskId}`);
  await expect(page).toHaveURL(new RegExp(`^${provider!.issuer}/login/username`));
  await expect(page.locator("input#password")).toBeVisible();
});

test("straight to the console, not through the proxy: a forged X-Forwarded-Email from an untrusted address is 401; the same from the trusted one is believed", async () => {
  const forged = { "X-Forwarded-Email": ALICE.email, "X-Forwarded-Groups": "bookinfo-operators" };
  // 127.0.0.2 is this machine too, but not in GC_TRUSTED_PROXIES=127.0.0.1/32.
  const untrusted = await requestFrom("127.0.0.2", `${app!.baseUrl}/api/tasks`, forged);
  expect(untrusted.status).toBe(401);
  expect(untrusted.json.error.code).toBe("unauthenticated");
  const session = await requestFrom("127.0.0.2", `${app!.baseUrl}/api/auth/session`, forged);
  expect(session.json.user).toBeNull();
  // The control: the rule is the peer address, nothing else about the request.
  const trusted = await requestFrom("127.0.0.1", `${app!.baseUrl}/api/tasks`, forged);
  expect(trusted.status).toBe(200);
  expect((trusted.json.tasks as { id: string }[]).map((t) => t.id)).toContain(taskId);
});
