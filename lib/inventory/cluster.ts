import "server-only";
import type { K8sClients } from "@/lib/k8s/client";
import { call, plain } from "@/lib/k8s/resources";
import type { ClusterResponse, NamespacesResponse, NodeSummary } from "@/lib/api/contracts";

interface RawNode {
  metadata: { name: string; annotations?: Record<string, string>; creationTimestamp?: string };
  status?: { conditions?: { type: string; status: string }[]; allocatable?: Record<string, string> };
}

export async function clusterVersion(c: K8sClients, timeoutMs?: number): Promise<string> {
  const info = await call("read version", (o) => c.version.getCode(o), timeoutMs);
  return info.gitVersion;
}

export async function clusterOverview(c: K8sClients): Promise<ClusterResponse> {
  const [version, nodes, namespaces] = await Promise.all([
    clusterVersion(c),
    call("list Nodes", (o) => c.core.listNode({}, o)),
    call("list Namespaces", (o) => c.core.listNamespace({}, o)),
  ]);
  const items = plain<{ items: RawNode[] }>(nodes).items;
  const summaries: NodeSummary[] = items.map((n) => ({
    name: n.metadata.name,
    ready: (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    fake: n.metadata.annotations?.["kwok.x-k8s.io/node"] === "fake",
    cpu: n.status?.allocatable?.cpu ?? null,
    memory: n.status?.allocatable?.memory ?? null,
    pods: n.status?.allocatable?.pods ?? null,
    createdAt: n.metadata.creationTimestamp ?? null,
  }));
  return { version, nodes: summaries, namespaces: plain<{ items: unknown[] }>(namespaces).items.length };
}

export async function listNamespaces(c: K8sClients): Promise<NamespacesResponse> {
  const res = plain<{ items: { metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> }; status?: { phase?: string } }[] }>(
    await call("list Namespaces", (o) => c.core.listNamespace({}, o)),
  );
  return {
    namespaces: res.items
      .map((n) => ({ name: n.metadata.name, phase: n.status?.phase ?? "Unknown", createdAt: n.metadata.creationTimestamp ?? null, labels: n.metadata.labels ?? {} }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
