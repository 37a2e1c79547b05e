// I/O: keeps a live copy of what routing depends on — VirtualServices, DestinationRules and
// Gateways (networking.istio.io/v1), HTTPRoutes (gateway.networking.k8s.io/v1), Services, Deployments, Pods — using client-node informers, and
// survives apiserver restarts, a missing kubeconfig (the cluster may not exist yet), missing
// Istio CRDs and a recreated cluster (new kubeconfig) by restarting with backoff.
import fs from "node:fs";
import * as k8s from "@kubernetes/client-node";
import type { DestinationRule, Service, VirtualService } from "@/lib/release/types";
import type { HTTPRouteObject } from "@/lib/release/routing/gateway-api-types";
import type { Gateway, MeshState, PodGroup } from "./router";

type Log = (msg: string) => void;

interface ResourceKind<T extends k8s.KubernetesObject> {
  name: string;
  path: (namespace: string | null) => string;
  list: (kc: k8s.KubeConfig, namespace: string | null) => Promise<k8s.KubernetesListObject<T>>;
}

const ISTIO = { group: "networking.istio.io", version: "v1" } as const;

const GATEWAY_API = { group: "gateway.networking.k8s.io", version: "v1" } as const;

function customKind(gv: { group: string; version: string }, plural: string): ResourceKind<k8s.KubernetesObject> {
  return {
    name: plural,
    path: (ns) =>
      ns ? `/apis/${gv.group}/${gv.version}/namespaces/${ns}/${plural}` : `/apis/${gv.group}/${gv.version}/${plural}`,
    list: async (kc, ns) => {
      const api = kc.makeApiClient(k8s.CustomObjectsApi);
      const res: unknown = ns
        ? await api.listNamespacedCustomObject({ ...gv, namespace: ns, plural })
        : await api.listClusterCustomObject({ ...gv, plural });
      return res as k8s.KubernetesListObject<k8s.KubernetesObject>;
    },
  };
}
const istioKind = (plural: string) => customKind(ISTIO, plural);

const PODS: ResourceKind<k8s.V1Pod> = {
  name: "pods",
  path: (ns) => (ns ? `/api/v1/namespaces/${ns}/pods` : "/api/v1/pods"),
  list: (kc, ns) => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    return ns ? api.listNamespacedPod({ namespace: ns }) : api.listPodForAllNamespaces();
  },
};
const SERVICES: ResourceKind<k8s.V1Service> = {
  name: "services",
  path: (ns) => (ns ? `/api/v1/namespaces/${ns}/services` : "/api/v1/services"),
  list: (kc, ns) => {
    const api = kc.makeApiClient(k8s.CoreV1Api);
    return ns ? api.listNamespacedService({ namespace: ns }) : api.listServiceForAllNamespaces();
  },
};
const DEPLOYMENTS: ResourceKind<k8s.V1Deployment> = {
  name: "deployments",
  path: (ns) => (ns ? `/apis/apps/v1/namespaces/${ns}/deployments` : "/apis/apps/v1/deployments"),
  list: (kc, ns) => {
    const api = kc.makeApiClient(k8s.AppsV1Api);
    return ns ? api.listNamespacedDeployment({ namespace: ns }) : api.listDeploymentForAllNamespaces();
  },
};
const VIRTUAL_SERVICES = istioKind("virtualservices");
const DESTINATION_RULES = istioKind("destinationrules");
const GATEWAYS = istioKind("gateways");
// Optional: a cluster without the Gateway API CRDs routes by Istio's objects alone (its watcher
// keeps retrying and never holds up /healthz).
const HTTP_ROUTES = customKind(GATEWAY_API, "httproutes");

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;

function describeError(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
    const status = typeof e.code === "number" ? e.code : typeof e.statusCode === "number" ? e.statusCode : undefined;
    const msg = typeof e.message === "string" ? e.message.split("\n")[0] : String(err);
    return status !== undefined ? `HTTP ${status}: ${msg}` : (msg ?? String(err));
  }
  return String(err);
}

/**
 * One informer (kind x namespace). After any error it is replaced by a fresh one (full list,
 * then watch) with capped backoff: resuming a watch from an old resourceVersion can hang on a
 * cluster recreated from empty etcd ("too large resource version"), a relist cannot.
 */
class WatchedResource<T extends k8s.KubernetesObject> {
  private informer: (k8s.Informer<T> & k8s.ObjectCache<T>) | null = null;
  /** The current informer has listed: its cache is the truth. */
  private live = false;
  /** Last known objects while reconnecting: routing keeps using them, as Envoy keeps its last config. */
  private stale: readonly T[] = [];
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  synced = false;
  lastError: string | null = null;

