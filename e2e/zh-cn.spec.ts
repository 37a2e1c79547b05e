// Every word in both languages (issue 11): a reader who chose 简体中文 walks every page and
// opens every dialog, and no English word is left on screen. Visible text, aria-labels, titles,
// placeholders and the page title are checked with lib/i18n/latin-words.ts: names seen in the
// data (namespaces, services, versions, images, tasks, pods...), identifiers, numbers with units
// and a short list of product words pass; code and YAML (<pre>, <code>) and the language switch
// (lang="en") are not Chinese text. The walk is generic where it can be: every enabled action
// button is pressed (a dialog is read and cancelled), every <details> is opened, so dialogs and
// panels added later are read too. Tasks are created through the API in private namespaces.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { untranslatedWords } from "../lib/i18n/latin-words";
import { ISTIO } from "../test/integration/helpers/bookinfo";
import { reviewsNamespace, V2_IMAGE, waitFor, type Env } from "./helpers";

const BASE = process.env.GC_BASE_URL ?? "http://127.0.0.1:3100";
const STRATEGIES = ["canary", "blue-green", "ab-test", "mirror", "batch", "replica-canary"] as const;

test.describe.configure({ mode: "serial" });

// ---------------------------------------------------------------- what may stay in Latin letters

/** Fields of API answers whose values are names (or maps keyed by names), as the pages show them. */
const NAME_FIELDS = new Set([
  "name",
  "namespace",
  "service",
  "version",
  "baseVersion",
  "newVersion",
  "image",
  "deployment",
  "deployments",
  "newDeployment",
  "baseDeployment",
  "virtualService",
  "destinationRule",
  "subsets",
  "subset",
  "route",
  "id",
  "gateways",
  "node",
  "host",
  "createdBy",
  "actor",
  "user",
  "task",
  "ownedRoutes",
  "versions",
]);
const MAP_FIELDS = new Set(["labels", "selector", "weights"]);

/** Every name in `value` (an API answer), lowercase, and each hyphen-free part of it. */
function harvest(value: unknown, into: Set<string>, field = ""): void {
  const add = (s: string) => {
    into.add(s.toLowerCase());
    for (const part of s.split(/[^A-Za-z0-9-]+/)) if (part) into.add(part.toLowerCase());
  };
  if (typeof value === "string") {
    if (NAME_FIELDS.has(field)) add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) harvest(v, into, field);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value)) {
    if (MAP_FIELDS.has(field)) {
      add(k);
      if (typeof v === "string") add(v);
      continue;
    }
    harvest(v, into, k);
  }
}

/** Names the pages may show: read from the same API the pages read. */
async function namesFrom(request: APIRequestContext, paths: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const path of paths) {
    const res = await request.get(path);
    if (res.ok()) harvest(await res.json(), names);
  }
  return names;
}

// ---------------------------------------------------------------- reading a page

interface Seen {
  where: string;
  text: string;
}

/** The Chinese text of the page: text nodes and the attributes people and screen readers get. */
async function pageText(page: Page): Promise<Seen[]> {
  return page.evaluate(() => {
    const excluded = (el: Element): boolean => {
      if (el.closest("pre, code, script, style, noscript, template")) return true;
      const lang = el.closest("[lang]")?.getAttribute("lang");
      return lang !== undefined && lang !== null && lang !== "zh-CN";
    };
    const where = (el: Element): string => {
      const owner = el.closest("[data-testid]");
      return owner ? `[data-testid=${owner.getAttribute("data-testid")}]` : el.tagName.toLowerCase();
    };
    const out: { where: string; text: string }[] = [{ where: "<title>", text: document.title }];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? "";
      if (el && text && !excluded(el)) out.push({ where: where(el), text });
    }
    for (const el of Array.from(
      document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt], [aria-valuetext]"),
    )) {
      if (excluded(el)) continue;
      for (const attr of ["aria-label", "title", "placeholder", "alt", "aria-valuetext"]) {
        const v = el.getAttribute(attr);
        if (v) out.push({ where: `${where(el)} @${attr}`, text: v });
      }
    }
    return out;
  });
}

