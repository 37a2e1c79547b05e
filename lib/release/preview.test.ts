import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { planAction, planCreate } from "./planner";
import { planDiff, renderPlanYaml } from "./preview";
import { TaskSpecSchema } from "./spec";
import { applyPlan } from "./testdata/apply";
import { bookinfo, NS, reviewsDeployment } from "./testdata/bookinfo";

const spec = TaskSpecSchema.parse({
  name: "rel",
  namespace: NS,
  service: "reviews",
  strategy: "batch",
  newVersion: { version: "v2", image: "reviews:2", replicas: 4 },
  batch: { groups: 2 },
});

describe("renderPlanYaml", () => {
  const cluster = bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] });
  const plan = planCreate(spec, cluster);
  const text = renderPlanYaml(plan);
  const docs = parseAllDocuments(text);

  it("renders one document per write in apply order with a verb comment, waits as comment lines", () => {
    expect(Array.isArray(docs) && docs.length).toBe(3);
    expect(text.split("\n").filter((l) => l.startsWith("# "))).toEqual([
      "# create Deployment bookinfo/reviews-v2",
      "# wait until Deployment reviews-v2 has 2 Ready pods (timeout 600s)",
      "# replace VirtualService bookinfo/reviews (resourceVersion 3001)",
      "# scale Deployment bookinfo/reviews-v1: 4 -> 2 replicas",
    ]);
  });

  it("documents parse back to the objects (minus server noise)", () => {
    const [dep, vs, scale] = Array.from(docs).map((d) => d.toJS());
    expect(dep.metadata.name).toBe("reviews-v2");
    expect(dep.spec.replicas).toBe(2);
    expect(vs.spec.http[0].route.map((r: { weight: number }) => r.weight)).toEqual([50, 50]);
    expect(vs.metadata.managedFields).toBeUndefined();
    expect(scale).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "reviews-v1", namespace: NS },
      spec: { replicas: 2 },
    });
  });

  it("renders a delete as identity only", () => {
    const after = applyPlan(cluster, plan);
    const abort = planAction({ spec, status: plan.status, state: plan.state }, { action: "abort" }, after);
    const out = renderPlanYaml(abort);
    expect(out).toContain(
      "# delete Deployment bookinfo/reviews-v2\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-v2\n  namespace: bookinfo\n",
    );
    expect(out).not.toContain("containers");
  });

  it("renders the drain before the writes it delays", () => {
    const after = applyPlan(cluster, plan);
    const abort = planAction({ spec, status: plan.status, state: plan.state }, { action: "abort" }, after);
    expect(
      renderPlanYaml(abort)
        .split("\n")
        .filter((l) => l.startsWith("# ")),
    ).toEqual([
      "# scale Deployment bookinfo/reviews-v1: 2 -> 4 replicas",
      "# wait until Deployment reviews-v1 has 4 Ready pods (timeout 600s)",
      "# replace VirtualService bookinfo/reviews (resourceVersion " +
        after.virtualService?.metadata.resourceVersion +
        ")",
      "# drain v2 for 30s",
      "# delete Deployment bookinfo/reviews-v2",
    ]);
  });

  it("renders an empty plan as empty text", () => {
    expect(renderPlanYaml({ ops: [] })).toBe("");
  });
});

describe("planDiff", () => {
  it("gives before/after per object", () => {
    const plan = planCreate(spec, bookinfo({ deployments: [reviewsDeployment("v1", { replicas: 4 })] }));
    const diff = planDiff(plan);
    expect(diff.map((d) => [d.kind, d.name, d.op, d.before !== undefined, d.after !== undefined])).toEqual([
      ["Deployment", "reviews-v2", "create", false, true],
      ["VirtualService", "reviews", "replace", true, true],
      ["Deployment", "reviews-v1", "scale", true, true],
    ]);
    const vs = diff[1];
    expect(vs?.before).toContain("subset: v1\n");
    expect(vs?.before).not.toContain("weight");
    expect(vs?.after).toContain("weight: 50");
    // the lock value and server fields are not shown as changes
    expect(vs?.before).not.toContain("resourceVersion");
    expect(vs?.before).not.toContain("managedFields");
    expect(diff[2]).toMatchObject({ before: "replicas: 4\n", after: "replicas: 2\n" });
  });
});
