import "server-only";
import type { K8sClients } from "@/lib/k8s/client";
import { call, plain } from "@/lib/k8s/resources";
import type { ClusterResponse, NamespacesResponse, NodeSummary } from "./views";
import { consoleClients } from "@/lib/k8s/client";
import { K8sError } from "@/lib/k8s/errors";
import { readableNamespaces } from "@/lib/auth/access";
import type { Identity } from "@/lib/auth/identity";

interface RawNode {
  metadata: { name: string; annotations?: Record<string, string>; creationTimestamp?: string };
  status?: { conditions?: { type: string; status: string }[]; allocatable?: Record<string, string> };
}

export async function clusterVersion(c: K8sClients, timeoutMs?: number): Promise<string> {
  const info = await call("read version", (o) => c.version.getCode(o), timeoutMs);
  return info.gitVersion;
}

/** A list the user may not make (RBAC) reads as null; every other failure is an error. */
function deniedAsNull<T>(p: Promise<T>): Promise<T | null> {
  return p.catch((err: unknown) => {
    if (err instanceof K8sError && err.kind === "denied") return null;
    throw err;
  });
}

export async function clusterOverview(c: K8sClients, reader: Identity): Promise<ClusterResponse> {
  const [version, nodes, namespaces] = await Promise.all([
    clusterVersion(c),
    deniedAsNull(call("list Nodes", (o) => c.core.listNode({}, o))),
    visibleNamespaceList(c, reader),
  ]);
  const items = nodes ? plain<{ items: RawNode[] }>(nodes).items : [];
  const summaries: NodeSummary[] = items.map((n) => ({
    name: n.metadata.name,
    ready: (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    fake: n.metadata.annotations?.["kwok.x-k8s.io/node"] === "fake",
    cpu: n.status?.allocatable?.cpu ?? null,
    memory: n.status?.allocatable?.memory ?? null,
    pods: n.status?.allocatable?.pods ?? null,
    createdAt: n.metadata.creationTimestamp ?? null,
  }));
  return {
    version,
    nodes: summaries,
    namespaces: namespaces.namespaces.length,
    ...(nodes ? {} : { nodesHidden: true }),
  };
}

type RawNamespace = {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
  status?: { phase?: string };
};

/**
 * The namespaces the user may see: all of them when RBAC lets the user list namespaces;
 * otherwise (a team bound to its own namespaces, as most are) the console lists them and
 * keeps those the apiserver says the user may read (Kiali and Headlamp do the same).
 */
export async function visibleNamespaceList(c: K8sClients, reader: Identity): Promise<NamespacesResponse> {
  const own = await deniedAsNull(call("list Namespaces", (o) => c.core.listNamespace({}, o)));
  if (own) return namespacesResponse(plain<{ items: RawNamespace[] }>(own).items);
  const all = plain<{ items: RawNamespace[] }>(
    await call("list Namespaces", (o) => consoleClients().core.listNamespace({}, o)),
  ).items;
  const readable = await readableNamespaces(
    reader,
    all.map((n) => n.metadata.name),
  );
  return namespacesResponse(all.filter((n) => readable.has(n.metadata.name)));
}

function namespacesResponse(items: RawNamespace[]): NamespacesResponse {
  return {
    namespaces: items
      .map((n) => ({
        name: n.metadata.name,
        phase: n.status?.phase ?? "Unknown",
        createdAt: n.metadata.creationTimestamp ?? null,
        labels: n.metadata.labels ?? {},
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
