// istiod's validation of VirtualServices and DestinationRules, restated for the fields the console
// writes or carries through (hosts, http routes: match, destinations, weights, mirror; DR host and
// subsets). A cluster without istiod's validating webhook (the local one) would store whatever we
// send, and one with it would refuse the write halfway through an operation: so every write is
// checked here first. Sources, istio/istio:
//   pkg/config/validation/validation.go    ValidateVirtualService, ValidateDestinationRule,
//     validateHTTPRouteDestinations, validateDestination, validateSubsetName, validateStringMatch,
//     validateStringRegexp, validateHTTPMirrors, ValidateHTTPHeaderNameOrJwtClaimRoute
//   pkg/config/validation/virtualservice.go validateHTTPRoute, validateHTTPRouteConflict,
//     validateHTTPRouteMatchRequest
//   pkg/config/validation/agent/validation.go ValidateWildcardDomain, ValidateDNS1123Labels, ValidatePort
//   pkg/config/labels/instance.go           Instance.Validate, IsDNS1123Label
// Not restated (carried through untouched, never written by the console): header operations,
// CORS, fault, redirect and rewrite details, retries, timeouts, traffic policies, exportTo,
// gateway names, TLS/TCP routes. Messages are istiod's where it has one. PURE.
import { joinPath } from "./json";
import { regexProblem } from "./spec";
import type {
  Destination,
  DestinationRuleSpec,
  HTTPRoute,
  HTTPRouteDestination,
  StringMatch,
  Subset,
  VirtualServiceSpec,
} from "./types";

/** One violation: where (`http[0].route`), what, and the element it is about (to tell old problems from new). */
export interface IstioProblem {
  path: string;
  message: string;
  at: unknown;
}

const problem = (path: string, message: string, at: unknown): IstioProblem => ({ path, message, at });
const join = (...lists: IstioProblem[][]): IstioProblem[] => lists.flat();

// ---------------------------------------------------------------- names (labels/instance.go, agent/validation.go)

const DNS1123_LABEL_FMT = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
const QUALIFIED_NAME_FMT = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const WILDCARD_LABEL = new RegExp(`^(?:\\*|(?:\\*|\\*-)?${DNS1123_LABEL_FMT})$`);
const LABEL_KEY = new RegExp(`^(${DNS1123_LABEL_FMT}(?:\\.${DNS1123_LABEL_FMT})*/)?(${QUALIFIED_NAME_FMT})$`);
const LABEL_VALUE = new RegExp(`^(?:${QUALIFIED_NAME_FMT})?$`);

/** istiod's IsDNS1123Label: note it accepts capitals, which Kubernetes names do not. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

function dns1123LabelsProblem(domain: string): string | null {
  const parts = domain.split(".");
  const tld = parts[parts.length - 1] ?? "";
  if (/^[+-]?\d+$/.test(tld))
    return `domain name "${domain}" invalid (top level domain "${tld}" cannot be all-numeric)`;
  for (const [i, label] of parts.entries()) {
    // A trailing dot is allowed: `istio.io.` is unambiguous.
    if (i === parts.length - 1 && label === "") return null;
    if (!isDns1123Label(label)) return `domain name "${domain}" invalid (label "${label}" invalid)`;
  }
  return null;
}

/** agent.ValidateWildcardDomain: an FQDN whose first label may be a wildcard (`*`, `*foo`, `*-foo`). */
export function wildcardDomainProblem(domain: string): string | null {
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  if (domain.length === 0) return "empty domain name not allowed";
  const dot = domain.indexOf(".");
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first))
    return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return dot < 0 ? null : dns1123LabelsProblem(domain.slice(dot + 1));
}

/** netutil.IsValidIPAddress, near enough: dotted IPv4 or a colon-hex IPv6 (with at most one '::'). */
function isIpAddress(host: string): boolean {
  const v4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
  return v4.test(host) || (/^[0-9a-fA-F:.]+$/.test(host) && host.includes(":") && host.split("::").length <= 2);
}

/** labels.Instance.Validate: keys are Kubernetes label names, values label values. */
export function labelsProblems(labels: Record<string, string> | undefined, path: string, at: unknown): IstioProblem[] {
  const out: IstioProblem[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    const m = LABEL_KEY.exec(k);
    if (!m) out.push(problem(path, `invalid tag key: "${k}"`, at));
    else if ((m[1] ?? "").length - 1 > 253)
      out.push(problem(path, `invalid tag key: "${k}" (DNS prefix is too long)`, at));
    else if ((m[2] ?? "").length > 63) out.push(problem(path, `invalid tag key: "${k}" (name is too long)`, at));
    if (typeof v !== "string" || !LABEL_VALUE.test(v))
      out.push(problem(path, `invalid tag value: ${JSON.stringify(v)}`, at));
  }
  return out;
}

