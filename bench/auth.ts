// What signing in and per-user authorization cost (issue 10).
//
//   npx tsx bench/auth.ts [--runs 50] [--calls 200] [--warmup 5] [--port 3300] [--aa]
//
// --aa: calibration of (b): the "token" console runs GC_AUTH=none too (the bearer header is
// then ignored), so the two series differ only in being two processes: how far apart two
// identical consoles measure on this machine.
//
// (a) The OpenID Connect sign-in round trip over HTTP with the local provider (dev/build/oidc),
//     walked as a browser would (redirects, cookies, the login form):
//       console   GET console /api/auth/oidc/login -> provider /auth -> login form (GET, POST)
//                 -> provider /auth/callback -> console /api/auth/oidc/callback (which exchanges
//                 the code at the token endpoint and checks the ID token) -> session cookie
//     Baseline, interleaved run by run: the SAME provider legs walked by this process against
//     the console's registered redirect URI (not requested), then the code exchange done here,
//     in-process, with the same library and checks the console uses (openid-client
//     authorizationCodeGrant: PKCE verifier, state, nonce, ID token validation). That is a
//     relying party without the console: what is left of the difference is the console's two
//     HTTP round trips (login redirect, callback), its flow and session cookies (AES-GCM seal),
//     and Next.js routing. "provider legs" alone (without the exchange) is shown too.
// (b) What authorization adds to setTraffic: two consoles on the same cluster, same build, run
//     side by side and called alternately, weights alternating v2 = 20/10:
//       token     GC_AUTH=token, called with a ServiceAccount's bearer token (`kubectl create
//                 token`) bound to `edit` in its namespace: TokenReview (cached 30 s), the
//                 SelfSubjectAccessReviews of the plan as that user (cached 5 s), and the
//                 cluster reads with the user's own token
//       none      GC_AUTH=none: the console's own credentials, no checks (the baseline)
//     Each on its own namespace with Bookinfo's reviews and a canary task. Then, for what the
//     caches hide, one TokenReview and one SelfSubjectAccessReview timed alone (100 each, over
//     a keep-alive connection as the console makes them): the cost of a cold call.
import { execFile } from "node:child_process";
import https from "node:https";
import { parseArgs, promisify } from "node:util";
import * as oidc from "openid-client";
import * as k8s from "@kubernetes/client-node";
import {
  ALICE,
  CookieJar,
  freePort,
  IDP_CLIENT,
  jarFetch,
  sessionSecret,
  startProvider,
  walkSignIn,
} from "../test/integration/helpers/auth";
import { benchNamespace, defaultWeightsOf, kube, loadKubeConfig, readVirtualService, waitFor } from "./k8s";
import {
  KUBECTL,
  LOCAL_KUBECONFIG,
  ms,
  onCleanup,
  printFooter,
  printHeader,
  ratio,
  REVIEWS_V2_IMAGE,
  runMain,
  startConsole,
  stats,
  table,
  timed,
  type Stats,
} from "./lib";

const run = promisify(execFile);

/** As the console's KeepAliveKubeConfig (lib/k8s/client.ts): one keep-alive agent, so a review timed here costs a request, not a TLS handshake. */
class KeepAliveConfig extends k8s.KubeConfig {
  private agent: https.Agent | undefined;
  override async applySecurityAuthentication(
    context: Parameters<k8s.KubeConfig["applySecurityAuthentication"]>[0],
  ): Promise<void> {
    await super.applySecurityAuthentication(context);
    const made = context.getAgent();
    if (!made || made.constructor !== https.Agent) return;
    this.agent ??= new https.Agent({ ...(made as https.Agent).options, keepAlive: true });
    context.setAgent(this.agent);
  }
}
const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "50" },
    calls: { type: "string", default: "200" },
    warmup: { type: "string", default: "5" },
    port: { type: "string", default: "3300" },
    aa: { type: "boolean", default: false },
  },
});
const RUNS = Number(args.runs);
const CALLS = Number(args.calls);
const WARMUP = Number(args.warmup);
const PORT = Number(args.port);
const SUBJECT_AUTH = args.aa ? "none" : "token";

