import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("where sign-in returns to", () => {
  it.each([
    ["/releases/abc?tab=history", "/releases/abc?tab=history"],
    ["/", "/"],
    [null, "/"],
    ["", "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/ok\nSet-Cookie: x", "/"],
  ])("%s -> %s", (input, want) => {
    expect(safeNextPath(input)).toBe(want);
  });
});
