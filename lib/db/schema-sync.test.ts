import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";

// The PostgreSQL schema is a twin of the SQLite one; only the provider and the client's
// output folder may differ, or the two databases would silently store different things.
const root = path.resolve(__dirname, "../..");
const models = (file: string) =>
  readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("//"))
    .join("\n")
    .replace(/provider\s*=\s*"(sqlite|postgresql)"/, 'provider = "<db>"')
    .replace(/output\s*=\s*"[^"]+"/, 'output = "<out>"')
    .trim();

describe("prisma schemas", () => {
  it("SQLite and PostgreSQL schemas declare the same models", () => {
    expect(models("prisma/postgresql/schema.prisma")).toBe(models("prisma/schema.prisma"));
  });
  it("each database has the same migrations, by name", async () => {
    const { readdirSync } = await import("node:fs");
    const names = (kind: string) =>
      readdirSync(path.join(root, "prisma/migrations", kind), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    expect(names("postgresql")).toEqual(names("sqlite"));
    expect(names("sqlite").length).toBeGreaterThan(0);
  });
});