const row = (label: string, x: Stats) => [label, x.n, ms(x.min), ms(x.p50), ms(x.p90), ms(x.p99), ms(x.max)];
const HEAD = ["", "n", "min", "p50", "p90", "p99", "max"];

async function signInRoundTrip(): Promise<void> {
  console.log(`\n## (a) OpenID Connect sign-in round trip (${RUNS} runs each, ${WARMUP} warm-up)\n`);
  const consolePort = PORT;
  const base = `http://127.0.0.1:${consolePort}`;
  const callback = `${base}/api/auth/oidc/callback`;
  const provider = await startProvider("bench-auth-oidc", await freePort(), [callback]);
  onCleanup(() => provider.stop());
  const app = await startConsole(consolePort, {
    dbFile: "auth-oidc.db",
    env: {
      GC_AUTH: "oidc",
      GC_SESSION_SECRET: sessionSecret(),
      GC_OIDC_ISSUER: provider.issuer,
      GC_OIDC_CLIENT_ID: IDP_CLIENT.id,
      GC_OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
      GC_OIDC_USERNAME_CLAIM: "email",
      GC_AUTH_USER_PREFIX: "oidc:",
      GC_AUTH_GROUP_PREFIX: "oidc:",
    },
  });
  onCleanup(() => app.stop());
  const config = await oidc.discovery(new URL(provider.issuer), IDP_CLIENT.id, IDP_CLIENT.secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });

  const throughConsole = async () => {
    const jar = new CookieJar();
    await walkSignIn(
      jar,
      `${base}/api/auth/oidc/login?next=%2F`,
      ALICE,
      (u) => u.origin === base && !u.pathname.startsWith("/api/auth/"),
    );
    if (!jar.get("gc_session")) throw new Error("the console's sign-in ended without a session cookie");
    return jar;
  };
  let legsMs = 0;
  const relyingPartyAlone = async () => {
    const jar = new CookieJar();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const start = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: "openid profile email groups",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    const t0 = performance.now();
    const back = await walkSignIn(jar, start.href, ALICE, (u) => u.href.startsWith(callback));
    legsMs = performance.now() - t0;
    const tokens = await oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    if (tokens.claims()?.email !== ALICE.email) throw new Error("the ID token does not name alice");
  };

  // Once, before timing: the console's session really names alice.
  const jar = await throughConsole();
  const who = (await (await jarFetch(jar, `${base}/api/auth/session`)).json()) as { user?: { name?: string } };
  if (who.user?.name !== "oidc:alice@example.test") throw new Error(`signed in as ${JSON.stringify(who.user)}`);

  const samples = { console: [] as number[], rp: [] as number[], legs: [] as number[] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const order = i % 2 === 0 ? (["console", "rp"] as const) : (["rp", "console"] as const);
    for (const which of order) {
      const { ms: t } = await timed(() =>
        which === "console" ? throughConsole().then(() => undefined) : relyingPartyAlone(),
      );
      if (i < WARMUP) continue;
      samples[which].push(t);
      if (which === "rp") samples.legs.push(legsMs);
    }
  }
  const s = { console: stats(samples.console), rp: stats(samples.rp), legs: stats(samples.legs) };
  console.log(
    table(HEAD, [
      row("console sign-in (login -> provider -> callback -> cookie)", s.console),
      row("baseline: provider legs + in-process code exchange", s.rp),
      row("(part of baseline) provider legs alone", s.legs),
    ]),
  );
  console.log(
    "\n" +
      table(
        ["console ÷ baseline", "p50", "p99"],
        [
          ["provider legs + code exchange", ratio(s.console.p50, s.rp.p50), ratio(s.console.p99, s.rp.p99)],
          ["provider legs alone", ratio(s.console.p50, s.legs.p50), ratio(s.console.p99, s.legs.p99)],
        ],
      ),
  );
  const paired = stats(samples.console.map((t, i) => t - samples.rp[i]!));
  console.log(
    `added by the console, paired run by run (console − baseline): median ${ms(paired.p50)}, p90 ${ms(paired.p90)}`,
  );
  await app.stop();
}

