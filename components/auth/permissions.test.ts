import { describe, expect, it } from "vitest";
import { deniedKinds, joinList, kindOf } from "./permissions";

describe("kindOf", () => {
  it.each([
    ["virtualservices", "VirtualServices"],
    ["destinationrules", "DestinationRules"],
    ["deployments", "Deployments"],
    ["deployments/scale", "Deployments"],
    ["horizontalpodautoscalers", "HorizontalPodAutoscalers"],
    ["services", "Services"],
    ["widgets", "widgets"],
  ])("%s -> %s", (resource, kind) => {
    expect(kindOf(resource)).toBe(kind);
  });
});

describe("deniedKinds", () => {
  it("names each Kind once, in the server's order", () => {
    const denied = [
      { verb: "patch", group: "networking.istio.io", resource: "virtualservices" },
      { verb: "create", group: "apps", resource: "deployments" },
      { verb: "update", group: "networking.istio.io", resource: "virtualservices" },
      { verb: "patch", group: "apps", resource: "deployments/scale" },
    ];
    expect(joinList(deniedKinds(denied), "en")).toBe("VirtualServices, Deployments");
    expect(joinList(deniedKinds(denied), "zh-CN")).toBe("VirtualServices、Deployments");
  });

  it("is empty when nothing specific was denied", () => {
    expect(deniedKinds([])).toEqual([]);
  });
});
