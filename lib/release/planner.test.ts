import { describe, expect, it } from "vitest";
import { batchPlan, planAction, planCreate, splitPool } from "./planner";
import { readRouting } from "./routing";
import { opList } from "./testdata/apply";
import { bookinfo, NS, reviewsDeployment, vs5050, vs8020, vsBusy, vsJason } from "./testdata/bookinfo";
import { canaryWeights, created, expectPlanError, IMAGE, makeSpec, Run } from "./testdata/run";
import type { Deployment, DestinationRule, VirtualService } from "./types";
import { LABEL_MANAGED_BY, LABEL_TASK } from "./types";
import type { PlanError } from "./errors";

// ------------------------------------------------------------------ create

describe("planCreate: the new Deployment", () => {
  const plan = planCreate(
    makeSpec("canary", {
      traffic: { weights: { v1: 90, v2: 10 } },
      newVersion: {
        version: "v2",
        image: IMAGE,
        replicas: 2,
        env: [
          { name: "LOG_DIR", value: "/var/log" },
          { name: "STAR_COLOR", value: "black" },
        ],
        resources: { limits: { memory: "512Mi" } },
        readinessProbe: { httpGet: { path: "/health", port: 9080 }, periodSeconds: 5 },
        args: ["--x"],
      },
    }),
    bookinfo(),
  );
  const d = created<Deployment>(plan, "Deployment");

  it("is a stripped copy of the base with app/version/task/managed-by labels", () => {
    expect(d.metadata).toEqual({
      name: "reviews-v2",
      namespace: NS,
      labels: { app: "reviews", version: "v2", [LABEL_MANAGED_BY]: "gray-console", [LABEL_TASK]: "rel" },
    });
    expect(d.status).toBeUndefined();
    expect(d.spec.selector).toEqual({ matchLabels: { app: "reviews", version: "v2" } });
    expect(d.spec.template.metadata?.labels).toEqual({ app: "reviews", version: "v2" });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.serviceAccountName).toBe("bookinfo-reviews");
    expect(d.spec.template.spec.volumes).toEqual(bookinfo().deployments[0]?.spec.template.spec.volumes);
  });

  it("customises only the main container", () => {
    const c = d.spec.template.spec.containers[0];
    expect(c).toMatchObject({
      name: "reviews",
      image: IMAGE,
      imagePullPolicy: "IfNotPresent",
      env: [
        { name: "LOG_DIR", value: "/var/log" },
        { name: "STAR_COLOR", value: "black" },
      ],
      resources: { limits: { memory: "512Mi" } },
      readinessProbe: { httpGet: { path: "/health", port: 9080 }, periodSeconds: 5 },
      args: ["--x"],
      ports: [{ containerPort: 9080 }],
    });
    expect(c?.command).toBeUndefined();
  });

  it("does not mutate the cluster state it was given", () => {
    const cluster = bookinfo();
    const before = JSON.stringify(cluster);
    planCreate(canaryWeights(80, 20), cluster);
    expect(JSON.stringify(cluster)).toBe(before);
  });

  it("is deterministic", () => {
    expect(planCreate(canaryWeights(80, 20), bookinfo())).toEqual(planCreate(canaryWeights(80, 20), bookinfo()));
  });

  it("keeps a non-main sidecar untouched and picks the container named like the service", () => {
    const base = reviewsDeployment("v1");
    const main = base.spec.template.spec.containers[0];
    if (!main) throw new Error("fixture");
    base.spec.template.spec.containers = [{ name: "proxy", image: "envoy:1" }, main];
    const p = planCreate(canaryWeights(80, 20), bookinfo({ deployments: [base] }));
    const cs = created<Deployment>(p, "Deployment").spec.template.spec.containers;
    expect(cs.map((c) => [c.name, c.image])).toEqual([
      ["proxy", "envoy:1"],
      ["reviews", IMAGE],
    ]);
  });
});