  constructor(
    private readonly kind: ResourceKind<T>,
    private readonly namespace: string | null,
    private readonly kc: k8s.KubeConfig,
    private readonly onChange: () => void,
    private readonly log: Log,
  ) {}

  get label(): string {
    return this.namespace ? `${this.kind.name}@${this.namespace}` : this.kind.name;
  }

  start(): void {
    if (this.stopped) return;
    const informer = k8s.makeInformer<T>(this.kc, this.kind.path(this.namespace), async () => {
      const list = await this.kind.list(this.kc, this.namespace);
      if (this.informer === informer) {
        // The informer fills its cache from this list synchronously after we return, before
        // any timer (the next tick) can read it.
        this.live = true;
        this.synced = true;
        this.healthy();
        this.onChange();
      }
      return list;
    });
    const changed = () => {
      if (this.informer !== informer) return;
      this.healthy();
      this.onChange();
    };
    informer.on(k8s.ADD, changed);
    informer.on(k8s.UPDATE, changed);
    informer.on(k8s.DELETE, changed);
    informer.on(k8s.ERROR, (err) => {
      if (this.informer === informer) this.failed(err);
    });
    this.informer = informer;
    this.live = false;
    informer.start().catch((err: unknown) => {
      if (this.informer === informer) this.failed(err);
    });
  }

  private healthy(): void {
    if (this.lastError !== null) this.log(`${this.label}: watching again`);
    this.failures = 0;
    this.lastError = null;
  }

  private failed(err: unknown): void {
    if (this.stopped || this.retryTimer) return;
    this.stale = this.items();
    const old = this.informer;
    this.informer = null;
    this.live = false;
    void old?.stop();
    const msg = describeError(err);
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures) * (0.8 + Math.random() * 0.4);
    this.failures++;
    if (msg !== this.lastError) this.log(`${this.label}: ${msg}; retrying (backoff up to ${BACKOFF_MAX_MS / 1000}s)`);
    this.lastError = msg;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start();
    }, delay);
  }

  items(): readonly T[] {
    return this.live && this.informer ? this.informer.list() : this.stale;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const old = this.informer;
    this.informer = null;
    void old?.stop();
  }
}

// ---------------------------------------------------------------- pods -> groups

