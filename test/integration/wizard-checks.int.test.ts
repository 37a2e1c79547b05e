// The create wizard asks the server before each Next (POST /api/tasks/preview?check=<section>):
// conflicts come back as 409s whose details name the field, with the message as a catalog key
// + params, so the wizard can say them beside the field in the reader's language. Nothing is
// written by a check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers/api";
import { createTestNamespace, loadKubeConfig, type TestNamespace } from "./helpers/cluster";
import { deploymentNames, getVS, kube, seedReviews, seedReviewsVersion, type Kube } from "./helpers/bookinfo";

const V3 = "docker.io/istio/examples-bookinfo-reviews-v3:1.20.2";
let k: Kube;
let ns: TestNamespace;

/** What the wizard sends: later sections may still be empty. */
const wizardSpec = (over: Record<string, unknown> = {}) => ({
  name: "reviews-next",
  namespace: ns.name,
  strategy: "canary",
  service: "reviews",
  baseVersion: "v1",
  newVersion: { version: "v2", image: V3, replicas: 1 },
  traffic: { weights: { v1: 90, v2: 10 } },
  ...over,
});

beforeAll(async () => {
  const kc = loadKubeConfig();
  k = kube(kc);
  ns = await createTestNamespace(kc, "wizchk");
  await seedReviews(k, ns.name);
  await seedReviewsVersion(k, ns.name, "v2");
});
afterAll(async () => {
  await ns?.delete();
});

describe("a version that already runs", () => {
  const conflict = {
    path: "newVersion.version",
    message: "version v2 already exists as Deployment reviews-v2",
    key: "err.versionExists",
    params: { version: "v2", kind: "Deployment", name: "reviews-v2" },
  };

  it("check=version answers 409 with details [{path: newVersion.version, message, key, params}]", async () => {
    const res = await api("POST", "/api/tasks/preview?check=version", wizardSpec({ traffic: undefined }));
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.code).toBe("conflict");
    expect(res.json.error.details).toEqual([conflict]);
    expect(res.json.error.key).toBe("err.versionExists");
    expect(res.json.error.message).toBe("newVersion.version: version v2 already exists as Deployment reviews-v2");
  });

  it("the full preview and the create say it the same way", async () => {
    for (const path of ["/api/tasks/preview", "/api/tasks"]) {
      const res = await api("POST", path, wizardSpec());
      expect(res.status, `${path}: ${res.text}`).toBe(409);
      expect(res.json.error.details).toEqual([conflict]);
    }
  });

  it("check=service passes (the version is not asked yet), check=version passes for v3, and nothing is written", async () => {
    const vsBefore = (await getVS(k, ns.name)).metadata.resourceVersion;
    const service = await api(
      "POST",
      "/api/tasks/preview?check=service",
      wizardSpec({ newVersion: { version: "", image: "" }, traffic: undefined }),
    );
    expect(service.status, service.text).toBe(200);
    expect(service.json).toEqual({ check: "service", ok: true });
    const v3 = await api(
      "POST",
      "/api/tasks/preview?check=version",
      wizardSpec({ newVersion: { version: "v3", image: V3, replicas: 1 }, traffic: undefined }),
    );
    expect(v3.status, v3.text).toBe(200);
    expect(v3.json).toEqual({ check: "version", ok: true });
    expect(await deploymentNames(k, ns.name)).toEqual(["reviews-v1", "reviews-v2"]);
    expect((await getVS(k, ns.name)).metadata.resourceVersion).toBe(vsBefore);
  });
});

describe("blue-green preview by cookie", () => {
  it("the preview route matches the header or the cookie (a regex over the Cookie header), and istiod's rules accept it", async () => {
    const res = await api(
      "POST",
      "/api/tasks/preview",
      wizardSpec({
        name: "bg-cookie",
        strategy: "blue-green",
        newVersion: { version: "v9", image: V3, replicas: 1 },
        traffic: {
          previewHeader: { name: "end-user", value: "jason" },
          previewCookie: { name: "preview", value: "true" },
        },
      }),
    );
    expect(res.status, res.text).toBe(200);
    const vs = res.json.objects.find((o: { kind: string }) => o.kind === "VirtualService").object;
    const preview = vs.spec.http.find((r: { name?: string }) => r.name === "gc-bg-cookie-preview");
    expect(preview.match).toEqual([
      { headers: { "end-user": { exact: "jason" } } },
      { headers: { cookie: { regex: "^(.*?;\\s*)?preview=true(;.*)?$" } } },
    ]);
  });
});

// Last: it leaves a task running on reviews.
describe("the basics step", () => {
  it("check=basic passes with only name, namespace and strategy filled", async () => {
    const res = await api("POST", "/api/tasks/preview?check=basic", {
      name: "fresh",
      namespace: ns.name,
      strategy: "canary",
      service: "",
      newVersion: { version: "", image: "" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ check: "basic", ok: true });
  });

  it("check=basic names a bad name, and only the basics' problems", async () => {
    const res = await api("POST", "/api/tasks/preview?check=basic", {
      name: "Bad Name",
      namespace: ns.name,
      strategy: "canary",
      service: "",
      newVersion: { version: "", image: "" },
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toEqual(["name"]);
  });

  it("an unknown check is refused", async () => {
    const res = await api("POST", "/api/tasks/preview?check=traffic", wizardSpec());
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toEqual(["check"]);
  });

  it("a duplicate task name: check=basic answers 409 naming the name field; a second task on the service is refused at check=service", async () => {
    const created = await api(
      "POST",
      "/api/tasks",
      wizardSpec({
        name: "taken",
        newVersion: { version: "v3", image: V3, replicas: 1 },
        traffic: { weights: { v1: 100, v3: 0 } },
      }),
    );
    expect(created.status, created.text).toBe(201);

    const dup = await api("POST", "/api/tasks/preview?check=basic", {
      name: "taken",
      namespace: ns.name,
      strategy: "canary",
      service: "",
      newVersion: { version: "", image: "" },
    });
    expect(dup.status, dup.text).toBe(409);
    expect(dup.json.error.details).toEqual([
      {
        path: "name",
        message: `a release task named "taken" already exists in namespace "${ns.name}"`,
        key: "err.taskNameExists",
        params: { name: "taken", namespace: ns.name },
      },
    ]);

    const busy = await api(
      "POST",
      "/api/tasks/preview?check=service",
      wizardSpec({ name: "another", newVersion: { version: "", image: "" }, traffic: undefined }),
    );
    expect(busy.status, busy.text).toBe(409);
    expect(busy.json.error.details).toEqual([
      {
        path: "service",
        message: `service "reviews" already has an active release task "taken"; finish or abort it first`,
        key: "err.serviceHasActiveTask",
        params: { service: "reviews", task: "taken" },
      },
    ]);
  });
});
