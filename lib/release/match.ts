// Translating the console's match rules into one Istio HTTPMatchRequest. PURE.
// Istio (Envoy safe_regex, RE2) regexes must match the WHOLE header value, so every pattern
// here is written for full-match semantics; tests check them with ^(?:...)$ in JS.
import { fieldErrorOf } from "./errors";
import type { MatchRule } from "./spec";
import type { HTTPMatchRequest, StringMatch } from "./types";

// "Contains" fragments for user-agent presets. Combined as .*(?:A.*B|B.*A).* when two presets
// hit the same header, which is why they are fragments rather than full patterns.
export const OS_FRAGMENTS: Record<Extract<MatchRule, { kind: "os" }>["value"], string> = {
  windows: "Windows",
  // iOS agents say "like Mac OS X", so key macOS on "Macintosh".
  macos: "Macintosh",
  // Android agents also say "Linux"; desktop Linux agents say "(X11; [Ubuntu; ]Linux ...".
  linux: "X11;[^)]*Linux",
  android: "Android",
  ios: "iPhone|iPad|iPod",
};
export const BROWSER_FRAGMENTS: Record<Extract<MatchRule, { kind: "browser" }>["value"], string> = {
  // Edge and Opera append their own token after "Safari/x"; Chrome ends with it. RE2 has no
  // lookahead, so "ends right after Safari/<version>" is how Chrome is told apart.
  chrome: "(?:Chrome/[.0-9]+ (?:Mobile )?|CriOS/[.0-9]+ (?:Mobile/[0-9A-Za-z]+ )?)Safari/[.0-9]+$",
  firefox: "(?:Firefox|FxiOS)/",
  // Only Safari carries "Version/x ... Safari/y" (Chrome-based agents do not have Version/).
  safari: "Version/[.0-9]+ (?:Mobile/[0-9A-Za-z]+ )?Safari/",
  edge: "(?:Edg|EdgA|EdgiOS|Edge)/",
};

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function containsRegex(fragments: readonly string[]): string {
  if (fragments.length === 1) return `.*(?:${fragments[0]}).*`;
  const [a, b] = fragments;
  return `.*(?:(?:${a}).*(?:${b})|(?:${b}).*(?:${a})).*`;
}

/** Full-match regex for the Cookie header requiring every `name=value` pair (1 or 2), in any order. */
export function cookieRegex(pairs: readonly { name: string; value: string }[]): string {
  const tokens = pairs.map((p) => `${escapeRegex(p.name)}=${escapeRegex(p.value)}`);
  if (tokens.length === 1) return `^(.*?;\\s*)?${tokens[0]}(;.*)?$`;
  const [a, b] = tokens;
  return `^(.*?;\\s*)?(?:${a};\\s*(.*?;\\s*)?${b}|${b};\\s*(.*?;\\s*)?${a})(;.*)?$`;
}

type HeaderContribution =
  | { kind: "fragment"; fragment: string; index: number }
  | { kind: "cookie"; name: string; value: string; index: number }
  | { kind: "literal"; match: StringMatch; index: number };

/**
 * All rules ANDed into ONE match entry (headers map + uri). `fieldPath` names the spec field
 * in errors (e.g. "traffic.match").
 */
export function buildMatchRequest(rules: readonly MatchRule[], fieldPath: string): HTTPMatchRequest {
  const byHeader = new Map<string, HeaderContribution[]>();
  const add = (header: string, c: HeaderContribution) => {
    const list = byHeader.get(header) ?? [];
    list.push(c);
    byHeader.set(header, list);
  };
  let uri: StringMatch | undefined;
  rules.forEach((rule, index) => {
    switch (rule.kind) {
      case "header":
        add(rule.name, { kind: "literal", match: { [rule.op]: rule.value }, index });
        break;
      case "cookie":
        add("cookie", { kind: "cookie", name: rule.name, value: rule.value, index });
        break;
      case "os":
        add("user-agent", { kind: "fragment", fragment: OS_FRAGMENTS[rule.value], index });
        break;
      case "browser":
        add("user-agent", { kind: "fragment", fragment: BROWSER_FRAGMENTS[rule.value], index });
        break;
      case "uri":
        if (uri !== undefined) throw fieldErrorOf(`${fieldPath}[${index}]`, "err.match.oneUri");
        uri = { [rule.op]: rule.value };
        break;
    }
  });

  const headers: Record<string, StringMatch> = {};
  for (const [header, list] of byHeader) {
    const last = list[list.length - 1];
    const where = `${fieldPath}[${last?.index ?? 0}]`;
    if (list.length > 2) throw fieldErrorOf(where, "err.match.headerTwice", { header });
    const first = list[0];
    if (!first) continue;
    if (list.length === 1) {
      if (first.kind === "literal") headers[header] = first.match;
      else if (first.kind === "cookie") headers[header] = { regex: cookieRegex([first]) };
      else headers[header] = { regex: containsRegex([first.fragment]) };
      continue;
    }
    const second = list[1];
    if (!second) continue;
    if (first.kind === "fragment" && second.kind === "fragment") {
      headers[header] = { regex: containsRegex([first.fragment, second.fragment]) };
    } else if (first.kind === "cookie" && second.kind === "cookie") {
      headers[header] = { regex: cookieRegex([first, second]) };
    } else {
      throw fieldErrorOf(where, "err.match.headerClash", { rule: first.index, header });
    }
  }
  const out: HTTPMatchRequest = {};
  if (Object.keys(headers).length > 0) out.headers = headers;
  if (uri !== undefined) out.uri = uri;
  return out;
}
