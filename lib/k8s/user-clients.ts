import "server-only";
import { createHash } from "node:crypto";
import fetch, { Headers } from "node-fetch";
import * as k8s from "@kubernetes/client-node";
import { consoleClients, KeepAliveKubeConfig, makeClients, type K8sClients } from "./client";

// Kubernetes clients that act as a signed-in user, so the apiserver's RBAC (and its audit
// log) sees that user, not the console:
//   - with the user's own bearer token (GC_AUTH=token), or
//   - as the console's ServiceAccount impersonating the user and groups (GC_AUTH=oidc|proxy;
//     https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation).
// Built once per user and kept briefly: the pooled TLS connections are shared by all of them.

export type Acting = { token: string } | { impersonate: { user: string; groups: string[] } };

const MAX_CACHED = 256;
const cache = new Map<string, K8sClients>();

function cacheKey(acting: Acting): string {
  const raw =
    "token" in acting ? `t:${acting.token}` : `i:${acting.impersonate.user}\n${acting.impersonate.groups.join("\n")}`;
  // Hashed: the cache never holds a token as a key a heap dump would show in a Map listing.
  return createHash("sha256").update(raw).digest("base64url");
}

/** A KubeConfig that reaches the console's cluster (same server and CA) with a different bearer token and no client certificate. */
function tokenKubeConfig(base: k8s.KubeConfig, token: string): k8s.KubeConfig {
  const cluster = base.getCurrentCluster();
  if (!cluster) throw new Error("No active cluster!");
  const kc = new KeepAliveKubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "user", token }],
    contexts: [{ name: "user", cluster: cluster.name, user: "user" }],
    currentContext: "user",
  });
  return kc;
}

/**
 * client-node's transport (node-fetch, as its IsomorphicFetchHttpLibrary) plus the
 * impersonation headers. Impersonate-Group is sent once per group: the apiserver reads each
 * header line as one group, so a comma-joined value would be a single group with commas.
 */
class ImpersonatingHttpLibrary implements k8s.PromiseHttpLibrary {
  constructor(
    private readonly user: string,
    private readonly groups: string[],
  ) {}

  async send(request: k8s.RequestContext): Promise<k8s.ResponseContext> {
    const headers = new Headers(request.getHeaders());
    headers.delete("impersonate-user");
    headers.delete("impersonate-group");
    headers.set("Impersonate-User", this.user);
    for (const group of this.groups) headers.append("Impersonate-Group", group);
    const resp = await fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      body: request.getBody() as never,
      headers,
      signal: request.getSignal() as never,
      agent: request.getAgent(),
    });
    const out: Record<string, string> = {};
    resp.headers.forEach((value, name) => {
      out[name] = value;
    });
    return new k8s.ResponseContext(resp.status, out, { text: () => resp.text(), binary: () => resp.buffer() });
  }
}

export function clientsActingAs(acting: Acting): K8sClients {
  const key = cacheKey(acting);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const base = consoleClients().kc;
  const made =
    "token" in acting
      ? makeClients(tokenKubeConfig(base, acting.token))
      : makeClients(
          base,
          k8s.wrapHttpLibrary(new ImpersonatingHttpLibrary(acting.impersonate.user, acting.impersonate.groups)),
        );
  cache.set(key, made);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return made;
}