/** Lets the page's queries answer, then opens every <details> so what they hide is read too. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => undefined);
  await expect(page.locator("main .animate-spin")).toHaveCount(0, { timeout: 20_000 });
  await page.evaluate(() =>
    document.querySelectorAll("details:not([open])").forEach((d) => {
      d.setAttribute("open", "");
    }),
  );
}

class Walk {
  readonly problems = new Map<string, Set<string>>();
  names = new Set<string>();
  readonly visited: string[] = [];

  constructor(private readonly page: Page) {}

  /** Reads the page as it is now; every untranslated word is kept with where it was seen. */
  async check(label: string): Promise<void> {
    await settle(this.page);
    await expect(this.page.locator("html")).toHaveAttribute("lang", "zh-CN");
    this.visited.push(label);
    for (const seen of await pageText(this.page)) {
      for (const word of untranslatedWords(seen.text, this.names)) {
        const at = this.problems.get(word) ?? new Set<string>();
        at.add(`${label} ${seen.where}: ${seen.text.slice(0, 160)}`);
        this.problems.set(word, at);
      }
    }
  }

  async visit(label: string, path: string): Promise<void> {
    await this.page.goto(path);
    await this.check(label);
  }

  /**
   * Presses every enabled action button (and any button that says it opens a dialog) once: a
   * dialog is read and cancelled with Escape; an action that asks nothing (pause, resume) runs,
   * and the page it leaves (its toast, the next state's buttons) is read too.
   */
  async everyDialog(label: string): Promise<void> {
    const pressed = new Set<string>();
    for (;;) {
      const ids = await this.page
        .locator('main button:enabled[data-testid^="action-"], main button:enabled[aria-haspopup="dialog"]')
        .evaluateAll((bs) => bs.map((b) => b.getAttribute("data-testid") ?? b.textContent ?? ""));
      const next = ids.find((id) => !pressed.has(id));
      if (next === undefined) return;
      pressed.add(next);
      const button = this.page.locator(`main [data-testid="${next}"]`).first();
      if (!(await button.isEnabled())) continue;
      await button.click();
      const dialog = this.page.locator("dialog[open]");
      if (
        await dialog.waitFor({ state: "visible", timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      ) {
        await this.check(`${label}, dialog of ${next}`);
        await this.page.keyboard.press("Escape");
        await expect(dialog).toHaveCount(0);
      } else {
        await this.check(`${label}, after ${next}`);
      }
    }
  }

  report(): string[] {
    return [...this.problems].map(
      ([word, at]) => `"${word}" in ${[...at].slice(0, 3).join(" | ")}${at.size > 3 ? ` (+${at.size - 3} more)` : ""}`,
    );
  }
}

// ---------------------------------------------------------------- the data the pages show

interface Fixture {
  env: Env;
  taskId: string;
}

async function createTask(
  request: APIRequestContext,
  env: Env,
  name: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await request.post("/api/tasks", {
    data: {
      name,
      namespace: env.ns.name,
      service: "reviews",
      newVersion: { version: "v2", image: V2_IMAGE, replicas: 1 },
      ...body,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).task.id as string;
}

/** Waits until the task has no operation in flight (its pods Ready, its waits done). */
async function settled(request: APIRequestContext, id: string): Promise<void> {
  await waitFor(async () => (await (await request.get(`/api/tasks/${id}`)).json()).task.operation === null, {
    description: `task ${id} settled`,
    timeoutMs: 60_000,
  });
}

const fixtures: Record<string, Fixture> = {};
let wizardEnv: Env | undefined;

test.beforeAll(async ({ request }) => {
  test.setTimeout(300_000);
  const [canary, blueGreen, batch, mirror, wizard] = await Promise.all([
    reviewsNamespace("e2e-zh-canary"),
    reviewsNamespace("e2e-zh-bluegreen"),
    reviewsNamespace("e2e-zh-batch", { v1Replicas: 2 }),
    reviewsNamespace("e2e-zh-mirror"),
    reviewsNamespace("e2e-zh-wizard", { v1Replicas: 3 }),
  ]);
  wizardEnv = wizard;
  const match = [
    { kind: "header", name: "end-user", op: "exact", value: "jason" },
    { kind: "uri", op: "prefix", value: "/api" },
  ];
  fixtures.canary = {
    env: canary,
    taskId: await createTask(request, canary, "zh-canary1", {
      strategy: "canary",
      traffic: { weights: { v1: 70, v2: 30 }, match },
      rollout: { drainSeconds: 300 },
    }),
  };
  fixtures.blueGreen = {
    env: blueGreen,
    taskId: await createTask(request, blueGreen, "zh-bluegreen1", {
      strategy: "blue-green",
      traffic: { previewHeader: { name: "x-preview1", value: "on1" } },
    }),
  };
  fixtures.batch = {
    env: batch,
    taskId: await createTask(request, batch, "zh-batch1", {
      strategy: "batch",
      newVersion: { version: "v2", image: V2_IMAGE, replicas: 2 },
      batch: { groups: 2 },
    }),
  };
  fixtures.mirror = {
    env: mirror,
    // With steps: the step timeline and the promote / promote fully dialogs are walked too.
    taskId: await createTask(request, mirror, "zh-mirror1", {
      strategy: "mirror",
      traffic: { mirrorPercent: 20 },
      steps: [{ setMirror: 40 }, { pause: {} }, { analysis: { duration: "1m" } }, { setMirror: 100 }],
    }),
  };
  for (const f of Object.values(fixtures)) await settled(request, f.taskId);
});

test.afterAll(async () => {
  await Promise.all(
    [...Object.values(fixtures).map((f) => f.env.ns.delete()), wizardEnv?.ns.delete()].map((p) =>
      p?.catch(() => undefined),
    ),
  );
});

async function zhCN(page: Page): Promise<void> {
  await page.context().addCookies([{ name: "gc-locale", value: "zh-CN", url: BASE }]);
}

/** The release name the wizard suggests (`<service>-<strategy>`, a placeholder) is a name too. */
const SUGGESTED_NAMES = STRATEGIES.map((s) => `reviews-${s}`);

async function namesOfEverything(request: APIRequestContext): Promise<Set<string>> {
  const namespaces = [...Object.values(fixtures).map((f) => f.env.ns.name), wizardEnv!.ns.name, "bookinfo"];
  const names = await namesFrom(request, [
    "/api/cluster",
    "/api/namespaces",
    "/api/tasks?pageSize=200",
    ...namespaces.map((ns) => `/api/namespaces/${ns}/services`),
    ...Object.values(fixtures).map((f) => `/api/tasks/${f.taskId}`),
  ]);
  for (const n of SUGGESTED_NAMES) names.add(n);
  return names;
}

// ---------------------------------------------------------------- the checker itself can fail

test("the checker flags untranslated words such as 'Working…' and 'uri prefix'", () => {
  expect(untranslatedWords("处理中…")).toEqual([]);
  expect(untranslatedWords("Working…")).toEqual(["Working"]);
  expect(untranslatedWords('匹配路由 uri prefix "/api"')).toEqual(["uri", "prefix"]);
  expect(untranslatedWords("由 anonymous 创建", new Set(["reviews"]))).toEqual(["anonymous"]);
});

// ---------------------------------------------------------------- the walk

test("every page and dialog in zh-CN has no English word", async ({ page, request }) => {
  test.setTimeout(600_000);
  await zhCN(page);
  const walk = new Walk(page);
  walk.names = await namesOfEverything(request);
  const canary = fixtures.canary!;
  const ns = canary.env.ns.name;

  await walk.visit("overview", "/");
  await walk.visit("namespaces", "/namespaces");
  await walk.visit("namespace", `/namespaces/${ns}`);
  await walk.visit("service", `/namespaces/${ns}/services/reviews`);
  // Bookinfo's own namespace: the ingress gateway's routes (entry routes) and their match conditions.
  await walk.visit("namespace bookinfo", "/namespaces/bookinfo");
  await walk.visit("service productpage", "/namespaces/bookinfo/services/productpage");
  await walk.visit("releases", "/releases");
  await walk.visit(
    "releases filtered",
    `/releases?namespace=${fixtures.batch!.env.ns.name}&state=awaiting-confirmation&strategy=batch`,
  );
  await walk.visit("releases of a service", `/releases?service=reviews&namespace=${ns}`);
  await walk.visit("releases matching nothing", "/releases?q=zz-nothing-matches-1");
  await walk.visit("not found", "/no/such/page");
  await walk.visit("sign-in", "/signin");
  await walk.visit("sign-in, session expired", "/signin?reason=expired");
  await walk.visit("sign-in, signed out", "/signin?reason=signed-out");
  await walk.visit(
    "sign-in, an error the server worded",
    `/signin?reason=error&key=err.auth.flowExpired&params=%7B%7D&message=${encodeURIComponent("the sign-in took too long or was started in another browser; start again")}`,
  );

  // Each strategy's task page, every dialog its actions open.
  for (const [label, f] of Object.entries(fixtures)) {
    await walk.visit(`task ${label}`, `/releases/${f.taskId}`);
    await walk.everyDialog(`task ${label}`);
  }

  // The canary: a traffic change, then someone edits its VirtualService (drift).
  await page.goto(`/releases/${canary.taskId}`);
  await page.getByTestId("traffic-input").fill("40");
  await page.getByTestId("traffic-apply").click();
  await expect(page.getByTestId("toast-success")).toBeVisible();
  await walk.check("task canary, traffic applied");
  await driftVirtualService(canary.env);
  await page.reload();
  await expect(page.getByTestId("drift-banner")).toBeVisible({ timeout: 30_000 });
  await walk.check("task canary, drift banner");
  await walk.everyDialog("task canary with drift");

  // Refused by the server: traffic while the routing drifted (the traffic panel's toast) ...
  await page.getByTestId("traffic-input").fill("50");
  await page.getByTestId("traffic-apply").click();
  await expect(page.getByTestId("toast-error").first()).toBeVisible();
  await walk.check("task canary, traffic refused");
  await dismissToasts(page);
  // ... while the actions that drift blocks are shown disabled, each with its reason in words.
  await expect(page.getByTestId("action-takeover")).toBeDisabled();
  await expect(page.getByTestId("action-takeover")).toHaveAttribute("title", /\S/);
  await walk.check("task canary, takeover disabled with its reason");

  // Put the routing back, take over, retire the old version: its drain shows as the operation in flight.
  expect((await request.post(`/api/tasks/${canary.taskId}/actions`, { data: { action: "resync" } })).status()).toBe(
    200,
  );
  expect((await request.post(`/api/tasks/${canary.taskId}/actions`, { data: { action: "takeover" } })).status()).toBe(
    200,
  );
  await settled(request, canary.taskId);
  expect((await request.post(`/api/tasks/${canary.taskId}/actions`, { data: { action: "retireOld" } })).status()).toBe(
    200,
  );
  await walk.visit("task canary, draining the old version", `/releases/${canary.taskId}`);
  await expect(page.getByTestId("operation-banner")).toBeVisible();

  // The wizard, every step of every strategy, the review of each.
  walk.names = new Set([...walk.names, ...(await namesOfEverything(request))]);
  for (const strategy of STRATEGIES) await wizardWalk(page, walk, wizardEnv!, strategy);
  // A field the schema refuses (checked in the browser) and one only the server can refuse.
  await wizardClientError(page, walk, wizardEnv!);
  await wizardServerError(page, walk, fixtures.blueGreen!.env);

  expect(walk.visited.length).toBeGreaterThan(30);
  expect(walk.report(), `untranslated words on ${walk.visited.length} pages and dialogs`).toEqual([]);
});

// ---------------------------------------------------------------- steps of the walk

/** Someone changes the task's default route by hand: 60/40 where the task applied 60/40 of something else. */
async function driftVirtualService(env: Env): Promise<void> {
  const vs = (await env.k.custom.getNamespacedCustomObject({
    ...ISTIO,
    namespace: env.ns.name,
    plural: "virtualservices",
    name: "reviews",
  })) as { spec: { http: { match?: unknown; route: { weight?: number }[] }[] } };
  const route = vs.spec.http.find((r) => !r.match)!;
  route.route[0]!.weight = 55;
  route.route[1]!.weight = 45;
  await env.k.custom.replaceNamespacedCustomObject({
    ...ISTIO,
    namespace: env.ns.name,
    plural: "virtualservices",
    name: "reviews",
    body: vs,
  });
}

async function dismissToasts(page: Page): Promise<void> {
  for (const toast of await page.locator("[data-testid^='toast-'] button").all())
    await toast.click().catch(() => undefined);
}

/** Steps 1-3 of the wizard for `reviews` in `env`; leaves it on the traffic step. */
async function wizardToTraffic(page: Page, walk: Walk, env: Env, strategy: string, name: string): Promise<void> {
  await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=${strategy}`);
  await walk.check(`wizard ${strategy}, basics`);
  await page.getByTestId("field-name").fill(name);
  await page.getByTestId(`strategy-option-${strategy}`).click();
  await page.getByTestId("wizard-next").click();
  await walk.check(`wizard ${strategy}, service`);
  await page.getByTestId("service-option-reviews").click();
  await page.getByTestId("wizard-next").click();
  await walk.check(`wizard ${strategy}, new version`);
  await page.getByTestId("field-newVersion.version").fill("v2");
  await page.getByTestId("field-newVersion.image").fill(V2_IMAGE);
  await page.getByTestId("field-newVersion.replicas").fill(strategy === "batch" ? "3" : "1");
  await page.getByTestId("wizard-next").click();
  // The server checks the step before the wizard moves on.
  await expect(page.getByTestId("wizard-step-title")).toHaveAttribute("data-step", "traffic");
}

async function wizardWalk(page: Page, walk: Walk, env: Env, strategy: string): Promise<void> {
  await wizardToTraffic(page, walk, env, strategy, `zh-wizard-${strategy}1`);
  if (strategy === "canary") {
    // Match rules of every kind, worded as Istio will be asked to match them.
    await page.getByTestId("use-match").check();
    for (const kind of ["header", "cookie", "uri", "os", "browser"])
      await page.getByTestId(`add-rule-${kind}-traffic.match`).click();
    await page.getByTestId("field-traffic.match[0].name").fill("end-user");
    await page.getByTestId("field-traffic.match[0].value").fill("jason");
    await page.getByTestId("field-traffic.match[1].name").fill("user_group");
    await page.getByTestId("field-traffic.match[1].value").fill("beta1");
    await page.getByTestId("field-traffic.match[2].value").fill("/api/v2");
  }
  if (strategy === "canary") {
    // Steps and analysis from the built-in template.
    await page.getByTestId("use-steps").check();
    await page.getByTestId("steps-template").selectOption("builtin-canary-10-30-50-100");
    await expect(page.getByTestId("steps-analysis")).toBeVisible();
  }
  if (strategy === "blue-green") await page.getByTestId("use-preview").check();
  if (strategy === "batch") await page.getByTestId("field-batch.betaGroup").check();
  await walk.check(`wizard ${strategy}, traffic`);
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("preview")).toBeVisible({ timeout: 30_000 });
  await walk.check(`wizard ${strategy}, review`);
}

/** An invalid name, refused by the schema in the browser before anything is sent. */
async function wizardClientError(page: Page, walk: Walk, env: Env): Promise<void> {
  await page.goto(`/releases/new?namespace=${env.ns.name}&service=reviews&strategy=canary`);
  await page.getByTestId("field-name").fill("Not_A_Name");
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("field-error-name")).toBeVisible();
  await walk.check("wizard, a name the schema refuses");
}

/** A service that already has a release: only the server knows, and says so at the service step. */
async function wizardServerError(page: Page, walk: Walk, busy: Env): Promise<void> {
  await page.goto(`/releases/new?namespace=${busy.ns.name}&service=reviews&strategy=canary`);
  await page.getByTestId("field-name").fill("zh-busy1");
  await page.getByTestId("strategy-option-canary").click();
  await page.getByTestId("wizard-next").click();
  await expect(page.getByTestId("wizard-step-title")).toHaveAttribute("data-step", "service");
  await page.getByTestId("service-option-reviews").click();
  await page.getByTestId("wizard-next").click();
  // The server's refusal stays on this step, beside the service, and Next is disabled.
  await expect(page.getByTestId("wizard-next")).toBeDisabled({ timeout: 30_000 });
  await expect(page.getByTestId("wizard-step-title")).toHaveAttribute("data-step", "service");
  await walk.check("wizard, refused by the server (service busy)");
}
