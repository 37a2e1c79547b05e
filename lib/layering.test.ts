import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layers, read from the imports: use-cases (lib/tasks, lib/inventory) know nothing of HTTP
// (they throw domain errors that lib/api maps, and lib/api imports their view schemas, never the
// reverse) nor of Next; raw Kubernetes pod listing is the adapter's (lib/k8s) alone.

const ROOT = path.resolve(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return name === "generated" ? [] : sources(rel);
    return /\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']/g),
    ...source.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return specifiers.map((m) => m[1]!);
}

const FORBIDDEN_IN_USE_CASES = [/^@\/lib\/api(\/|$)/, /^next(\/|$)/, /^\.\.\/api(\/|$)/];

describe("layering", () => {
  it("reads imports, re-exports and dynamic imports", () => {
    expect(
      importsOf(
        'import { a } from "@/lib/api/errors";\nexport * from "next/server";\nimport "server-only";\nawait import("../api/x");',
      ),
    ).toEqual(["@/lib/api/errors", "next/server", "server-only", "../api/x"]);
  });

  it.each(["lib/tasks", "lib/inventory"])("%s imports nothing from lib/api or next/*", (dir) => {
    const files = sources(dir);
    expect(files.length).toBeGreaterThan(2);
    const offending = files.flatMap((f) =>
      importsOf(readFileSync(path.join(ROOT, f), "utf8"))
        .filter((s) => FORBIDDEN_IN_USE_CASES.some((re) => re.test(s)))
        .map((s) => `${f}: ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it("lists pods only in lib/k8s (the adapter), nowhere else in lib/ or app/", () => {
    const files = [...sources("lib"), ...sources("app")].filter((f) => !f.endsWith(".test.ts"));
    const listing = files.filter((f) =>
      /\blist(Namespaced)?Pod(ForAllNamespaces)?\(/.test(readFileSync(path.join(ROOT, f), "utf8")),
    );
    expect(listing.length).toBeGreaterThan(0);
    expect(listing.filter((f) => !f.startsWith("lib/k8s/"))).toEqual([]);
  });
});