describe("planCreate per strategy (Bookinfo reviews, all traffic on v1)", () => {
  const SENDS_NOTHING_TO_V2 = new Set([
    "canary 100/0 sends nothing to v2, so nothing waits",
    "blue-green without preview",
  ]);
  const v = (subset: string, weight?: number) => ({
    destination: { host: "reviews", subset },
    ...(weight === undefined ? {} : { weight }),
  });

  it.each([
    ["canary 80/20", canaryWeights(80, 20), [{ route: [v("v1", 80), v("v2", 20)] }]],
    ["canary 0/100 keeps both destinations", canaryWeights(0, 100), [{ route: [v("v1", 0), v("v2", 100)] }]],
    [
      "canary 100/0 sends nothing to v2, so nothing waits",
      canaryWeights(100, 0),
      [{ route: [v("v1", 100), v("v2", 0)] }],
    ],
    [
      "canary by header (Istio's jason sample)",
      makeSpec("canary", { traffic: { match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }] } }),
      [{ name: "gc-rel-canary", ...vsJason().spec.http?.[0] }, { route: [v("v1", 100), v("v2", 0)] }],
    ],
    [
      "canary by cookie + uri for 30% of matched requests, rest by weights",
      makeSpec("canary", {
        traffic: {
          weights: { v1: 95, v2: 5 },
          match: [
            { kind: "cookie", name: "beta", value: "1" },
            { kind: "uri", op: "prefix", value: "/reviews" },
          ],
          matchWeight: 30,
        },
      }),
      [
        {
          name: "gc-rel-canary",
          match: [{ headers: { cookie: { regex: "^(.*?;\\s*)?beta=1(;.*)?$" } }, uri: { prefix: "/reviews" } }],
          route: [v("v2", 30), v("v1", 70)],
        },
        { route: [v("v1", 95), v("v2", 5)] },
      ],
    ],
    [
      "blue-green with a preview header",
      makeSpec("blue-green", { traffic: { previewHeader: { name: "x-preview", value: "green" } } }),
      [
        { name: "gc-rel-preview", match: [{ headers: { "x-preview": { exact: "green" } } }], route: [v("v2")] },
        { route: [v("v1", 100), v("v2", 0)] },
      ],
    ],
    [
      "blue-green with a preview cookie only: a regex over the Cookie header, as Istio's samples match user=jason",
      makeSpec("blue-green", { traffic: { previewCookie: { name: "preview", value: "true" } } }),
      [
        {
          name: "gc-rel-preview",
          match: [{ headers: { cookie: { regex: "^(.*?;\\s*)?preview=true(;.*)?$" } } }],
          route: [v("v2")],
        },
        { route: [v("v1", 100), v("v2", 0)] },
      ],
    ],
    [
      "blue-green with a preview header and a preview cookie: either one reaches the new version (two ORed matches)",
      makeSpec("blue-green", {
        traffic: {
          previewHeader: { name: "end-user", value: "jason" },
          previewCookie: { name: "preview", value: "true" },
        },
      }),
      [
        {
          name: "gc-rel-preview",
          match: [
            { headers: { "end-user": { exact: "jason" } } },
            { headers: { cookie: { regex: "^(.*?;\\s*)?preview=true(;.*)?$" } } },
          ],
          route: [v("v2")],
        },
        { route: [v("v1", 100), v("v2", 0)] },
      ],
    ],
    ["blue-green without preview", makeSpec("blue-green"), [{ route: [v("v1", 100), v("v2", 0)] }]],
    [
      "ab-test: android users get v2, the rest split v1/v2",
      makeSpec("ab-test", {
        traffic: {
          variants: [
            { name: "android", version: "v2", match: [{ kind: "os", value: "android" }] },
            { name: "a", version: "v1", weight: 70 },
            { name: "b", version: "v2", weight: 30 },
          ],
        },
      }),
      [
        {
          name: "gc-rel-variant-android",
          match: [{ headers: { "user-agent": { regex: ".*(?:Android).*" } } }],
          route: [v("v2")],
        },
        { route: [v("v1", 70), v("v2", 30)] },
      ],
    ],
    [
      "ab-test with match-only variants: base keeps the rest",
      makeSpec("ab-test", {
        traffic: {
          variants: [
            { name: "ios", version: "v2", match: [{ kind: "os", value: "ios" }] },
            { name: "firefox", version: "v1", match: [{ kind: "browser", value: "firefox" }] },
          ],
        },
      }),
      [
        {
          name: "gc-rel-variant-ios",
          match: [{ headers: { "user-agent": { regex: ".*(?:iPhone|iPad|iPod).*" } } }],
          route: [v("v2")],
        },
        {
          name: "gc-rel-variant-firefox",
          match: [{ headers: { "user-agent": { regex: ".*(?:(?:Firefox|FxiOS)/).*" } } }],
          route: [v("v1")],
        },
        { route: [v("v1", 100), v("v2", 0)] },
      ],
    ],
    [
      "mirror 25%",
      makeSpec("mirror", { traffic: { mirrorPercent: 25 } }),
      [
        {
          route: [v("v1", 100), v("v2", 0)],
          mirror: { host: "reviews", subset: "v2" },
          mirrorPercentage: { value: 25 },
        },
      ],
    ],
  ])("%s", (_label, spec, http) => {
    const plan = planCreate(spec, bookinfo());
    // Bookinfo's DR already has a v2 subset: nothing to write there. Make before break: a VS
    // that sends v2 anything (weight, match route, mirror) waits for v2's pods to be Ready.
    const wait = SENDS_NOTHING_TO_V2.has(_label) ? [] : ["wait reviews-v2 Ready 1"];
    expect(opList(plan)).toEqual(["create Deployment/reviews-v2", ...wait, "replace VirtualService/reviews"]);
    const vs = created<VirtualService>(plan, "VirtualService");
    expect(vs.spec).toEqual({ hosts: ["reviews"], http });
    expect(vs.metadata.resourceVersion).toBe("3001");
    expect(vs.metadata.managedFields).toBeUndefined();
    expect(plan.state).toBe("progressing");
    expect(plan.status.lastApplied.virtualServiceSpec).toEqual(vs.spec);
    expect(plan.status.lastApplied.destinationRuleSpec).toEqual(bookinfo().destinationRule?.spec);
    expect(plan.status.created).toEqual({ virtualService: false, destinationRule: false, deployment: true });
    expect(plan.status.original.virtualService).toEqual(bookinfo().virtualService);
    expect(JSON.parse(JSON.stringify(plan.status))).toEqual(plan.status);
  });

  it("ab-test routes a variant to an existing third version and adds its missing subset", () => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = [{ name: "v1", labels: { version: "v1" } }];
    const plan = planCreate(
      makeSpec("ab-test", {
        traffic: {
          variants: [
            { name: "new", version: "v2", weight: 50 },
            { name: "old", version: "v3", weight: 50 },
          ],
        },
      }),
      bookinfo({ destinationRule: dr, deployments: [reviewsDeployment("v1"), reviewsDeployment("v3")] }),
    );
    expect(opList(plan)).toEqual([
      "create Deployment/reviews-v2",
      "replace DestinationRule/reviews",
      "wait reviews-v2 Ready 1",
      "replace VirtualService/reviews",
    ]);
    expect(created<DestinationRule>(plan, "DestinationRule").spec.subsets?.map((s) => s.name)).toEqual([
      "v1",
      "v2",
      "v3",
    ]);
    expect(readRouting(created<VirtualService>(plan, "VirtualService"), "reviews", NS).defaultRoute?.weights).toEqual({
      v1: 0,
      v2: 50,
      v3: 50,
    });
  });

  it("ab-test refuses a variant version nobody runs", () => {
    const spec = makeSpec("ab-test", {
      traffic: {
        variants: [
          { name: "a", version: "v2", weight: 50 },
          { name: "b", version: "v7", weight: 50 },
        ],
      },
    });
    expectPlanError(
      () => planCreate(spec, bookinfo()),
      "not_found",
      /^traffic\.variants\[1\]\.version: no Deployment runs version v7/,
    );
  });

  it("creates the DR and VS (managed, labelled) when the service has none", () => {
    const plan = planCreate(canaryWeights(80, 20), bookinfo({ destinationRule: null, virtualService: null }));
    expect(opList(plan)).toEqual([
      "create Deployment/reviews-v2",
      "create DestinationRule/reviews",
      "wait reviews-v2 Ready 1",
      "create VirtualService/reviews",
    ]);
    const dr = created<DestinationRule>(plan, "DestinationRule");
    expect(dr).toEqual({
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews", namespace: NS, labels: { [LABEL_MANAGED_BY]: "gray-console", [LABEL_TASK]: "rel" } },
      spec: {
        host: "reviews",
        subsets: [
          { name: "v1", labels: { version: "v1" } },
          { name: "v2", labels: { version: "v2" } },
        ],
      },
    });
    const vs = created<VirtualService>(plan, "VirtualService");
    expect(vs.metadata.labels).toEqual({ [LABEL_MANAGED_BY]: "gray-console", [LABEL_TASK]: "rel" });
    expect(vs.spec).toEqual({ hosts: ["reviews"], http: [{ route: [v("v1", 80), v("v2", 20)] }] });
    expect(plan.status.created).toEqual({ virtualService: true, destinationRule: true, deployment: true });
  });

  it("adds only the missing new subset to an existing DR, keeping its other fields", () => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = [
      { name: "v1", labels: { version: "v1" }, trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } } },
    ];
    dr.spec.trafficPolicy = { tls: { mode: "ISTIO_MUTUAL" } };
    const plan = planCreate(canaryWeights(80, 20), bookinfo({ destinationRule: dr }));
    expect(created<DestinationRule>(plan, "DestinationRule").spec).toEqual({
      host: "reviews",
      subsets: [
        { name: "v1", labels: { version: "v1" }, trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } } },
        { name: "v2", labels: { version: "v2" } },
      ],
      trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } },
    });
  });

  it("names the new subset v2-2 when a subset named v2 selects other pods", () => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = [
      { name: "v1", labels: { version: "v1" } },
      { name: "v2", labels: { version: "v1" } },
    ];
    const plan = planCreate(canaryWeights(80, 20), bookinfo({ destinationRule: dr }));
    expect(created<DestinationRule>(plan, "DestinationRule").spec.subsets).toEqual([
      ...(dr.spec.subsets ?? []),
      { name: "v2-2", labels: { version: "v2" } },
    ]);
    expect(plan.status.subsets).toEqual({ v1: "v1", v2: "v2-2" });
    expect(readRouting(created<VirtualService>(plan, "VirtualService"), "reviews", NS).defaultRoute?.weights).toEqual({
      v1: 80,
      "v2-2": 20,
    });
    expect(plan.status.weights).toEqual({ v1: 80, v2: 20 });
  });

  it("reuses an adopted DR's differently named subset for the base", () => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = [{ name: "stable", labels: { version: "v1" } }];
    const vs = bookinfo().virtualService as VirtualService;
    const dest = vs.spec.http?.[0]?.route?.[0]?.destination;
    if (dest) dest.subset = "stable";
    const plan = planCreate(canaryWeights(80, 20), bookinfo({ destinationRule: dr, virtualService: vs }));
    expect(plan.status.baseVersion).toBe("v1");
    expect(plan.status.subsets).toEqual({ v1: "stable", v2: "v2" });
    expect(readRouting(created<VirtualService>(plan, "VirtualService"), "reviews", NS).defaultRoute?.weights).toEqual({
      stable: 80,
      v2: 20,
    });
  });
});

