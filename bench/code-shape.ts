// Code shape of lib/release: lines per file and per function, for the house rule "no file over
// 400 lines, no function over 60". Run: npx tsx bench/code-shape.ts [root] (root defaults to the
// repository this script sits in, so a second checkout can be measured with the same script).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

const FILE_LIMIT = 400;
const FUNCTION_LIMIT = 60;

interface Sized {
  name: string;
  lines: number;
}

/** Non-test .ts files under `dir`, recursively (testdata and test helpers are test code too). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === "testdata" ? [] : sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

function lineCount(text: string): number {
  const lines = text.split("\n");
  return lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
}

/** A readable name for a function node: its own name, the variable or property it is bound to, else `<anonymous>`. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent)) return parent.name.getText();
  return "<anonymous>";
}

/** Every function, method, accessor, constructor and arrow function in `file`, with its line span. */
function functionsOf(path: string, text: string, root: string): Sized[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const out: Sized[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const fn = node as ts.FunctionLikeDeclaration;
      out.push({ name: `${relative(root, path)}:${start + 1} ${functionName(fn)}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The value at quantile `q` (nearest rank) of `xs`. */
function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? 0;
}

function largest(items: readonly Sized[], n: number): string {
  return [...items]
    .sort((a, b) => b.lines - a.lines)
    .slice(0, n)
    .map((x) => `${x.name} (${x.lines})`)
    .join(", ");
}

function main(): void {
  const root = resolve(process.argv[2] ?? join(__dirname, ".."));
  const files = sourceFiles(join(root, "lib/release"));
  const sizedFiles: Sized[] = [];
  const functions: Sized[] = [];
  for (const path of files) {
    const text = readFileSync(path, "utf8");
    sizedFiles.push({ name: relative(root, path), lines: lineCount(text) });
    functions.push(...functionsOf(path, text, root));
  }
  const fileLines = sizedFiles.map((f) => f.lines);
  const fnLines = functions.map((f) => f.lines);
  console.log(`lib/release (non-test .ts) under ${root}`);
  console.log(`| measure | count | max | p50 | p90 | over limit |`);
  console.log(`|---|---|---|---|---|---|`);
  const overFiles = fileLines.filter((n) => n > FILE_LIMIT).length;
  const overFns = fnLines.filter((n) => n > FUNCTION_LIMIT).length;
  console.log(
    `| lines per file | ${files.length} files | ${Math.max(...fileLines)} | ${quantile(fileLines, 0.5)} | ${quantile(fileLines, 0.9)} | ${overFiles} over ${FILE_LIMIT} |`,
  );
  console.log(
    `| lines per function | ${functions.length} functions | ${Math.max(...fnLines)} | ${quantile(fnLines, 0.5)} | ${quantile(fnLines, 0.9)} | ${overFns} over ${FUNCTION_LIMIT} |`,
  );
  console.log(`largest files: ${largest(sizedFiles, 5)}`);
  console.log(`largest functions: ${largest(functions, 5)}`);
  const over = functions.filter((f) => f.lines > FUNCTION_LIMIT);
  if (over.length > 0) console.log(`functions over ${FUNCTION_LIMIT}: ${largest(over, over.length)}`);
}

main();
