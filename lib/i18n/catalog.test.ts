import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "./messages/en";
import { zhCN } from "./messages/zh-CN";
import { placeholders } from "./format";
import { ACTIONS, STRATEGIES, TASK_STATES } from "@/lib/release/types";

const root = path.resolve(__dirname, "../..");
const catalogs = { en, "zh-CN": zhCN } as Record<string, Record<string, string>>;
const enKeys = Object.keys(en).sort();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** Every `t("key")` literal and every static prefix of a `t(`prefix.${x}`)` template in the UI. */
function usedKeys(): { literal: { key: string; file: string }[]; prefixes: { prefix: string; file: string }[] } {
  const literal: { key: string; file: string }[] = [];
  const prefixes: { prefix: string; file: string }[] = [];
  const files = ["app", "components"].flatMap((d) => sourceFiles(path.join(root, d)));
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/\bt\(\s*"([^"]+)"/g)) literal.push({ key: m[1] ?? "", file: rel });
    for (const m of text.matchAll(/\bt\(\s*`([^`$]*)\$\{/g)) prefixes.push({ prefix: m[1] ?? "", file: rel });
  }
  return { literal, prefixes };
}

describe("message catalogs", () => {
  it.each(Object.keys(catalogs))("%s has exactly the keys of en", (locale) => {
    const keys = Object.keys(catalogs[locale] ?? {}).sort();
    expect(
      keys.filter((k) => !(k in en)),
      "keys not in en",
    ).toEqual([]);
    expect(
      enKeys.filter((k) => !keys.includes(k)),
      "keys missing",
    ).toEqual([]);
  });

  it.each(Object.keys(catalogs))("%s has no empty message", (locale) => {
    const empty = Object.entries(catalogs[locale] ?? {})
      .filter(([, v]) => v.trim() === "")
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it("zh-CN uses the same placeholders as en in every message", () => {
    const mismatched = enKeys.filter(
      (k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(zhCN[k as keyof typeof zhCN]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('every t("...") used in app/ and components/ exists', () => {
    const { literal } = usedKeys();
    // Guards the scan itself: if the regex stopped matching, this test would pass vacuously.
    expect(literal.length).toBeGreaterThan(150);
    const missing = literal.filter(({ key }) => !(key in en)).map(({ key, file }) => `${file}: ${key}`);
    expect(missing).toEqual([]);
  });

  it("every t(`prefix.<expression>`) template names an existing family of keys", () => {
    const { prefixes } = usedKeys();
    expect(prefixes.length).toBeGreaterThan(10);
    const orphan = prefixes
      .filter(({ prefix }) => !enKeys.some((k) => k.startsWith(prefix)))
      .map(({ prefix, file }) => `${file}: ${prefix}`);
    expect(orphan).toEqual([]);
  });

  it("has a name and description for every strategy, a label for every state and action", () => {
    const wanted = [
      ...STRATEGIES.flatMap((s) => [`strategy.${s}.name`, `strategy.${s}.desc`, `wizard.trafficIntro.${s}`]),
      ...TASK_STATES.map((s) => `state.${s}`),
      ...ACTIONS.map((a) => `action.${a}`),
    ];
    expect(wanted.filter((k) => !(k in en))).toEqual([]);
  });
});