describe("adopting someone else's VirtualService", () => {
  const live = vsBusy();
  const plan = planCreate(
    makeSpec("canary", {
      traffic: {
        weights: { v1: 80, v2: 20 },
        match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }],
      },
    }),
    bookinfo({ virtualService: live }),
  );
  const vs = created<VirtualService>(plan, "VirtualService");
  const http = vs.spec.http ?? [];

  it("preserves every other route byte-for-byte and in order", () => {
    expect(http.map((r) => r.name)).toEqual(["qa", "legacy-api", "gc-rel-canary", "default"]);
    expect(JSON.stringify(http[0])).toBe(JSON.stringify(live.spec.http?.[0]));
    expect(JSON.stringify(http[1])).toBe(JSON.stringify(live.spec.http?.[1]));
  });

  it("preserves every top-level field byte-for-byte and in order", () => {
    expect(Object.keys(vs.spec)).toEqual(Object.keys(live.spec));
    for (const k of ["hosts", "gateways", "exportTo"])
      expect(JSON.stringify(vs.spec[k])).toBe(JSON.stringify(live.spec[k]));
    expect(vs.metadata.annotations).toEqual({ owner: "team-reviews" });
    expect(vs.metadata.resourceVersion).toBe("3002");
  });

  it("changes only the default route's destinations, reusing its host string and port", () => {
    const dest = (subset: string, weight: number) => ({
      destination: { host: "reviews.bookinfo.svc.cluster.local", subset, port: { number: 9080 } },
      weight,
    });
    expect(http[3]).toEqual({
      name: "default",
      timeout: "10s",
      retries: { attempts: 2 },
      route: [dest("v1", 80), dest("v2", 20)],
    });
    expect(http[2]?.route).toEqual([
      { destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v2", port: { number: 9080 } } },
    ]);
  });

  it("a later action still leaves them untouched", () => {
    const run = new Run(
      makeSpec("canary", {
        traffic: {
          weights: { v1: 80, v2: 20 },
          match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }],
        },
      }),
      bookinfo({ virtualService: live }),
    );
    run.act({ action: "setTraffic", weights: { v1: 40, v2: 60 } });
    run.act({ action: "takeover" });
    const after = run.cluster.virtualService?.spec;
    expect(after?.http?.map((r) => r.name)).toEqual(["qa", "legacy-api", "default"]);
    expect(JSON.stringify(after?.http?.[0])).toBe(JSON.stringify(live.spec.http?.[0]));
    expect(JSON.stringify(after?.http?.[1])).toBe(JSON.stringify(live.spec.http?.[1]));
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 0, v2: 100 });
  });

  it("refuses to retire a base that another route still uses", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: live }));
    run.act({ action: "takeover" });
    const err = expectPlanError(
      () => run.act({ action: "retireOld" }),
      "conflict",
      /^cannot retireOld: reviews\/qa, reviews\/legacy-api still route traffic to v1/,
    );
    expect(err.details).toEqual({
      routes: [
        { virtualService: "reviews", index: 0, name: "qa", id: "reviews/qa" },
        { virtualService: "reviews", index: 1, name: "legacy-api", id: "reviews/legacy-api" },
      ],
    });
  });

  it("refuses a route name that is not the task's", () => {
    const taken = vsBusy();
    const qa = taken.spec.http?.[0];
    if (qa) qa.name = "gc-rel-canary";
    expectPlanError(
      () =>
        planCreate(
          makeSpec("canary", { traffic: { match: [{ kind: "os", value: "ios" }] } }),
          bookinfo({ virtualService: taken }),
        ),
      "conflict",
      /already has a route named gc-rel-canary/,
    );
  });
});

