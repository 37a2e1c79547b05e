// Compiles `re` with re2js (a port of RE2/J, itself a port of Go's regexp: the parser istiod
// validates StringMatch.regex with). Returns the parser's complaint, or null. Server and tests.
// The browser build gets ./compile-browser.ts instead (next.config.ts turbopack.resolveAlias):
// re2js is ~60 kB gzip, and every spec the wizard sends is checked here on the server anyway.
import { RE2JS } from "re2js";

export function re2CompileError(re: string): string | null {
  try {
    RE2JS.compile(re);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
