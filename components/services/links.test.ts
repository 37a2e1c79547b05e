import { expect, it } from "vitest";
import { newReleaseHref } from "./links";

it("newReleaseHref carries only what is known", () => {
  expect(newReleaseHref()).toBe("/releases/new");
  expect(newReleaseHref("bookinfo", "reviews")).toBe("/releases/new?namespace=bookinfo&service=reviews");
  expect(newReleaseHref(undefined, undefined, "blue-green")).toBe("/releases/new?strategy=blue-green");
});