describe("planCreate refuses", () => {
  const noIstio = bookinfo({ istioAvailable: false, destinationRule: null, virtualService: null });
  it.each([
    [
      "Istio strategies without Istio",
      () => planCreate(canaryWeights(80, 20), noIstio),
      "invalid",
      /^strategy: Istio CRDs not installed; use replica-canary/,
    ],
    ["blue-green without Istio", () => planCreate(makeSpec("blue-green"), noIstio), "invalid", /use replica-canary/],
    [
      "a version that already runs",
      () =>
        planCreate(
          canaryWeights(80, 20),
          bookinfo({ deployments: [reviewsDeployment("v1"), reviewsDeployment("v2")] }),
        ),
      "conflict",
      /^newVersion\.version: version v2 already exists as Deployment reviews-v2/,
    ],
    [
      "an ambiguous base (50/50 between v1 and v3)",
      () =>
        planCreate(
          makeSpec("blue-green"),
          bookinfo({ virtualService: vs5050(), deployments: [reviewsDeployment("v1"), reviewsDeployment("v3")] }),
        ),
      "invalid",
      /^baseVersion: cannot detect the base version: versions v1, v3 share the most traffic \(50%\)/,
    ],
    [
      "an ambiguous base with no VS",
      () =>
        planCreate(
          makeSpec("blue-green"),
          bookinfo({ virtualService: null, deployments: [reviewsDeployment("v1"), reviewsDeployment("v3")] }),
        ),
      "invalid",
      /^baseVersion: .*versions v1, v3/,
    ],
    [
      "a base version without Deployment",
      () => planCreate(makeSpec("blue-green", { baseVersion: "v3" }), bookinfo()),
      "not_found",
      /^baseVersion: no Deployment with app=reviews, version=v3/,
    ],
    [
      "a service without Deployments",
      () => planCreate(makeSpec("blue-green"), bookinfo({ deployments: [], virtualService: null })),
      "not_found",
      /^service: no Deployment/,
    ],
    [
      "canary weights naming another base",
      () => planCreate(makeSpec("canary", { traffic: { weights: { v3: 50, v2: 50 } } }), bookinfo()),
      "invalid",
      /^traffic\.weights: must name the base version v1/,
    ],
    [
      "a base whose selector would adopt the new pods",
      () => {
        const base = reviewsDeployment("v1");
        base.spec.selector = { matchLabels: { app: "reviews" } };
        return planCreate(canaryWeights(80, 20), bookinfo({ deployments: [base] }));
      },
      "invalid",
      /^baseVersion: base Deployment reviews-v1 selects app=reviews, which would also adopt the new pods/,
    ],
    [
      "a Service pinned to the base version",
      () => {
        const svc = bookinfo().service;
        svc.spec.selector = { app: "reviews", version: "v1" };
        return planCreate(canaryWeights(80, 20), bookinfo({ service: svc }));
      },
      "invalid",
      /^service: Service reviews selects app=reviews,version=v1, which the new pods/,
    ],
    [
      "a base without version label for Istio routing",
      () => {
        const base = reviewsDeployment("v1");
        delete base.spec.template.metadata?.labels?.version;
        return planCreate(canaryWeights(80, 20), bookinfo({ deployments: [base], virtualService: null }));
      },
      "invalid",
      /^baseVersion: base Deployment reviews-v1 has no version label/,
    ],
    [
      "a spec for another namespace",
      () => planCreate(canaryWeights(80, 20), bookinfo({ namespace: "default" })),
      "invalid",
      /^namespace: /,
    ],
  ])("%s", (_label, fn, code, message) => {
    expectPlanError(fn, code as PlanError["code"], message);
  });
});

// ------------------------------------------------------------------ actions

