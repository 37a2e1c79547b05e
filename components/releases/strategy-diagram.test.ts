import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { STRATEGIES } from "@/lib/release/types";
import { StrategyDiagram } from "./strategy-diagram";
import { I18nProvider } from "@/lib/i18n/client";
import { en, type Messages } from "@/lib/i18n/messages/en";
import type { Strategy } from "@/lib/release/types";

/** The diagram as the page renders it: inside the English catalog's provider (its labels are words). */
const diagram = (strategy: Strategy) =>
  renderToStaticMarkup(
    createElement(I18nProvider, {
      locale: "en",
      messages: en as Messages,
      // biome-ignore lint/correctness/noChildrenProp: createElement's third argument does not satisfy the provider's required children prop type
      children: createElement(StrategyDiagram, { strategy }),
    }),
  );

const num = (tag: string, name: string) => Number(new RegExp(`\\s${name}="([^"]+)"`).exec(tag)?.[1]);

describe("the batch diagram's digits", () => {
  const svg = diagram("batch");
  const groups = [...svg.matchAll(/<g data-testid="batch-diagram-group-\d">(.*?)<\/g>/g)].map((m) => m[1]!);

  it("draws three numbered groups", () => expect(groups).toHaveLength(3));

  it.each([0, 1, 2])("group %i: its number sits inside its own bar, inside the frame", (i) => {
    const rect = /<rect[^>]*>/.exec(groups[i]!)![0];
    const text = /<text[^>]*>/.exec(groups[i]!)![0];
    const [x, y, w, h] = ["x", "y", "width", "height"].map((a) => num(rect, a)) as [number, number, number, number];
    const [tx, ty, size] = ["x", "y", "font-size"].map((a) => num(text, a)) as [number, number, number];
    // The glyph spans roughly [baseline - font size * 0.75, baseline].
    expect(ty - size * 0.75).toBeGreaterThanOrEqual(y);
    expect(ty).toBeLessThanOrEqual(y + h);
    expect(tx).toBeGreaterThan(x);
    expect(tx).toBeLessThan(x + w);
    expect(x + w).toBeLessThanOrEqual(140);
    expect(y + h).toBeLessThanOrEqual(60);
  });
});

it.each(STRATEGIES)("%s: every shape stays inside the 140x60 frame", (strategy) => {
  const svg = diagram(strategy);
  for (const rect of svg.match(/<rect[^>]*>/g) ?? []) {
    expect(num(rect, "x") + num(rect, "width")).toBeLessThanOrEqual(140);
    expect(num(rect, "y") + num(rect, "height")).toBeLessThanOrEqual(60);
  }
});