// ---------------------------------------------------------------- destinations (validation.go)

export function subsetNameProblem(name: string): string | null {
  if (name.length === 0) return "subset name cannot be empty";
  return isDns1123Label(name) ? null : `subset name is invalid: ${name}`;
}

function portProblem(port: unknown): string | null {
  const n = typeof port === "number" ? port : 0;
  return Number.isInteger(n) && n >= 1 && n <= 65535
    ? null
    : `port number ${String(port ?? 0)} must be in the range 1..65535`;
}

/** validateDestination: host (never `*`), subset name, port selector. */
export function destinationProblems(d: Destination | undefined | null, path: string, at: unknown): IstioProblem[] {
  if (d === undefined || d === null) return [];
  const host = typeof d.host === "string" ? d.host : "";
  const hostProblem = host === "*" ? `invalid destination host ${host}` : wildcardDomainProblem(host);
  const subsetProblem = d.subset !== undefined && d.subset !== "" ? subsetNameProblem(d.subset) : null;
  const portSelector = d.port === undefined || d.port === null ? null : portProblem(d.port.number);
  return [
    ...(hostProblem ? [problem(joinPath(path, "host"), hostProblem, at)] : []),
    ...(subsetProblem ? [problem(joinPath(path, "subset"), subsetProblem, at)] : []),
    ...(portSelector ? [problem(joinPath(path, "port"), portSelector, at)] : []),
  ];
}

/** validateHTTPRouteDestinations: a destination each, weights >= 0, and not all 0 when there are several. */
function routeDestinationProblems(
  dests: readonly (HTTPRouteDestination | null)[] | undefined,
  path: string,
  at: unknown,
): IstioProblem[] {
  const list = dests ?? [];
  const out: IstioProblem[] = [];
  let total = 0;
  list.forEach((d, i) => {
    const p = `${path}[${i}]`;
    if (d === null || typeof d !== "object") {
      out.push(problem(p, "weight may not be nil", at));
      return;
    }
    if (!d.destination) out.push(problem(p, "destination is required", at));
    out.push(...destinationProblems(d.destination, `${p}.destination`, at));
    const w = d.weight ?? 0;
    if (w < 0) out.push(problem(`${p}.weight`, `weight ${w} < 0`, at));
    total += w;
  });
  if (list.length > 1 && total === 0) out.push(problem(path, "total destination weight = 0", at));
  return out;
}

// ---------------------------------------------------------------- match (virtualservice.go)

/** validateStringMatch (prefix must not be empty; a regex must compile as RE2, at most 1024 long). */
function stringMatchProblems(
  sm: StringMatch | null | undefined,
  where: string,
  path: string,
  at: unknown,
  emptyPrefixOk = false,
): IstioProblem[] {
  if (!sm || typeof sm !== "object") return [];
  if (sm.prefix !== undefined && sm.prefix === "" && !emptyPrefixOk)
    return [problem(path, `"${where}": prefix string match should not be empty`, at)];
  if (sm.regex === undefined) return [];
  if (sm.regex === "") return [problem(path, `"${where}": regex string match should not be empty`, at)];
  if (sm.regex.length > 1024) return [problem(path, `"${where}": regex is too large, max length allowed is 1024`, at)];
  const bad = regexProblem(sm.regex);
  return bad ? [problem(path, `"${where}": ${bad}`, at)] : [];
}

const TCHAR_HEADER = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = new Set([":method", ":scheme", ":authority", ":path", ":status"]);

/** ValidateHTTPHeaderNameOrJwtClaimRoute: a token, a pseudo-header, or @request.auth.claims.<x>. */
export function headerNameProblem(name: string): string | null {
  if (name === "") return "header name cannot be empty";
  const claim = /^@request\.auth\.claims(\..+|\[.+\])$/i.test(name);
  if (claim || PSEUDO_HEADERS.has(name) || TCHAR_HEADER.test(name)) return null;
  return `header name ${name} is not a valid header name`;
}

function headerMatchProblems(
  headers: unknown,
  where: "headers" | "withoutHeaders",
  path: string,
  at: unknown,
): IstioProblem[] {
  const out: IstioProblem[] = [];
  for (const [name, sm] of Object.entries((headers ?? {}) as Record<string, StringMatch | null>)) {
    const p = joinPath(joinPath(path, where), name);
    if (sm === null && where === "headers") out.push(problem(p, `header match ${name} cannot be null`, at));
    const bad = headerNameProblem(name);
    if (bad) out.push(problem(p, bad, at));
    // withoutHeaders: `*` is not RE2, it means "present".
    if (!(where === "withoutHeaders" && sm?.regex === "*")) out.push(...stringMatchProblems(sm, where, p, at));
  }
  return out;
}