describe("canary actions", () => {
  it("setTraffic -> takeover -> retireOld", () => {
    const run = new Run(canaryWeights(80, 20));
    run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(run.state).toBe("progressing");
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 50, v2: 50 });

    expectPlanError(
      () => run.act({ action: "retireOld" }),
      "conflict",
      /^cannot retireOld: take over all traffic first/,
    );

    run.act({ action: "takeover" });
    expect(run.plan.status.takenOver).toBe(true);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 0, v2: 100 });
    expect(run.replicas("reviews-v1")).toBe(1);

    const retire = run.act({ action: "retireOld" });
    // Break after make: routes leave v1, requests in flight drain, then its subset and pods go.
    expect(opList(retire)).toEqual([
      "replace VirtualService/reviews",
      "drain v1 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v1",
    ]);
    expect(retire.state).toBe("completed");
    expect(run.cluster.virtualService?.spec).toEqual({
      hosts: ["reviews"],
      http: [{ route: [{ destination: { host: "reviews", subset: "v2" } }] }],
    });
    expect(run.cluster.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v2", "v3"]);
    expect(run.cluster.deployments.map((d) => d.metadata.name)).toEqual(["reviews-v2"]);
  });

  it("setTraffic to a third deployed version; refuses unknown or empty subsets naming weights.<name>", () => {
    const run = new Run(
      canaryWeights(80, 20),
      bookinfo({ deployments: [reviewsDeployment("v1"), reviewsDeployment("v3")] }),
    );
    run.act({ action: "setTraffic", weights: { v1: 50, v2: 25, v3: 25 } });
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 50, v2: 25, v3: 25 });

    const fresh = new Run(canaryWeights(80, 20));
    expectPlanError(
      () => fresh.act({ action: "setTraffic", weights: { v1: 50, v9: 50 } }),
      "invalid",
      /^weights\.v9: unknown version v9/,
    );
    expectPlanError(
      () => fresh.act({ action: "setTraffic", weights: { v1: 50, v3: 50 } }),
      "invalid",
      /^weights\.v3: subset v3 has no Deployment/,
    );
    expectPlanError(
      () => fresh.act({ action: "setTraffic", mirrorPercent: 10 }),
      "invalid",
      /^mirrorPercent: only mirror releases/,
    );
  });

  it("rollback drops the match route; setTraffic from rolled-back resumes", () => {
    const run = new Run(
      makeSpec("canary", {
        traffic: {
          weights: { v1: 90, v2: 10 },
          match: [{ kind: "header", name: "end-user", op: "exact", value: "jason" }],
        },
      }),
    );
    expect(run.routing().matchRoutes.map((r) => r.name)).toEqual(["gc-rel-canary"]);
    run.act({ action: "rollback" });
    expect(run.state).toBe("rolled-back");
    expect(run.routing()).toMatchObject({ defaultRoute: { weights: { v1: 100, v2: 0 } }, matchRoutes: [] });
    expectPlanError(() => run.act({ action: "rollback" }), "conflict", /already rolled back/);
    run.act({ action: "setTraffic", weights: { v1: 70, v2: 30 } });
    expect(run.state).toBe("progressing");
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 70, v2: 30 });
  });

  it("setTraffic with nothing changed writes nothing", () => {
    const run = new Run(canaryWeights(80, 20));
    expect(run.act({ action: "setTraffic", weights: { v1: 80, v2: 20 } }).ops).toEqual([]);
  });

  it("refuses to act when its VirtualService was deleted", () => {
    const run = new Run(canaryWeights(80, 20));
    run.cluster = { ...run.cluster, virtualService: null };
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }),
      "conflict",
      /VirtualService reviews was deleted/,
    );
  });
});

describe("abort restores the original exactly", () => {
  it.each([
    [
      "canary with match on busy VS",
      makeSpec("canary", { traffic: { weights: { v1: 80, v2: 20 }, match: [{ kind: "os", value: "ios" }] } }),
      vsBusy(),
    ],
    ["mirror on 80-20 VS", makeSpec("mirror", { traffic: { mirrorPercent: 50 }, baseVersion: "v1" }), vs8020()],
    [
      "blue-green with preview",
      makeSpec("blue-green", { traffic: { previewHeader: { name: "x-preview", value: "1" } } }),
      bookinfo().virtualService,
    ],
  ])("%s", (_label, spec, liveVs) => {
    const dr = bookinfo().destinationRule as DestinationRule;
    dr.spec.subsets = dr.spec.subsets?.filter((s) => s.name === "v1");
    const start = bookinfo({ virtualService: liveVs, destinationRule: dr });
    const run = new Run(spec, start);
    expect(run.cluster.destinationRule?.spec.subsets?.map((s) => s.name)).toEqual(["v1", "v2"]);
    if (spec.strategy === "blue-green") run.act({ action: "switch" });
    else run.act({ action: "takeover" });
    const abort = run.act({ action: "abort" });
    expect(abort.state).toBe("aborted");
    expect(opList(abort)).toEqual([
      "replace VirtualService/reviews",
      "drain v2 30s",
      "replace DestinationRule/reviews",
      "delete Deployment/reviews-v2",
    ]);
    expect(run.cluster.virtualService?.spec).toEqual(start.virtualService?.spec);
    expect(JSON.stringify(run.cluster.virtualService?.spec)).toBe(JSON.stringify(start.virtualService?.spec));
    expect(run.cluster.destinationRule?.spec).toEqual(start.destinationRule?.spec);
    expect(run.cluster.deployments.map((d) => d.metadata.name)).toEqual(["reviews-v1"]);
    expectPlanError(() => run.act({ action: "rollback" }), "conflict", /^cannot rollback: task is aborted/);
  });

  it("deletes the VS and DR it created", () => {
    const run = new Run(canaryWeights(80, 20), bookinfo({ virtualService: null, destinationRule: null }));
    const abort = run.act({ action: "abort" });
    expect(opList(abort)).toEqual([
      "delete VirtualService/reviews",
      "drain v2 30s",
      "delete DestinationRule/reviews",
      "delete Deployment/reviews-v2",
    ]);
    expect(run.cluster.virtualService).toBeNull();
    expect(run.cluster.destinationRule).toBeNull();
  });

  it("recreates an adopted VS that someone deleted meanwhile", () => {
    const run = new Run(canaryWeights(80, 20));
    run.cluster = { ...run.cluster, virtualService: null };
    const abort = run.act({ action: "abort" });
    expect(opList(abort)[0]).toBe("create VirtualService/reviews");
    expect(run.cluster.virtualService?.spec).toEqual(bookinfo().virtualService?.spec);
  });
});

