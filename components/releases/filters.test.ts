import { describe, expect, it } from "vitest";
import { filtersFromParams, filtersToQuery, pageCount, toListFilters, withFilter } from "./filters";

const params = (qs: string) => new URLSearchParams(qs);

describe("jobs-list filters", () => {
  it.each([
    { qs: "", want: { namespace: "", service: "", state: "", strategy: "", q: "", page: 1 } },
    {
      qs: "namespace=bookinfo&state=paused&strategy=batch&q=rev&page=3",
      want: { namespace: "bookinfo", service: "", state: "paused", strategy: "batch", q: "rev", page: 3 },
    },
    {
      qs: "namespace=bookinfo&service=reviews",
      want: { namespace: "bookinfo", service: "reviews", state: "", strategy: "", q: "", page: 1 },
    },
    {
      qs: "state=bogus&strategy=yolo&page=-2",
      want: { namespace: "", service: "", state: "", strategy: "", q: "", page: 1 },
    },
    { qs: "page=abc", want: { namespace: "", service: "", state: "", strategy: "", q: "", page: 1 } },
  ])("parses '$qs'", ({ qs, want }) => {
    expect(filtersFromParams(params(qs))).toEqual(want);
  });

  it("round-trips through the URL, leaving defaults out", () => {
    const f = filtersFromParams(params("namespace=bookinfo&state=completed&page=2"));
    expect(filtersToQuery(f)).toBe("namespace=bookinfo&state=completed&page=2");
    expect(filtersToQuery(filtersFromParams(params("")))).toBe("");
    expect(filtersToQuery(filtersFromParams(params("service=reviews&namespace=bookinfo")))).toBe(
      "namespace=bookinfo&service=reviews",
    );
  });

  it("changing a filter returns to page 1", () => {
    const f = filtersFromParams(params("page=4"));
    expect(withFilter(f, { state: "failed" })).toMatchObject({ state: "failed", page: 1 });
  });

  it("asks the API for one page of PAGE_SIZE", () => {
    expect(toListFilters(filtersFromParams(params("page=2")))).toMatchObject({ page: 2, pageSize: 20 });
  });

  it.each([
    { total: 0, want: 1 },
    { total: 20, want: 1 },
    { total: 21, want: 2 },
    { total: 100, want: 5 },
  ])("pageCount($total) = $want", ({ total, want }) => {
    expect(pageCount(total, 20)).toBe(want);
  });
});