function isReady(pod: k8s.V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (pod.status?.phase !== "Running") return false;
  return (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/**
 * destination_workload, as Istio derives it: a ReplicaSet owner minus its pod-template-hash is
 * the Deployment; otherwise the Deployment whose selector picks the pod; otherwise the owner or
 * the pod itself.
 */
export function workloadOf(pod: k8s.V1Pod, deployments: readonly k8s.V1Deployment[]): string {
  const labels = pod.metadata?.labels ?? {};
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const hash = labels["pod-template-hash"];
  if (owner?.kind === "ReplicaSet" && hash && owner.name.endsWith(`-${hash}`))
    return owner.name.slice(0, -(hash.length + 1));
  const ns = pod.metadata?.namespace;
  const dep = deployments.find((d) => {
    if (d.metadata?.namespace !== ns) return false;
    const sel = d.spec?.selector.matchLabels;
    return !!sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
  });
  if (dep?.metadata?.name) return dep.metadata.name;
  return owner?.name ?? pod.metadata?.name ?? "unknown";
}

export function groupPods(pods: readonly k8s.V1Pod[], deployments: readonly k8s.V1Deployment[]): PodGroup[] {
  const groups = new Map<string, PodGroup>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") continue;
    const namespace = pod.metadata?.namespace ?? "default";
    const labels = pod.metadata?.labels ?? {};
    const workload = workloadOf(pod, deployments);
    const serviceAccount = pod.spec?.serviceAccountName || "default";
    const key = `${namespace}\u0000${workload}\u0000${serviceAccount}\u0000${Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}`;
    let g = groups.get(key);
    if (!g) {
      g = { namespace, workload, labels, serviceAccount, ready: 0, total: 0 };
      groups.set(key, g);
    }
    g.total++;
    if (isReady(pod)) g.ready++;
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------- the watcher

export interface ClusterWatcherOptions {
  kubeconfigPath: string;
  /** null = all namespaces. */
  namespaces: string[] | null;
  log: Log;
  onChange: () => void;
}

export interface ClusterStatus {
  kubeconfig: string;
  kubeconfigPresent: boolean;
  synced: boolean;
  resources: { resource: string; synced: boolean; error: string | null }[];
}

export class ClusterWatcher {
  private resources: {
    pods: WatchedResource<k8s.V1Pod>[];
    services: WatchedResource<k8s.V1Service>[];
    deployments: WatchedResource<k8s.V1Deployment>[];
    virtualServices: WatchedResource<k8s.KubernetesObject>[];
    destinationRules: WatchedResource<k8s.KubernetesObject>[];
    gateways: WatchedResource<k8s.KubernetesObject>[];
  } | null = null;
  private optional: { httpRoutes: WatchedResource<k8s.KubernetesObject>[] } | null = null;
  /** undefined = never looked; null = file absent. */
  private kubeconfigStamp: string | null | undefined = undefined;
  private pollTimer: NodeJS.Timeout | null = null;
  private waitingLogged = false;

  constructor(private readonly opts: ClusterWatcherOptions) {}

  start(): void {
    this.poll();
    // The kubeconfig appears when the cluster first comes up and is rewritten when it is
    // recreated (new CA, new port): follow it.
    this.pollTimer = setInterval(() => this.poll(), 3_000);
  }

  private stamp(): string | null {
    try {
      const st = fs.statSync(this.opts.kubeconfigPath);
      return `${st.mtimeMs}:${st.size}`;
    } catch {
      return null;
    }
  }

  private poll(): void {
    const stamp = this.stamp();
    if (stamp === this.kubeconfigStamp) return;
    this.stopResources();
    this.kubeconfigStamp = stamp;
    if (stamp === null) {
      if (!this.waitingLogged) this.opts.log(`waiting for ${this.opts.kubeconfigPath} (cluster not up yet)`);
      this.waitingLogged = true;
      this.opts.onChange();
      return;
    }
    const kc = new k8s.KubeConfig();
    try {
      kc.loadFromFile(this.opts.kubeconfigPath);
    } catch (err) {
      this.opts.log(`cannot load ${this.opts.kubeconfigPath}: ${describeError(err)}; will retry when it changes`);
      return;
    }
    this.opts.log(
      `watching cluster ${kc.getCurrentCluster()?.server ?? "?"} (${this.opts.namespaces ? `namespaces ${this.opts.namespaces.join(",")}` : "all namespaces"})`,
    );
    const scopes: (string | null)[] = this.opts.namespaces ?? [null];
    const make = <T extends k8s.KubernetesObject>(kind: ResourceKind<T>) =>
      scopes.map((ns) => new WatchedResource<T>(kind, ns, kc, this.opts.onChange, this.opts.log));
    this.resources = {
      pods: make(PODS),
      services: make(SERVICES),
      deployments: make(DEPLOYMENTS),
      virtualServices: make(VIRTUAL_SERVICES),
      destinationRules: make(DESTINATION_RULES),
      gateways: make(GATEWAYS),
    };
    this.optional = { httpRoutes: make(HTTP_ROUTES) };
    for (const list of [...Object.values(this.resources), ...Object.values(this.optional)])
      for (const r of list as WatchedResource<k8s.KubernetesObject>[]) r.start();
  }

  private stopResources(): void {
    if (!this.resources) return;
    for (const list of [...Object.values(this.resources), ...Object.values(this.optional ?? {})])
      for (const r of list as WatchedResource<k8s.KubernetesObject>[]) r.stop();
    this.resources = null;
    this.optional = null;
  }

  stop(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.stopResources();
  }

  snapshot(): MeshState {
    const r = this.resources;
    if (!r) return { virtualServices: [], destinationRules: [], services: [], pods: [], gateways: [] };
    const all = <T extends k8s.KubernetesObject>(list: WatchedResource<T>[]): T[] =>
      list.flatMap((w) => [...w.items()]);
    const deployments = all(r.deployments);
    return {
      // The API server hands back plain JSON; the shared types describe exactly that shape.
      virtualServices: all(r.virtualServices) as unknown as VirtualService[],
      destinationRules: all(r.destinationRules) as unknown as DestinationRule[],
      gateways: all(r.gateways) as unknown as Gateway[],
      httpRoutes: all(this.optional?.httpRoutes ?? []) as unknown as HTTPRouteObject[],
      services: all(r.services) as unknown as Service[],
      pods: groupPods(all(r.pods), deployments),
    };
  }

  /** Every resource has listed at least once since the kubeconfig was (re)loaded. */
  isSynced(): boolean {
    const r = this.resources;
    if (!r) return false;
    return Object.values(r).every((list: WatchedResource<k8s.KubernetesObject>[]) => list.every((w) => w.synced));
  }

  status(): ClusterStatus {
    const resources = this.resources
      ? Object.values(this.resources).flatMap((list: WatchedResource<k8s.KubernetesObject>[]) =>
          list.map((w) => ({ resource: w.label, synced: w.synced, error: w.lastError })),
        )
      : [];
    return {
      kubeconfig: this.opts.kubeconfigPath,
      kubeconfigPresent: typeof this.kubeconfigStamp === "string",
      synced: resources.length > 0 && resources.every((x) => x.synced),
      resources,
    };
  }
}