describe("blue-green actions", () => {
  it("switch keeps the preview route until retireOld; setTraffic and takeover-only actions refused", () => {
    const run = new Run(makeSpec("blue-green", { traffic: { previewHeader: { name: "x-preview", value: "1" } } }));
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }),
      "conflict",
      /^cannot setTraffic: blue-green moves all traffic at once/,
    );
    run.act({ action: "switch" });
    expect(run.routing()).toMatchObject({
      defaultRoute: { weights: { v1: 0, v2: 100 } },
      matchRoutes: [{ name: "gc-rel-preview" }],
    });
    run.act({ action: "rollback" });
    expect(run.routing()).toMatchObject({
      defaultRoute: { weights: { v1: 100, v2: 0 } },
      matchRoutes: [{ name: "gc-rel-preview" }],
    });
    run.act({ action: "switch" });
    run.act({ action: "retireOld" });
    expect(run.routing()).toEqual({
      virtualService: "reviews",
      defaultRoute: { weights: { v2: 100 } },
      matchRoutes: [],
    });
  });
  it("a cookie-only preview route survives switch and rollback like a header one", () => {
    const run = new Run(makeSpec("blue-green", { traffic: { previewCookie: { name: "preview", value: "true" } } }));
    run.act({ action: "switch" });
    expect(run.routing()).toMatchObject({
      defaultRoute: { weights: { v1: 0, v2: 100 } },
      matchRoutes: [{ name: "gc-rel-preview" }],
    });
    run.act({ action: "rollback" });
    expect(run.routing()).toMatchObject({
      defaultRoute: { weights: { v1: 100, v2: 0 } },
      matchRoutes: [{ name: "gc-rel-preview" }],
    });
  });
  it("switch is blue-green only", () => {
    const run = new Run(canaryWeights(80, 20));
    expectPlanError(
      () => run.act({ action: "switch" }),
      "conflict",
      /^cannot switch: switch is for blue-green releases; use takeover/,
    );
  });
});

describe("ab-test actions", () => {
  it("takeover removes the variant routes", () => {
    const run = new Run(
      makeSpec("ab-test", {
        traffic: {
          variants: [
            { name: "ios", version: "v2", match: [{ kind: "os", value: "ios" }] },
            { name: "rest", version: "v1", weight: 100 },
          ],
        },
      }),
    );
    expect(run.routing().matchRoutes.map((r) => r.name)).toEqual(["gc-rel-variant-ios"]);
    run.act({ action: "setTraffic", weights: { v1: 60, v2: 40 } });
    expect(run.routing().matchRoutes.map((r) => r.name)).toEqual(["gc-rel-variant-ios"]);
    run.act({ action: "takeover" });
    expect(run.routing()).toMatchObject({ defaultRoute: { weights: { v1: 0, v2: 100 } }, matchRoutes: [] });
  });
});

describe("mirror actions", () => {
  it("setTraffic changes the percentage, rollback and takeover remove the mirror", () => {
    const run = new Run(makeSpec("mirror", { traffic: { mirrorPercent: 10 } }));
    run.act({ action: "setTraffic", mirrorPercent: 60 });
    expect(run.routing().defaultRoute).toEqual({ weights: { v1: 100, v2: 0 }, mirror: { subset: "v2", percent: 60 } });
    run.act({ action: "rollback" });
    expect(run.routing().defaultRoute).toEqual({ weights: { v1: 100, v2: 0 } });
    run.act({ action: "setTraffic", mirrorPercent: 5 });
    expect(run.routing().defaultRoute?.mirror).toEqual({ subset: "v2", percent: 5 });
    run.act({ action: "takeover" });
    expect(run.routing().defaultRoute).toEqual({ weights: { v1: 0, v2: 100 } });
    expect(run.cluster.virtualService?.spec.http?.[0]?.mirrorPercentage).toBeUndefined();
  });
});

// ------------------------------------------------------------------ batch

describe("batchPlan", () => {
  it.each([
    [3, 3, true, [1, 1, 1]],
    [10, 3, true, [1, 5, 4]],
    [10, 3, false, [4, 3, 3]],
    [5, 2, false, [3, 2]],
    [7, 1, false, [7]],
    [1, 1, true, [1]],
    [4, 4, false, [1, 1, 1, 1]],
    [100, 3, true, [1, 50, 49]],
  ])("R=%i G=%i beta=%s -> %j", (r, g, beta, expected) => {
    const plan = batchPlan(r, g, beta);
    expect(plan).toEqual(expected);
    expect(plan.reduce((a, b) => a + b, 0)).toBe(r);
  });
});