/** validateHTTPRouteMatchRequest, for the match fields a route can carry. */
function matchProblems(match: readonly unknown[] | undefined, path: string, at: unknown): IstioProblem[] {
  const out: IstioProblem[] = [];
  (match ?? []).forEach((raw, i) => {
    if (raw === null || typeof raw !== "object") return;
    const m = raw as Record<string, unknown>;
    const p = `${path}[${i}]`;
    out.push(
      ...headerMatchProblems(m.headers, "headers", p, at),
      ...headerMatchProblems(m.withoutHeaders, "withoutHeaders", p, at),
    );
    // uri allows an empty prefix (Envoy does); scheme/method/authority do not.
    out.push(...stringMatchProblems(m.uri as StringMatch, "uri", joinPath(p, "uri"), at, true));
    for (const f of ["scheme", "method", "authority"] as const)
      out.push(...stringMatchProblems(m[f] as StringMatch, f, joinPath(p, f), at));
    for (const [q, sm] of Object.entries((m.queryParams ?? {}) as Record<string, StringMatch>))
      out.push(...stringMatchProblems(sm, "queryParams", joinPath(joinPath(p, "queryParams"), q), at));
    if (m.port !== undefined && m.port !== 0) {
      const bad = portProblem(m.port);
      if (bad) out.push(problem(joinPath(p, "port"), bad, at));
    }
    out.push(...labelsProblems(m.sourceLabels as Record<string, string> | undefined, joinPath(p, "sourceLabels"), at));
    if (typeof m.sourceNamespace === "string" && m.sourceNamespace !== "" && !isDns1123Label(m.sourceNamespace))
      out.push(problem(joinPath(p, "sourceNamespace"), `sourceNamespace match ${m.sourceNamespace} is invalid`, at));
  });
  return out;
}

// ---------------------------------------------------------------- http routes (virtualservice.go)

/** validateHTTPRouteConflict: exactly one of route / redirect / directResponse (a delegating root route: delegate only). */
function conflictProblems(r: HTTPRoute, path: string, delegateVs: boolean): IstioProblem[] {
  const has = (k: string) => r[k] !== undefined && r[k] !== null;
  const routes = (r.route ?? []).length;
  const out: string[] = [];
  if (!delegateVs && has("delegate")) {
    if (has("redirect")) out.push(`root HTTP route ${r.name ?? ""} must not specify redirect`);
    if (has("route")) out.push(`root HTTP route ${r.name ?? ""} must not specify route`);
    return out.map((m) => problem(path, m, r));
  }
  if (delegateVs && has("delegate")) out.push("delegate HTTP route cannot contain delegate");
  if (has("redirect")) {
    if (routes > 0) out.push("HTTP route cannot contain both route and redirect");
    if (has("fault")) out.push("HTTP route cannot contain both fault and redirect");
    if (has("rewrite")) out.push("HTTP route rule cannot contain both rewrite and redirect");
    if (has("directResponse")) out.push("HTTP route rule cannot contain both direct_response and redirect");
  } else if (has("directResponse")) {
    if (routes > 0) out.push("HTTP route cannot contain both route and direct_response");
    if (has("fault")) out.push("HTTP route cannot contain both fault and direct_response");
    if (has("rewrite")) out.push("HTTP route rule cannot contain both rewrite and direct_response");
  } else if (routes === 0) out.push("HTTP route, redirect or direct_response is required");
  if (has("mirror") && Array.isArray(r.mirrors) && r.mirrors.length > 0)
    out.push("HTTP route cannot contain both mirror and mirrors");
  return out.map((m) => problem(path, m, r));
}

function percentRange(value: unknown, path: string, name: string, at: unknown): IstioProblem[] {
  if (typeof value !== "number") return [];
  if (value > 100) return [problem(path, `${name} must have a max value of 100 (it has ${value})`, at)];
  if (value < 0) return [problem(path, `${name} must have a min value of 0 (it has ${value})`, at)];
  return [];
}

/** The mirror fields: mirrorPercentage 0..100, the mirror's destination, every entry of `mirrors`. */
function mirrorProblems(r: HTTPRoute, path: string): IstioProblem[] {
  const out = [
    ...percentRange(r.mirrorPercentage?.value, joinPath(path, "mirrorPercentage"), "mirror_percentage", r),
    ...percentRange(r.mirrorPercent, joinPath(path, "mirrorPercent"), "mirror_percent", r),
    ...destinationProblems(r.mirror, joinPath(path, "mirror"), r),
  ];
  const mirrors = Array.isArray(r.mirrors)
    ? (r.mirrors as ({ destination?: Destination; percentage?: { value?: number } } | null)[])
    : [];
  mirrors.forEach((m, i) => {
    const p = `${joinPath(path, "mirrors")}[${i}]`;
    if (!m) {
      out.push(problem(p, "mirror cannot be null", r));
      return;
    }
    if (!m.destination) {
      out.push(problem(p, "destination is required for mirrors", r));
      return;
    }
    out.push(
      ...destinationProblems(m.destination, joinPath(p, "destination"), r),
      ...percentRange(m.percentage?.value, joinPath(p, "percentage"), "mirror percentage", r),
    );
  });
  return out;
}

