// Strategy knowledge lives in lib/release/strategies: everywhere else asks the registry
// (strategyOf(name).capabilities, .actions(state), ...). This test reads the code of lib,
// components and app with the TypeScript parser and fails on any check of a strategy by name
// outside this folder, so such checks cannot creep back.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { STRATEGIES } from "../types";

const root = path.resolve(__dirname, "../../..");
const NAMES = new Set<string>(STRATEGIES);
const ALLOWED_DIR = path.join("lib", "release", "strategies") + path.sep;

/** Source files of the app (tests, test data and fixtures excluded: they build tasks by name). */
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === "node_modules" || e.name === "testdata" || e.name === "generated" ? [] : sources(rel);
    if (!/\.tsx?$/.test(e.name) || /\.test\.tsx?$/.test(e.name) || e.name === "fixtures.ts" || e.name.endsWith(".d.ts"))
      return [];
    return rel.startsWith(ALLOWED_DIR) ? [] : [rel];
  });
}

const isName = (n: ts.Node): n is ts.StringLiteral => ts.isStringLiteralLike(n) && NAMES.has(n.text);
const mentionsStrategy = (n: ts.Node, file: ts.SourceFile) => /strategy/i.test(n.getText(file));
const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** An array of strategy names used as a set of strategies: searched, or declared as Strategy[]. */
function listsStrategies(n: ts.ArrayLiteralExpression, file: ts.SourceFile): boolean {
  const parent = n.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === n) return true;
  return ts.isVariableDeclaration(parent) && parent.type !== undefined && /Strategy/.test(parent.type.getText(file));
}

/** Every place in `file` that checks a strategy by its name, as `path:line: code`. */
function nameChecks(rel: string, text: string): string[] {
  const file = ts.createSourceFile(
    rel,
    text,
    ts.ScriptTarget.Latest,
    true,
    rel.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const report = (n: ts.Node) =>
    found.push(
      `${rel}:${file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1}: ${n.getText(file).slice(0, 100)}`,
    );
  const visit = (n: ts.Node): void => {
    // strategy === "batch", "mirror" !== spec.strategy
    if (ts.isBinaryExpression(n) && EQUALITY.has(n.operatorToken.kind)) {
      if ((isName(n.right) && mentionsStrategy(n.left, file)) || (isName(n.left) && mentionsStrategy(n.right, file)))
        report(n);
    }
    // switch (spec.strategy) { case "canary": ... }
    if (ts.isSwitchStatement(n) && mentionsStrategy(n.expression, file)) {
      for (const clause of n.caseBlock.clauses)
        if (ts.isCaseClause(clause) && isName(clause.expression)) report(clause);
    }
    // ["batch", "replica-canary"].includes(strategy), const SCALES: Strategy[] = [...]: a list of strategies by name
    if (ts.isArrayLiteralExpression(n) && n.elements.length > 0 && n.elements.every(isName) && listsStrategies(n, file))
      report(n);
    // where: { strategy: "batch" }
    if (ts.isPropertyAssignment(n) && n.name.getText(file) === "strategy" && isName(n.initializer)) report(n);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

describe("strategy names are compared only in lib/release/strategies", () => {
  it("finds the checks it is meant to find", () => {
    const code = [
      'if (spec.strategy === "batch") x();',
      'const y = "mirror" !== task.strategy;',
      'switch (form.strategy) { case "canary": break; }',
      'const SCALES: readonly Strategy[] = ["batch", "replica-canary"];',
      'if (["batch", "mirror"].includes(strategy)) x();',
      'issue(["batch"], "err.spec.batchOnly");',
      'if (control.kind === "mirror") x();',
      'db.find({ where: { strategy: "batch" } });',
    ].join("\n");
    expect(nameChecks("sample.ts", code).map((f) => f.split(":")[1])).toEqual(["1", "2", "3", "4", "5", "8"]);
  });

  it("no code outside the strategy modules checks a strategy by name", () => {
    const offenders = ["lib", "components", "app"]
      .flatMap(sources)
      .flatMap((rel) => nameChecks(rel, readFileSync(path.join(root, rel), "utf8")));
    expect(offenders).toEqual([]);
    // It parses every source file of the repository: ~1 s alone, several on a loaded machine.
  }, 30_000);
});