describe("batch release", () => {
  const spec = makeSpec("batch", {
    newVersion: { version: "v2", image: IMAGE, replicas: 10 },
    batch: { groups: 3, betaGroup: true },
  });
  const start = () => bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] });

  it("walks the groups: beta 1, then 6, then 10 replicas, shrinking v1 and shifting weights", () => {
    const run = new Run(spec, start());
    // base stays at round(4 * 9/10) = 4, so no scale op yet; v2's pod is Ready before it gets 10%
    expect(opList(run.plan)).toEqual([
      "create Deployment/reviews-v2",
      "wait reviews-v2 Ready 1",
      "replace VirtualService/reviews",
    ]);
    expect(run.state).toBe("awaiting-confirmation");
    expect(run.plan.status.batch).toEqual({ plan: [1, 5, 4], current: 1, baseInitialReplicas: 4 });
    // done=1 of 10: base round(4*0.9)=4, weight 10
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([1, 4]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 90, v2: 10 });

    run.act({ action: "pause" });
    expect(run.state).toBe("paused");
    expectPlanError(() => run.act({ action: "confirm" }), "conflict", /^cannot confirm: task is paused/);
    run.act({ action: "setTraffic", weights: { v1: 95, v2: 5 } });
    expect(run.state).toBe("paused");
    run.act({ action: "resume" });
    expect(run.state).toBe("awaiting-confirmation");

    const second = run.act({ action: "confirm" });
    // done=6: base round(4*0.4)=2, weight 60; scale-up first, scale-down last
    expect(opList(second)).toEqual([
      "scale Deployment/reviews-v2 1->6",
      "wait reviews-v2 Ready 6",
      "replace VirtualService/reviews",
      "scale Deployment/reviews-v1 4->2",
    ]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 40, v2: 60 });
    expect(run.state).toBe("awaiting-confirmation");

    run.act({ action: "confirm" });
    expect(run.state).toBe("completed");
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([10, 0]);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 0, v2: 100 });
    expectPlanError(() => run.act({ action: "confirm" }), "conflict", /^cannot confirm: task is completed/);
  });

  it("rollback restores the base replicas and all traffic", () => {
    const run = new Run(spec, start());
    run.act({ action: "confirm" });
    run.act({ action: "rollback" });
    expect(run.state).toBe("rolled-back");
    expect(run.replicas("reviews-v1")).toBe(4);
    expect(run.routing().defaultRoute?.weights).toEqual({ v1: 100, v2: 0 });
    expectPlanError(() => run.act({ action: "takeover" }), "conflict", /confirm the remaining groups/);
  });

  it("without Istio, traffic follows replicas: no VS/DR writes at all", () => {
    const run = new Run(
      spec,
      bookinfo({
        istioAvailable: false,
        virtualService: null,
        destinationRule: null,
        deployments: [reviewsDeployment("v1", { replicas: 4 })],
      }),
    );
    expect(run.plan.status.routing).toBe("replicas");
    expect(opList(run.plan)).toEqual(["create Deployment/reviews-v2"]);
    const second = run.act({ action: "confirm" });
    expect(opList(second)).toEqual([
      "scale Deployment/reviews-v2 1->6",
      "wait reviews-v2 Ready 6",
      "scale Deployment/reviews-v1 4->2",
    ]);
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } }),
      "conflict",
      /traffic follows replica counts/,
    );
    run.act({ action: "rollback" });
    expect([run.replicas("reviews-v2"), run.replicas("reviews-v1")]).toEqual([0, 4]);
  });

  it("a single group completes at once", () => {
    const one = makeSpec("batch", { newVersion: { version: "v2", image: IMAGE, replicas: 2 }, batch: { groups: 1 } });
    const plan = planCreate(one, bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 2 })] }));
    expect(plan.state).toBe("completed");
    expect(opList(plan)).toEqual([
      "create Deployment/reviews-v2",
      "wait reviews-v2 Ready 2",
      "replace VirtualService/reviews",
      "scale Deployment/reviews-v1 2->0",
    ]);
  });

  it("R=3 G=3 beta with base 3: weights 33/67/100, base 2/1/0", () => {
    const run = new Run(
      makeSpec("batch", {
        newVersion: { version: "v2", image: IMAGE, replicas: 3 },
        batch: { groups: 3, betaGroup: true },
      }),
      bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 3 })] }),
    );
    const seen: [number | undefined, number | undefined, number | undefined][] = [];
    const snap = () =>
      seen.push([run.replicas("reviews-v2"), run.replicas("reviews-v1"), run.routing().defaultRoute?.weights.v2]);
    snap();
    run.act({ action: "confirm" });
    snap();
    run.act({ action: "confirm" });
    snap();
    expect(seen).toEqual([
      [1, 2, 33],
      [2, 1, 67],
      [3, 0, 100],
    ]);
  });
});

// ------------------------------------------------------------------ replica-canary

describe("splitPool", () => {
  it.each([
    [4, 25, 1, 3],
    [4, 10, 1, 3],
    [4, 50, 2, 2],
    [4, 100, 4, 0],
    [4, 0, 0, 4],
    [1, 1, 1, 0],
    [10, 15, 2, 8],
    [3, 50, 2, 1],
  ])("T=%i new=%i%% -> canary %i, base %i", (pool, w, canary, base) => {
    expect(splitPool(pool, w)).toEqual({ canary, base });
  });
});

describe("replica-canary", () => {
  const spec = (v1: number, v2: number, replicas = 1) =>
    makeSpec("replica-canary", {
      traffic: { weights: { v1, v2 } },
      newVersion: { version: "v2", image: IMAGE, replicas },
    });

  it.each([
    [
      "Istio present: touches the VS only to move the route off an emptied v1",
      bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }),
    ],
    [
      "no Istio at all",
      bookinfo({
        istioAvailable: false,
        virtualService: null,
        destinationRule: null,
        deployments: [reviewsDeployment("v1", { replicas: 4 })],
      }),
    ],
  ])("%s", (_label, cluster) => {
    const run = new Run(spec(75, 25), cluster);
    expect(opList(run.plan)).toEqual([
      "create Deployment/reviews-canary",
      "wait reviews-canary Ready 1",
      "scale Deployment/reviews-v1 4->3",
    ]);
    const d = created<Deployment>(run.plan, "Deployment");
    // The Service selector (app=reviews) is part of the pod labels so the Service balances over both.
    expect(d.spec.template.metadata?.labels).toEqual({ app: "reviews", version: "v2" });
    expect(d.spec.selector).toEqual({ matchLabels: { app: "reviews", version: "v2" } });
    expect(d.spec.replicas).toBe(1);
    expect(run.plan.status.replicaPool).toBe(4);
    expect(run.plan.status.original).toEqual({ virtualService: null, destinationRule: null, baseReplicas: 4 });

    const set = run.act({ action: "setTraffic", weights: { v1: 50, v2: 50 } });
    expect(opList(set)).toEqual([
      "scale Deployment/reviews-canary 1->2",
      "wait reviews-canary Ready 2",
      "scale Deployment/reviews-v1 3->2",
    ]);
    expectPlanError(
      () => run.act({ action: "setTraffic", weights: { v3: 50, v2: 50 } }),
      "invalid",
      /^weights\.v3: replica-canary splits only v1 and v2/,
    );

    const back = run.act({ action: "rollback" });
    expect(opList(back)).toEqual([
      "scale Deployment/reviews-v1 2->4",
      "wait reviews-v1 Ready 4",
      "scale Deployment/reviews-canary 2->0",
    ]);
    if (cluster.virtualService) {
      // Scaling v1 to 0 while the VS sends it everything would be a 503 outage: refused, then moved on request.
      expectPlanError(
        () => run.act({ action: "takeover" }),
        "conflict",
        /^cannot takeover: reviews\/http\[0\] still routes traffic to v1/,
      );
      const take = run.act({ action: "takeover", moveRoutes: ["reviews/http[0]"] });
      expect(opList(take)).toEqual([
        "scale Deployment/reviews-canary 0->4",
        "wait reviews-canary Ready 4",
        "replace VirtualService/reviews",
        "scale Deployment/reviews-v1 4->0",
      ]);
      expect(take.status.movedRoutes).toEqual([
        { virtualService: "reviews", index: 0, name: null, id: "reviews/http[0]", fromSubset: "v1", toSubset: "v2" },
      ]);
      expect(take.summary).toMatch(/moved reviews\/http\[0\] to v2/);
    } else run.act({ action: "takeover" });
    expect([run.replicas("reviews-canary"), run.replicas("reviews-v1")]).toEqual([4, 0]);
    const retire = run.act({ action: "retireOld" });
    expect(opList(retire)).toEqual(["delete Deployment/reviews-v1"]);
    expect(retire.state).toBe("completed");
    const moved = cluster.virtualService
      ? { ...cluster.virtualService.spec, http: [{ route: [{ destination: { host: "reviews", subset: "v2" } }] }] }
      : undefined;
    expect(run.cluster.virtualService?.spec).toEqual(moved);
    expect(run.cluster.destinationRule).toEqual(cluster.destinationRule);
  });

  it("pool is max(base, newVersion.replicas, 1)", () => {
    expect(
      planCreate(spec(50, 50, 6), bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 2 })] })).status
        .replicaPool,
    ).toBe(6);
    const zero = reviewsDeployment("v1", { replicas: 0 });
    expect(planCreate(spec(90, 10, 0), bookinfo({ deployments: [zero] })).status.replicaPool).toBe(1);
  });

  it("abort deletes the canary and restores the base", () => {
    const run = new Run(
      spec(50, 50),
      bookinfo({
        istioAvailable: false,
        virtualService: null,
        destinationRule: null,
        deployments: [reviewsDeployment("v1", { replicas: 4 })],
      }),
    );
    const abort = run.act({ action: "abort" });
    // The base is Ready again before the canary's pods go.
    expect(opList(abort)).toEqual([
      "scale Deployment/reviews-v1 2->4",
      "wait reviews-v1 Ready 4",
      "delete Deployment/reviews-canary",
    ]);
    expectPlanError(() => run.act({ action: "resync" }), "conflict", /task is aborted/);
  });

  it("refuses resync/acceptDrift (it owns no VS/DR)", () => {
    const run = new Run(spec(50, 50), bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }));
    expectPlanError(() => run.act({ action: "resync" }), "conflict", /manages no VirtualService/);
  });
});

