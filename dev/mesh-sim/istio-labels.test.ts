import { describe, expect, it } from "vitest";
import {
  canonicalRevision,
  canonicalService,
  destinationLabels,
  formatResponseFlags,
  ISTIO_LABEL_NAMES,
  sourceLabels,
  type Workload,
} from "./istio-labels";

const productpage: Workload = {
  name: "productpage-v1",
  namespace: "bookinfo",
  labels: { app: "productpage", version: "v1" },
  serviceAccount: "bookinfo-productpage",
};
const reviewsV2: Workload = {
  name: "reviews-v2",
  namespace: "bookinfo",
  labels: { app: "reviews", version: "v2" },
  serviceAccount: "bookinfo-reviews",
};
const reviews = { host: "reviews.bookinfo.svc.cluster.local", name: "reviews", namespace: "bookinfo" };

describe("canonical service and revision (the injector's defaults)", () => {
  it.each([
    [{ app: "reviews", version: "v2" }, "reviews", "v2"],
    [
      { "app.kubernetes.io/name": "reviews", "app.kubernetes.io/version": "1.4.0", app: "x", version: "y" },
      "reviews",
      "1.4.0",
    ],
    [
      { "service.istio.io/canonical-name": "rv", "service.istio.io/canonical-revision": "canary", app: "reviews" },
      "rv",
      "canary",
    ],
    [{}, "reviews-v2", "latest"],
  ])("%j -> %s / %s", (labels, service, revision) => {
    const w = { ...reviewsV2, labels };
    expect(canonicalService(w)).toBe(service);
    expect(canonicalRevision(w)).toBe(revision);
  });
});

describe("reporter=destination (the serving pod's sidecar)", () => {
  const l = destinationLabels({ caller: productpage, server: reviewsV2, service: reviews, code: 200 });

  it("has every standard label", () => expect(Object.keys(l).sort()).toEqual([...ISTIO_LABEL_NAMES].sort()));

  it("describes the pod itself and the caller from its peer metadata", () => {
    expect(l).toMatchObject({
      reporter: "destination",
      source_workload: "productpage-v1",
      source_app: "productpage",
      source_version: "v1",
      source_canonical_service: "productpage",
      source_canonical_revision: "v1",
      source_principal: "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage",
      destination_workload: "reviews-v2",
      destination_app: "reviews",
      destination_version: "v2",
      destination_canonical_service: "reviews",
      destination_canonical_revision: "v2",
      destination_service: "reviews.bookinfo.svc.cluster.local",
      destination_service_name: "reviews",
      destination_service_namespace: "bookinfo",
      response_flags: "-",
      connection_security_policy: "mutual_tls",
    });
  });
});

describe("reporter=source (the caller's sidecar or gateway)", () => {
  it("with an upstream that answered: the peer's full metadata", () => {
    const l = sourceLabels({
      caller: productpage,
      peer: { kind: "exchanged", workload: reviewsV2 },
      service: reviews,
      authority: "reviews:9080",
      code: 200,
      flags: [],
    });
    expect(l).toMatchObject({
      reporter: "source",
      destination_workload: "reviews-v2",
      destination_app: "reviews",
      destination_version: "v2",
      destination_canonical_revision: "v2",
      destination_service_namespace: "bookinfo",
      connection_security_policy: "unknown",
    });
  });

  it("no upstream host (UH): destination labels unknown, canonical revision latest, service from the cluster", () => {
    const l = sourceLabels({
      caller: productpage,
      peer: null,
      service: reviews,
      authority: "reviews:9080",
      code: 503,
      flags: ["UH"],
    });
    expect(l).toMatchObject({
      response_code: "503",
      response_flags: "UH",
      destination_workload: "unknown",
      destination_workload_namespace: "unknown",
      destination_app: "unknown",
      destination_version: "unknown",
      destination_canonical_service: "unknown",
      destination_canonical_revision: "latest",
      destination_principal: "unknown",
      destination_service_namespace: "unknown",
      destination_service: "reviews.bookinfo.svc.cluster.local",
      destination_service_name: "reviews",
      source_principal: "unknown",
    });
  });

  it("no cluster at all (NR): destination_service falls back to the Host header", () => {
    const l = sourceLabels({
      caller: productpage,
      peer: null,
      service: null,
      authority: "reviews:9080",
      code: 404,
      flags: ["NR"],
    });
    expect(l).toMatchObject({
      destination_service: "reviews:9080",
      destination_service_name: "reviews:9080",
      response_flags: "NR",
    });
  });

  it("a host picked but silent (UT): workload and revision from the endpoint, no app or version", () => {
    const l = sourceLabels({
      caller: productpage,
      peer: { kind: "endpoint", workload: reviewsV2 },
      service: reviews,
      authority: "reviews",
      code: 504,
      flags: ["UT"],
    });
    expect(l).toMatchObject({
      destination_workload: "reviews-v2",
      destination_canonical_service: "reviews",
      destination_canonical_revision: "v2",
      destination_app: "unknown",
      destination_version: "unknown",
      destination_service_namespace: "bookinfo",
    });
  });
});

describe("response_flags as Envoy prints them", () => {
  it.each([
    [[], "-"],
    [["UH"], "UH"],
    [["FI", "DI"], "DI,FI"],
    [["URX", "DI"], "DI,URX"],
    [["DI", "UT"], "UT,DI"],
    [["NC", "DI"], "DI,NC"],
  ])("%j -> %s", (flags, want) => expect(formatResponseFlags(flags)).toBe(want));
});
