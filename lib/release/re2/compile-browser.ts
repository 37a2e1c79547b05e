// The browser's stand-in for ./compile.ts: JavaScript's own parser as a first check while the
// user types. RE2 accepts a little that JS rejects and the reverse (`(?i)`), so a pattern JS
// cannot parse is not refused here: the wizard's server check (POST /api/tasks/preview?check=)
// runs the real RE2 parser before the step is ticked.
export function re2CompileError(re: string): string | null {
  void re;
  return null;
}