/** validateHTTPRoute for one http route (`delegateVs`: the VirtualService has no hosts). */
export function httpRouteProblems(r: HTTPRoute, path: string, delegateVs = false): IstioProblem[] {
  return join(
    conflictProblems(r, path, delegateVs),
    matchProblems(r.match, joinPath(path, "match"), r),
    mirrorProblems(r, path),
    routeDestinationProblems(r.route, joinPath(path, "route"), r),
  );
}

// ---------------------------------------------------------------- objects (validation.go)

/** Does `a` cover `b` or `b` cover `a` (host.Name.Matches: `*.bar` covers `*.foo.bar` and `x.bar`)? */
function hostsOverlap(a: string, b: string): boolean {
  const wa = a.startsWith("*");
  const wb = b.startsWith("*");
  if (wa && wb) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (wa) return b.endsWith(a.slice(1));
  if (wb) return a.endsWith(b.slice(1));
  return a === b;
}

function hostProblems(spec: VirtualServiceSpec): IstioProblem[] {
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  const appliesToMesh = gateways.length === 0 || gateways.includes("mesh");
  const out: IstioProblem[] = [];
  hosts.forEach((h, i) => {
    const bad = wildcardDomainProblem(h);
    if (bad && !isIpAddress(h)) out.push(problem(`hosts[${i}]`, bad, h));
    else if (!bad && appliesToMesh && h === "*")
      out.push(
        problem(`hosts[${i}]`, "wildcard host * is not allowed for virtual services bound to the mesh gateway", h),
      );
  });
  if (out.length > 0) return out;
  for (let i = 0; i < hosts.length; i++)
    for (let j = i + 1; j < hosts.length; j++) {
      const [a, b] = [hosts[i] ?? "", hosts[j] ?? ""];
      if (hostsOverlap(a, b))
        out.push(problem(`hosts[${j}]`, `duplicate hosts in virtual service: ${a} & ${b}`, [a, b]));
    }
  return out;
}

/** A VirtualService with no hosts is a delegate: no gateways, no TLS or TCP routes. */
function delegateProblems(spec: VirtualServiceSpec): IstioProblem[] {
  if ((spec.hosts ?? []).length > 0) return [];
  const out: IstioProblem[] = [];
  if ((spec.gateways ?? []).length > 0)
    out.push(problem("gateways", "delegate virtual service must have no gateways specified", spec.gateways));
  for (const k of ["tls", "tcp"] as const)
    if (Array.isArray(spec[k]) && (spec[k] as unknown[]).length > 0)
      out.push(problem(k, `delegate virtual service must have no ${k} route specified`, spec[k]));
  return out;
}

/** ValidateVirtualService, as far as restated (see the header). */
export function virtualServiceProblems(spec: VirtualServiceSpec): IstioProblem[] {
  const http = spec.http ?? [];
  const routed = http.length > 0 || [spec.tcp, spec.tls].some((x) => Array.isArray(x) && x.length > 0);
  const delegateVs = (spec.hosts ?? []).length === 0;
  return join(
    delegateProblems(spec),
    hostProblems(spec),
    routed ? [] : [problem("http", "http, tcp or tls must be provided in virtual service", null)],
    ...http.map((r, i) =>
      r === null
        ? [problem(`http[${i}]`, "http route may not be null", null)]
        : httpRouteProblems(r, `http[${i}]`, delegateVs),
    ),
  );
}

/** ValidateDestinationRule, as far as restated: host, and unique, well-named, well-labelled subsets. */
export function destinationRuleProblems(spec: DestinationRuleSpec): IstioProblem[] {
  const hostProblem = wildcardDomainProblem(typeof spec.host === "string" ? spec.host : "");
  const out: IstioProblem[] = hostProblem ? [problem("host", hostProblem, spec.host)] : [];
  const seen = new Set<string>();
  (spec.subsets ?? []).forEach((s: Subset | null, i) => {
    const p = `subsets[${i}]`;
    if (s === null || typeof s !== "object") {
      out.push(problem(p, "subset may not be null", null));
      return;
    }
    if (seen.has(s.name)) out.push(problem(`${p}.name`, `duplicate subset names: ${s.name}`, s));
    seen.add(s.name);
    const bad = subsetNameProblem(typeof s.name === "string" ? s.name : "");
    if (bad) out.push(problem(`${p}.name`, bad, s));
    out.push(...labelsProblems(s.labels, `${p}.labels`, s));
  });
  return out;
}
