// What the sign-in specs (auth-oidc, auth-proxy) share: a namespace with Bookinfo's reviews
// where the provider's groups hold Kubernetes' own roles (oidc:bookinfo-operators -> edit,
// oidc:gc-viewers -> view), a task created there by alice through the console's API, the
// provider's login form as a person fills it in, and what a viewer must see on a task page.
import { rmSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { bindGroup, type HttpSession } from "../test/integration/helpers/auth";
import { startConsole, type ConsoleInstance } from "../test/integration/helpers/console";
import { LOCAL_KUBECONFIG, loadKubeConfig, waitFor } from "../test/integration/helpers/cluster";
import { reviewsNamespace, V2_IMAGE, type Env } from "./helpers";

export const PREFIX = "oidc:";
export const ALICE_NAME = `${PREFIX}alice@example.test`;
export const BOB_NAME = `${PREFIX}bob@example.test`;
const root = path.resolve(__dirname, "..");

/** reviews v1 in a fresh namespace; operators may change releases there, viewers may look. */
export async function rbacNamespace(prefix: string): Promise<Env> {
  const env = await reviewsNamespace(prefix);
  const kc = loadKubeConfig();
  await bindGroup(kc, env.ns.name, `${PREFIX}bookinfo-operators`, "edit");
  await bindGroup(kc, env.ns.name, `${PREFIX}gc-viewers`, "view");
  return env;
}

/**
 * A console of its own for a sign-in spec: production build, own SQLite file under
 * .local/test, own reconciler Lease, the local cluster's admin kubeconfig (it impersonates the
 * signed-in users), output in .local/logs/<name>.log.
 */
export async function authConsole(name: string, port: number, env: Record<string, string>): Promise<ConsoleInstance> {
  const db = path.join(root, ".local/test", `${name}.db`);
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
  return startConsole(
    port,
    {
      KUBECONFIG: process.env.KUBECONFIG || LOCAL_KUBECONFIG,
      DATABASE_URL: `file:${db}`,
      GC_AUTH_USER_PREFIX: PREFIX,
      GC_AUTH_GROUP_PREFIX: PREFIX,
      ...env,
    },
    { logName: name },
  );
}

/** SIGTERM, then until the process is gone (10 s, then SIGKILL). */
export async function stopConsole(c: ConsoleInstance | undefined): Promise<void> {
  if (!c) return;
  c.stop();
  const gone = await Promise.race([
    c.exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
  ]);
  if (!gone) {
    c.kill9();
    await c.exited;
  }
}

/** A canary task (reviews v2 at 10%) created by a signed-in operator; waits until its operation is done. */
export async function seedTask(as: HttpSession, namespace: string): Promise<string> {
  const created = await as.call("POST", "/api/tasks", {
    name: "reviews-auth",
    namespace,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
    traffic: { weights: { v1: 90, v2: 10 } },
  });
  if (created.status !== 201)
    throw new Error(`POST /api/tasks as ${as.name}: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  const id = created.json.task.id as string;
  await waitFor(async () => (await as.call("GET", `/api/tasks/${id}`)).json?.task?.operation === null, {
    timeoutMs: 90_000,
    description: `task ${id} settled`,
  });
  return id;
}

/** History names the signed-in alice and her groups as the provider gave them, prefixed. */
export async function expectHistoryNamesAlice(page: Page, base: string, taskId: string): Promise<void> {
  const history = (await (await page.request.get(`${base}/api/tasks/${taskId}/events`)).json()).events as {
    action: string;
    actor: string;
    actorGroups: string[];
  }[];
  expect(history.map((e) => [e.action, e.actor])).toEqual([["create", ALICE_NAME]]);
  expect(history[0]!.actorGroups).toEqual([`${PREFIX}gc-admins`, `${PREFIX}bookinfo-operators`]);
}

/** The provider's login form (dev/build/oidc), filled in and submitted as a person would. */
export async function fillProviderLogin(page: Page, who: { username: string; password: string }): Promise<void> {
  await expect(page.locator("input#username")).toBeVisible();
  await page.locator("input#username").fill(who.username);
  await page.locator("input#password").fill(who.password);
  await page.getByRole("button", { name: "Login" }).click();
}

/**
 * A viewer on a task page: every change control disabled, and beside them the reason naming
 * the kinds they may not change and the namespace.
 */
export async function expectChangesDenied(page: Page, namespace: string): Promise<void> {
  const detail = page.getByTestId("task-detail");
  await expect(detail).toBeVisible();
  const note = page.locator('[data-testid="permission-note"][data-place="actions"]');
  await expect(note).toBeVisible();
  for (const word of ["Deployments", "VirtualServices", "DestinationRules", namespace])
    await expect(note).toContainText(word);
  // Every action button (the reasons beside them are list items with action-reason-* ids).
  const actions = detail.locator('button[data-testid^="action-"]');
  expect(await actions.count()).toBeGreaterThan(0);
  for (const button of await actions.all()) await expect(button).toBeDisabled();
  await expect(page.locator('[data-testid="permission-note"][data-place="traffic"]')).toContainText(namespace);
  await expect(page.getByTestId("traffic-input")).toBeDisabled();
  await expect(page.getByTestId("traffic-apply")).toBeDisabled();
}

/**
 * setTraffic sent by the page itself (same origin, the session's cookie and CSRF token): what
 * a viewer gets when the buttons are bypassed.
 */
export async function postFromPage(page: Page, taskId: string): Promise<{ status: number; body: any }> {
  return page.evaluate(async (id) => {
    const session = await (await fetch("/api/auth/session")).json();
    const res = await fetch(`/api/tasks/${id}/actions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken ?? "" },
      body: JSON.stringify({ action: "setTraffic", weights: { v1: 50, v2: 50 } }),
    });
    return { status: res.status, body: await res.json() };
  }, taskId);
}
