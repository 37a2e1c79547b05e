import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import https from "node:https";
import * as k8s from "@kubernetes/client-node";

type RequestContext = Parameters<k8s.KubeConfig["applySecurityAuthentication"]>[0];

/**
 * client-node 1.x builds a new https.Agent for every request, so every call pays a fresh TCP
 * and TLS handshake (with the API server's CPU too). This keeps one keep-alive agent per set
 * of TLS credentials; auth headers (tokens) are still set per request by client-node.
 */
const agents = new Map<string, https.Agent>();

export class KeepAliveKubeConfig extends k8s.KubeConfig {
  // Shared by every KubeConfig of the process (the console's and each signed-in user's):
  // the pool is per TLS identity of the connection, never per bearer token.
  private readonly agents = agents;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = context.getAgent();
    // Proxy agents (and plain http) are left exactly as client-node made them.
    if (!agent || agent.constructor !== https.Agent) return;
    const o = (agent as https.Agent).options;
    const key = createHash("sha256")
      .update(JSON.stringify([o.ca, o.cert, o.key, o.pfx, o.passphrase, o.rejectUnauthorized, o.servername]))
      .digest("hex");
    let pooled = this.agents.get(key);
    if (!pooled) {
      pooled = new https.Agent({ ...o, keepAlive: true, maxSockets: 32 });
      this.agents.set(key, pooled);
    }
    context.setAgent(pooled);
  }
}

// KUBECONFIG (or ~/.kube/config), else the in-cluster service account: client-node's
// loadFromDefault already implements exactly that order.
export function loadKubeConfig(): k8s.KubeConfig {
  const kc = new KeepAliveKubeConfig();
  kc.loadFromDefault();
  if (!kc.getCurrentCluster()) {
    throw new Error("No Kubernetes cluster configured: set KUBECONFIG, create ~/.kube/config, or run in-cluster");
  }
  return kc;
}

export interface K8sClients {
  kc: k8s.KubeConfig;
  authn: k8s.AuthenticationV1Api;
  authz: k8s.AuthorizationV1Api;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  custom: k8s.CustomObjectsApi;
  version: k8s.VersionApi;
  apiext: k8s.ApiextensionsV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  coordination: k8s.CoordinationV1Api;
}

type ApiType<T> = new (config: k8s.Configuration) => T;

/** client-node's makeApiClient, with an optional transport (impersonation adds headers there). */
function apiClient<T extends k8s.ApiType>(kc: k8s.KubeConfig, api: ApiType<T>, httpApi?: k8s.HttpLibrary): T {
  if (!httpApi) return kc.makeApiClient(api);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("No active cluster!");
  return new api(
    k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      httpApi,
    }),
  );
}

export function makeClients(kc: k8s.KubeConfig, httpApi?: k8s.HttpLibrary): K8sClients {
  return {
    kc,
    authn: apiClient(kc, k8s.AuthenticationV1Api, httpApi),
    authz: apiClient(kc, k8s.AuthorizationV1Api, httpApi),
    core: apiClient(kc, k8s.CoreV1Api, httpApi),
    apps: apiClient(kc, k8s.AppsV1Api, httpApi),
    custom: apiClient(kc, k8s.CustomObjectsApi, httpApi),
    version: apiClient(kc, k8s.VersionApi, httpApi),
    apiext: apiClient(kc, k8s.ApiextensionsV1Api, httpApi),
    autoscaling: apiClient(kc, k8s.AutoscalingV2Api, httpApi),
    coordination: apiClient(kc, k8s.CoordinationV1Api, httpApi),
  };
}

const g = globalThis as unknown as {
  __grayConsoleK8s?: K8sClients;
  __grayConsoleRequestClients?: AsyncLocalStorage<K8sClients>;
};
// One store per process even when Next bundles this module into several chunks.
g.__grayConsoleRequestClients ??= new AsyncLocalStorage<K8sClients>();
const requestClients = g.__grayConsoleRequestClients;

/**
 * The console's own clients (its ServiceAccount or kubeconfig): background work (the
 * reconciler, leader election, health) and TokenReviews. Built lazily so a missing kubeconfig
 * is reported per request, not at import.
 */
export function consoleClients(): K8sClients {
  g.__grayConsoleK8s ??= makeClients(loadKubeConfig());
  return g.__grayConsoleK8s;
}

/** The clients of whoever this request acts for (the signed-in user), else the console's own. */
export function clients(): K8sClients {
  return requestClients.getStore() ?? consoleClients();
}

/** Runs a request's work with the user's clients: every clients() call inside acts as that user. */
export function withClients<T>(c: K8sClients, fn: () => Promise<T>): Promise<T> {
  return requestClients.run(c, fn);
}

/** Runs fn with no request's clients, e.g. background work a request happened to start. */
export function asConsole<T>(fn: () => T): T {
  return requestClients.exit(fn);
}
