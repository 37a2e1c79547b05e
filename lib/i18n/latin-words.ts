// Finds English words in text meant for a Chinese reader. Names (namespaces, services, versions,
// images...), identifiers, numbers with units and a short list of product and protocol words
// may stay in Latin letters; any other Latin word is an untranslated word. PURE: used by the
// catalog test (every zh-CN message) and by the zh-CN browser walk (every page and dialog).

/** Words a Chinese reader sees as they are, each with the reason. Keys are lowercase. */
export const ALLOWED_WORDS: Readonly<Record<string, string>> = {
  kubernetes: "product",
  istio: "product",
  prometheus: "product",
  envoy: "product (Istio's proxy; its response flags are named after it)",
  kwok: "product (the fake-node simulator)",
  bookinfo: "product (Istio's sample application)",
  "gray-console": "this product's name",
  kubectl: "command name",
  openid: "protocol name (OpenID Connect)",
  connect: "protocol name (OpenID Connect)",
  promql: "query language name",
  sqlite: "database product",
  postgresql: "database product",
  localhost: "host name",
  virtualservice: "Istio kind",
  http: "Istio field name (a VirtualService's http[i] routes)",
  destinationrule: "Istio kind",
  gateway: "Istio kind",
  httproute: "Gateway API kind",
  api: "product word (the Gateway API)",
  deployment: "Kubernetes kind",
  pod: "Kubernetes kind",
  secret: "Kubernetes kind",
  configmap: "Kubernetes kind",
  horizontalpodautoscaler: "Kubernetes kind",
  webhook: "notification target type (an HTTP callback), as Chinese chat platforms name it",
  slack: "chat product name (a notification target; it has no Chinese name)",
  cookie: "HTTP term (the header and what browsers call it)",
  "content-type": "HTTP header name",
  "sec-fetch-site": "HTTP header name",
  "x-csrf-token": "HTTP header name",
  "user-agent": "HTTP header name (the OS and browser presets match it)",
  authorization: "HTTP header name",
  bearer: "HTTP authorization scheme (Authorization: Bearer)",
  "end-user": "Bookinfo's sample header name (placeholder example)",
  jason: "Bookinfo's sample user (placeholder example)",
  productpage: "Bookinfo's front service, named in the header-propagation hint",
  windows: "OS name (match preset)",
  macos: "OS name (match preset)",
  linux: "OS name (match preset)",
  android: "OS name (match preset)",
  ios: "OS name (match preset)",
  chrome: "browser name (match preset)",
  firefox: "browser name (match preset)",
  safari: "browser name (match preset)",
  edge: "browser name (match preset)",
  "success-rate": "analysis metric name (as the task spec writes it)",
  query: "analysis spec field name (as the task spec writes it)",
  min: "analysis spec field name (as the task spec writes it)",
  max: "analysis spec field name (as the task spec writes it)",
  compare: "analysis spec field name (as the task spec writes it)",
  base: 'analysis spec value (compare: "base")',
  tolerance: "analysis spec field name (as the task spec writes it)",
  ms: "unit",
  rps: "unit",
  kb: "unit",
};

/** A Latin-letter token: letters, digits and the punctuation that joins names and identifiers ("/api", "--duration=8h", "app=reviews"). */
const TOKEN = /[A-Za-z0-9/.-][A-Za-z0-9._:/@=+\-[\]<>]*[A-Za-z0-9\]>=]|[A-Za-z]/g;

/**
 * Allowed whatever the lists say: one letter (units, A/B), anything with a digit (versions,
 * images, 5xx, 128Mi), identifier punctuation (paths, hosts, images, label selectors),
 * camelCase (field names, macOS) and short all-caps acronyms (URI, CPU, YAML, HPA).
 */
function isIdentifier(token: string): boolean {
  return (
    token.length === 1 ||
    /\d/.test(token) ||
    /[._:/@=[\]<>]/.test(token) ||
    /[a-z][A-Z]/.test(token) ||
    /^[A-Z]{2,6}s?$/.test(token)
  );
}

/** A value quoted with ASCII double quotes (`"jason"`, a regex): a literal the user typed or the data holds. */
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * The Latin words of `text` that are neither identifiers nor in `names` / ALLOWED_WORDS
 * (lowercase). ASCII-quoted values are literals, not words (Chinese text quotes with “ ”).
 */
export function untranslatedWords(text: string, names: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  for (const m of text.replace(QUOTED, " ").matchAll(TOKEN)) {
    const token = m[0];
    if (!/[A-Za-z]/.test(token) || isIdentifier(token)) continue;
    const lower = token.toLowerCase();
    if (lower in ALLOWED_WORDS || names.has(lower)) continue;
    out.push(token);
  }
  return out;
}
