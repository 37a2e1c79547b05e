import { describe, expect, it } from "vitest";
import { normaliseFilters, queryKeys, tasksListUrl } from "./keys";

describe("tasksListUrl", () => {
  it.each([
    { filters: {}, want: "/api/tasks" },
    { filters: { q: "", namespace: "" }, want: "/api/tasks" },
    {
      filters: { namespace: "bookinfo", state: "progressing", page: 2, pageSize: 20 },
      want: "/api/tasks?namespace=bookinfo&state=progressing&page=2&pageSize=20",
    },
    { filters: { q: "  reviews canary " }, want: "/api/tasks?q=reviews+canary" },
    { filters: { q: "   " }, want: "/api/tasks" },
    { filters: { page: Number.NaN }, want: "/api/tasks" },
  ])("$want", ({ filters, want }) => {
    expect(tasksListUrl(filters)).toBe(want);
  });
});

describe("queryKeys", () => {
  it("equivalent filters share a cache entry", () => {
    expect(queryKeys.taskList({ q: "", namespace: "bookinfo" })).toEqual(queryKeys.taskList({ namespace: "bookinfo" }));
    expect(normaliseFilters({ q: " x " })).toEqual({ q: "x" });
  });

  it("nests so that invalidating a prefix reaches the entries below it", () => {
    const startsWith = (key: readonly unknown[], prefix: readonly unknown[]) => prefix.every((p, i) => key[i] === p);
    expect(startsWith(queryKeys.taskEvents("abc"), queryKeys.task("abc"))).toBe(true);
    expect(startsWith(queryKeys.task("abc"), queryKeys.tasks())).toBe(true);
    expect(startsWith(queryKeys.taskList({}), queryKeys.taskLists())).toBe(true);
    expect(startsWith(queryKeys.service("bookinfo", "reviews"), queryKeys.namespace("bookinfo"))).toBe(true);
    expect(startsWith(queryKeys.services("bookinfo"), queryKeys.namespace("bookinfo"))).toBe(true);
    expect(startsWith(queryKeys.services("other"), queryKeys.namespace("bookinfo"))).toBe(false);
    // A task action invalidates its namespace; that must not re-ask for permissions.
    expect(startsWith(queryKeys.permissions("bookinfo"), queryKeys.namespace("bookinfo"))).toBe(false);
  });
});