// ------------------------------------------------------------------ (b)

interface Caller {
  base: string;
  headers: Record<string, string>;
}

async function call(c: Caller, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${c.base}${path}`, {
    method,
    headers: {
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...c.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${c.base}${path}: HTTP ${res.status} ${text.slice(0, 400)}`);
  return text ? JSON.parse(text) : null;
}

async function canaryTask(c: Caller, namespace: string): Promise<string> {
  const created = await call(c, "POST", "/api/tasks", {
    name: "bench-auth",
    namespace,
    service: "reviews",
    strategy: "canary",
    newVersion: { version: "v2", image: REVIEWS_V2_IMAGE, replicas: 1 },
    traffic: { weights: { v1: 90, v2: 10 } },
  });
  const id = created.task.id as string;
  await waitFor(async () => (await call(c, "GET", `/api/tasks/${id}`)).task.operation === null, {
    timeoutMs: 90_000,
    description: `task ${id} settled`,
  });
  return id;
}

async function authorizationCost(): Promise<void> {
  console.log(
    `\n## (b) setTraffic with and without authorization (${CALLS} calls each, ${WARMUP * 2} warm-up, interleaved)\n`,
  );
  const kc = loadKubeConfig();
  const k = kube(kc);
  const [tokenApp, noneApp] = await Promise.all([
    startConsole(PORT + 1, {
      dbFile: "auth-token.db",
      env: { GC_AUTH: SUBJECT_AUTH, GC_SESSION_SECRET: sessionSecret() },
    }),
    startConsole(PORT + 2, { dbFile: "auth-none.db", env: { GC_AUTH: "none" } }),
  ]);
  onCleanup(() => tokenApp.stop());
  onCleanup(() => noneApp.stop());
  const [nsToken, nsNone] = await Promise.all([
    benchNamespace(kc, k, "bench-auth-token"),
    benchNamespace(kc, k, "bench-auth-none"),
  ]);

  // The operator: a ServiceAccount bound to Kubernetes' own `edit` role in its namespace only.
  await k.core.createNamespacedServiceAccount({ namespace: nsToken.name, body: { metadata: { name: "operator" } } });
  await kc.makeApiClient(k8s.RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace: nsToken.name,
    body: {
      metadata: { name: "operator-edit" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ kind: "ServiceAccount", name: "operator", namespace: nsToken.name }],
    },
  });
  const token = (
    await run(KUBECTL, [
      "--kubeconfig",
      LOCAL_KUBECONFIG,
      "-n",
      nsToken.name,
      "create",
      "token",
      "operator",
      "--duration",
      "1h",
    ])
  ).stdout.trim();

  const callers = {
    token: { base: tokenApp.baseUrl, headers: { authorization: `Bearer ${token}` } },
    none: { base: noneApp.baseUrl, headers: {} },
  };
  const who = await call(callers.token, "GET", "/api/auth/session");
  const expectedActor = SUBJECT_AUTH === "token" ? `system:serviceaccount:${nsToken.name}:operator` : "anonymous";
  if (who.user?.name !== expectedActor)
    throw new Error(`the ${SUBJECT_AUTH} console names ${JSON.stringify(who.user)}`);
  const ids = {
    token: await canaryTask(callers.token, nsToken.name),
    none: await canaryTask(callers.none, nsNone.name),
  };
  const ns = { token: nsToken.name, none: nsNone.name };

  const samples = { token: [] as number[], none: [] as number[] };
  let lastV2 = 10;
  for (let i = 0; i < WARMUP * 2 + CALLS; i++) {
    const v2 = i % 2 === 0 ? 20 : 10;
    lastV2 = v2;
    const order = i % 2 === 0 ? (["token", "none"] as const) : (["none", "token"] as const);
    for (const which of order) {
      const { ms: t } = await timed(() =>
        call(callers[which], "POST", `/api/tasks/${ids[which]}/actions`, {
          action: "setTraffic",
          weights: { v1: 100 - v2, v2 },
        }),
      );
      if (i >= WARMUP * 2) samples[which].push(t);
    }
  }
  // Real writes, as the right user: the weights landed and history names the operator.
  for (const which of ["token", "none"] as const) {
    const w = defaultWeightsOf(await readVirtualService(k, ns[which]));
    if (w.v1 !== 100 - lastV2 || w.v2 !== lastV2)
      throw new Error(`${ns[which]}: weights ${JSON.stringify(w)}, expected v2=${lastV2}`);
  }
  const events = (await call(callers.token, "GET", `/api/tasks/${ids.token}/events`)).events as {
    action: string;
    result: string;
    actor: string;
  }[];
  const mine = events.filter((e) => e.action === "setTraffic" && e.result === "ok");
  if (mine.length !== WARMUP * 2 + CALLS || mine.some((e) => e.actor !== who.user.name))
    throw new Error(`expected ${WARMUP * 2 + CALLS} ok setTraffic events by ${who.user.name}, got ${mine.length}`);

  const s = { token: stats(samples.token), none: stats(samples.none) };
  console.log(
    table(HEAD, [
      row(
        SUBJECT_AUTH === "token"
          ? "GC_AUTH=token (bearer, TokenReview + SSAR, user's token)"
          : "GC_AUTH=none (--aa: the subject console without sign-in)",
        s.token,
      ),
      row("baseline: GC_AUTH=none", s.none),
    ]),
  );
  console.log(
    "\n" +
      table(
        ["token ÷ none", "p50", "p90", "p99"],
        [
          [
            "setTraffic",
            ratio(s.token.p50, s.none.p50),
            ratio(s.token.p90, s.none.p90),
            ratio(s.token.p99, s.none.p99),
          ],
        ],
      ),
  );
  // Paired call by call (the two calls of one round ran back to back): steadier than a difference of percentiles on a busy machine.
  const paired = stats(samples.token.map((t, i) => t - samples.none[i]!));
  console.log(
    `added by authorization, paired call by call (token − none): median ${ms(paired.p50)}, p90 ${ms(paired.p90)}`,
  );
  console.log(
    `checked: both VirtualServices end at v2=${lastV2}; the token console recorded ${mine.length} ok setTraffic events by ${who.user.name}`,
  );

  // What the caches hide: the two reviews a cold call makes, timed alone from this process
  // (the console's own client for the TokenReview, the operator's token for the access review).
  const asConsole = new KeepAliveConfig();
  asConsole.loadFromFile(LOCAL_KUBECONFIG);
  const cluster = kc.getCurrentCluster()!;
  const asOperator = new KeepAliveConfig();
  asOperator.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "operator", token }],
    contexts: [{ name: "operator", cluster: cluster.name, user: "operator" }],
    currentContext: "operator",
  });
  const authn = asConsole.makeApiClient(k8s.AuthenticationV1Api);
  const authz = asOperator.makeApiClient(k8s.AuthorizationV1Api);
  const reviews = { tokenReview: [] as number[], accessReview: [] as number[] };
  for (let i = 0; i < WARMUP + 100; i++) {
    const tr = await timed(() => authn.createTokenReview({ body: { spec: { token } } }));
    const ar = await timed(() =>
      authz.createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: {
              verb: "update",
              group: "networking.istio.io",
              resource: "virtualservices",
              namespace: nsToken.name,
            },
          },
        },
      }),
    );
    if (!tr.value.status?.authenticated || !ar.value.status?.allowed)
      throw new Error("the operator's token was not accepted or not allowed");
    if (i < WARMUP) continue;
    reviews.tokenReview.push(tr.ms);
    reviews.accessReview.push(ar.ms);
  }
  console.log(
    "\nwhat a cache miss costs (one review, in-process over a keep-alive connection as the console makes it, 100 each; the console caches TokenReview 30 s, access reviews 5 s)\n",
  );
  console.log(
    table(HEAD, [
      row("TokenReview (console's client)", stats(reviews.tokenReview)),
      row("SelfSubjectAccessReview (operator's token)", stats(reviews.accessReview)),
    ]),
  );
}

runMain(async () => {
  printHeader("sign-in round trip and the cost of per-user authorization");
  if (!args.aa) await signInRoundTrip();
  await authorizationCost();
  printFooter();
});
