import "server-only";
import { createHash } from "node:crypto";
import https from "node:https";
import * as k8s from "@kubernetes/client-node";

type RequestContext = Parameters<k8s.KubeConfig["applySecurityAuthentication"]>[0];

/**
 * client-node 1.x builds a new https.Agent for every request, so every call pays a fresh TCP
 * and TLS handshake (with the API server's CPU too). This keeps one keep-alive agent per set
 * of TLS credentials; auth headers (tokens) are still set per request by client-node.
 */
export class KeepAliveKubeConfig extends k8s.KubeConfig {
  private readonly agents = new Map<string, https.Agent>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const agent = context.getAgent();
    // Proxy agents (and plain http) are left exactly as client-node made them.
    if (!agent || agent.constructor !== https.Agent) return;
    const o = (agent as https.Agent).options;
    const key = createHash("sha256").update(JSON.stringify([o.ca, o.cert, o.key, o.pfx, o.passphrase, o.rejectUnauthorized, o.servername])).digest("hex");
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
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  custom: k8s.CustomObjectsApi;
  version: k8s.VersionApi;
  apiext: k8s.ApiextensionsV1Api;
  autoscaling: k8s.AutoscalingV2Api;
  coordination: k8s.CoordinationV1Api;
}

export function makeClients(kc: k8s.KubeConfig): K8sClients {
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    version: kc.makeApiClient(k8s.VersionApi),
    apiext: kc.makeApiClient(k8s.ApiextensionsV1Api),
    autoscaling: kc.makeApiClient(k8s.AutoscalingV2Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
  };
}

const g = globalThis as unknown as { __grayConsoleK8s?: K8sClients };

/** One set of clients per process, built lazily so a missing kubeconfig is reported per request, not at import. */
export function clients(): K8sClients {
  g.__grayConsoleK8s ??= makeClients(loadKubeConfig());
  return g.__grayConsoleK8s;
}