// ------------------------------------------------------------------ drift actions

describe("resync and acceptDrift", () => {
  it("resync puts back what the task applied; acceptDrift adopts the live split", () => {
    const run = new Run(canaryWeights(80, 20));
    const tampered = structuredClone(run.cluster.virtualService) as VirtualService;
    const route = tampered.spec.http?.[0]?.route;
    if (!route?.[0] || !route[1]) throw new Error("fixture");
    route[0].weight = 30;
    route[1].weight = 70;
    run.cluster = { ...run.cluster, virtualService: tampered };

    const resync = planAction(
      { spec: run.spec, status: run.plan.status, state: run.plan.state },
      { action: "resync" },
      run.cluster,
    );
    expect(opList(resync)).toEqual(["replace VirtualService/reviews"]);
    expect(resync.state).toBe("progressing");
    expect((resync.ops[0] as { object: VirtualService }).object.spec).toEqual(
      run.plan.status.lastApplied.virtualServiceSpec,
    );

    const accept = run.act({ action: "acceptDrift" });
    expect(accept.ops).toEqual([]);
    expect(accept.status.weights).toEqual({ v1: 30, v2: 70 });
    expect(accept.status.lastApplied.virtualServiceSpec).toEqual(tampered.spec);
    expect(run.act({ action: "resync" }).ops).toEqual([]);
  });

  it("resync recreates a deleted VS", () => {
    const run = new Run(canaryWeights(80, 20));
    const applied = run.cluster.virtualService?.spec;
    run.cluster = { ...run.cluster, virtualService: null };
    expectPlanError(() => run.act({ action: "acceptDrift" }), "conflict", /was deleted/);
    const plan = run.act({ action: "resync" });
    expect(opList(plan)).toEqual(["create VirtualService/reviews"]);
    expect(run.cluster.virtualService?.spec).toEqual(applied);
  });
});

describe("planAction guards", () => {
  it("refuses Istio tasks when the CRDs vanished", () => {
    const run = new Run(canaryWeights(80, 20));
    run.cluster = { ...run.cluster, istioAvailable: false };
    expectPlanError(() => run.act({ action: "takeover" }), "invalid", /Istio CRDs not installed/);
  });
  it("can still abort when the Istio CRDs vanished (VS/DR went with them)", () => {
    const run = new Run(canaryWeights(80, 20));
    run.cluster = { ...run.cluster, istioAvailable: false, virtualService: null, destinationRule: null };
    expect(opList(run.act({ action: "abort" }))).toEqual(["delete Deployment/reviews-v2"]);
  });
  it("reports a Deployment that disappeared", () => {
    const run = new Run(
      makeSpec("batch", { newVersion: { version: "v2", image: IMAGE, replicas: 2 }, batch: { groups: 2 } }),
    );
    run.cluster = {
      ...run.cluster,
      deployments: run.cluster.deployments.filter((d) => d.metadata.name !== "reviews-v2"),
    };
    expectPlanError(() => run.act({ action: "confirm" }), "not_found", /Deployment reviews-v2 no longer exists/);
  });
  it("detects the base from an 80-20 split", () => {
    const plan = planCreate(
      makeSpec("canary", { newVersion: { version: "v3", image: IMAGE }, traffic: { weights: { v1: 90, v3: 10 } } }),
      bookinfo({ virtualService: vs8020(), deployments: [reviewsDeployment("v1"), reviewsDeployment("v2")] }),
    );
    expect(plan.status.baseVersion).toBe("v1");
  });
});
