// A planned HTTPRoute write sent after a wait, on a route someone edited meanwhile.
import { describe, expect, it } from "vitest";
import { rebaseWrite } from "../rebase";
import type { HTTPRouteObject, HTTPRouteRule } from "./gateway-api-types";
import { allV1Rule, jasonRule, ref, reviewsRoute } from "./testdata/bookinfo-gateway";

const def = (w1: number, w2: number): HTTPRouteRule => ({
  ...allV1Rule(),
  name: "gc-rel-default",
  backendRefs: [ref("reviews-v1", w1), ref("reviews-v2", w2)],
});
const canary: HTTPRouteRule = {
  name: "gc-rel-canary",
  matches: [
    { path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "end-user", value: "jason" }] },
  ],
  backendRefs: [ref("reviews-v2", 100)],
};
const withRv = (r: HTTPRouteObject, rv: string): HTTPRouteObject => ({
  ...r,
  metadata: { ...r.metadata, resourceVersion: rv },
});

describe("rebasing an HTTPRoute write", () => {
  const before = withRv(reviewsRoute([def(100, 0)]), "1");
  const planned = withRv(reviewsRoute([canary, def(80, 20)]), "1");

  it("someone added a rule meanwhile: the plan's rules land, theirs stays where they put it", () => {
    const live = withRv(reviewsRoute([jasonRule(), def(100, 0)]), "2");
    const r = rebaseWrite({ op: "replace", object: planned, before }, live);
    if (!("op" in r) || r.op.op !== "replace") throw new Error(JSON.stringify(r));
    expect((r.op.object as HTTPRouteObject).spec.rules).toEqual([jasonRule(), canary, def(80, 20)]);
    expect(r.op.object.metadata.resourceVersion).toBe("2");
  });

  it("someone changed the task's default rule meanwhile: a conflict, not an overwrite", () => {
    const live = withRv(reviewsRoute([def(50, 50)]), "2");
    expect(rebaseWrite({ op: "replace", object: planned, before }, live)).toEqual({
      conflict: "replace HTTPRoute bookinfo/reviews: someone changed its rule gc-rel-default since the plan was made",
    });
  });

  it("a rule the plan removes goes from the live route; others' edits of other rules stay", () => {
    const from = withRv(reviewsRoute([canary, def(80, 20)]), "1");
    const to = withRv(reviewsRoute([def(0, 100)]), "1");
    const live = withRv(reviewsRoute([{ ...jasonRule(), timeouts: { request: "1s" } }, canary, def(80, 20)]), "2");
    const r = rebaseWrite({ op: "replace", object: to, before: from }, live);
    if (!("op" in r) || r.op.op !== "replace") throw new Error(JSON.stringify(r));
    expect((r.op.object as HTTPRouteObject).spec.rules).toEqual([
      { ...jasonRule(), timeouts: { request: "1s" } },
      def(0, 100),
    ]);
  });
});
