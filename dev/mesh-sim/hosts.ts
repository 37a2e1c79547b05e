// PURE host names as Istio reads them. Two different rules, both from istiod:
//
//  - Config hosts (VirtualService/DestinationRule hosts, route destinations, Gateway server
//    hosts): only a short name, one with NO dots, is expanded, against the namespace of the
//    rule: "reviews" in bookinfo -> reviews.bookinfo.svc.cluster.local. "reviews.other" stays
//    "reviews.other". (istio/istio pkg/config/model.go ResolveShortnameToFQDN; the api's
//    VirtualService.hosts: "short-names ... (i.e. has no dots in the name)".)
//  - Request hosts (the Host header a caller sends): a sidecar answers a service under its FQDN
//    and the alternate names GenerateAltVirtualHosts gives it
//    (istio/istio pilot/pkg/networking/core/httproute.go): from the same namespace "reviews",
//    "reviews.ns", "reviews.ns.svc"; from another namespace "reviews.ns", "reviews.ns.svc";
//    each with or without ":port", and the absolute "fqdn." form.

export const DEFAULT_DOMAIN = "cluster.local";

/** Host without a trailing ":port" (IPv6 literals in brackets keep their colons). */
export function stripPort(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith("[")) return a.slice(0, a.indexOf("]") + 1);
  const i = a.lastIndexOf(":");
  return i >= 0 && /^\d+$/.test(a.slice(i + 1)) ? a.slice(0, i) : a;
}

/** istiod's ResolveShortnameToFQDN: "*", IPs and dotted names are kept as written. */
export function resolveShortname(host: string, namespace: string, domain = DEFAULT_DOMAIN): string {
  const h = host.trim().toLowerCase();
  if (h === "" || h === "*" || h.includes(".") || h.includes(":")) return h;
  return `${h}.${namespace}.svc.${domain}`;
}

/**
 * The service FQDN a caller in `callerNamespace` reaches with this Host header, by the
 * alternate virtual-host names Istio generates (short name = the caller's own namespace).
 */
export function requestHostToFqdn(authority: string, callerNamespace: string, domain = DEFAULT_DOMAIN): string {
  const h = stripPort(authority).replace(/\.$/, "");
  const parts = h.split(".");
  if (parts.length === 1) return `${h}.${callerNamespace}.svc.${domain}`;
  if (parts.length === 2) return `${h}.svc.${domain}`;
  if (parts.length === 3 && parts[2] === "svc") return `${h}.${domain}`;
  return h;
}

/**
 * Istio's host.Name.Matches for one concrete host: "*" matches everything, "*.example.com"
 * matches any name ending in ".example.com", anything else must be equal.
 */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/**
 * How specific a matching host pattern is, for Envoy's virtual-host choice: an exact domain
 * first, then the longest wildcard suffix, "*" last.
 */
export function hostSpecificity(pattern: string): number {
  if (pattern === "*") return 0;
  if (pattern.startsWith("*")) return pattern.length;
  return Number.MAX_SAFE_INTEGER;
}

/** "reviews.bookinfo.svc.cluster.local" -> { name: "reviews", namespace: "bookinfo" } (unknown parts = "unknown"). */
export function splitServiceFqdn(fqdn: string): { name: string; namespace: string } {
  const [name = fqdn, namespace = "unknown"] = fqdn.split(".");
  return { name, namespace };
}
