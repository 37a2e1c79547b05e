import "server-only";
import * as k8s from "@kubernetes/client-node";

// KUBECONFIG (or ~/.kube/config), else the in-cluster service account: client-node's
// loadFromDefault already implements exactly that order.
export function loadKubeConfig(): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
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
}

export function makeClients(kc: k8s.KubeConfig): K8sClients {
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    version: kc.makeApiClient(k8s.VersionApi),
    apiext: kc.makeApiClient(k8s.ApiextensionsV1Api),
  };
}

const g = globalThis as unknown as { __grayConsoleK8s?: K8sClients };

/** One set of clients per process, built lazily so a missing kubeconfig is reported per request, not at import. */
export function clients(): K8sClients {
  g.__grayConsoleK8s ??= makeClients(loadKubeConfig());
  return g.__grayConsoleK8s;
}
