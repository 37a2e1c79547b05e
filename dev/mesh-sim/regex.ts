// PURE StringMatch.regex as Envoy runs it: RE2 ("RE2 style regex-based match", istio/api
// StringMatch), matched against the WHOLE value (Envoy's safe_regex with google_re2 is a full
// match). re2js ports RE2/J, a port of Go's regexp: the same syntax istiod validated the
// VirtualService with, so `(?i)jason` matches "JASON" and `(?=x)` never compiles.
import { RE2JS } from "re2js";

/** A compiled full-match test, or null when RE2 refuses the pattern (istiod would have refused it too). */
export type FullMatch = ((value: string) => boolean) | null;

const cache = new Map<string, FullMatch>();
const CACHE_LIMIT = 10_000;

export function compileFullMatch(pattern: string): FullMatch {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let test: FullMatch;
  try {
    const re = RE2JS.compile(pattern);
    test = (value: string) => re.matches(value);
  } catch {
    test = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, test);
  return test;
}

/** True when `value` matches `pattern` in full; an invalid pattern matches nothing. */
export function fullMatch(pattern: string, value: string): boolean {
  const test = compileFullMatch(pattern);
  return test?.(value) === true;
}
