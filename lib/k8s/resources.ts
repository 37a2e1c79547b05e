import "server-only";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { K8sObject } from "@/lib/release/types";
import type { K8sClients } from "./client";
import { K8sError, toK8sError } from "./errors";
import { env } from "@/lib/env";

// Plain-JSON CRUD for the kinds the console writes. client-node returns model classes
// (Dates for timestamps); the planner works on the JSON the API server sends, so every
// result is normalised with a JSON round-trip.
export const ISTIO_GROUP = "networking.istio.io";
export const ISTIO_VERSION = "v1";
export type ManagedKind = "Deployment" | "Service" | "VirtualService" | "DestinationRule";

const ISTIO_PLURAL: Record<string, string> = { VirtualService: "virtualservices", DestinationRule: "destinationrules" };

export function plain<T>(v: unknown): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Bounds every call: a black-holed API server must give a 503, not a hung request. */
export async function call<T>(what: string, fn: () => Promise<T>, timeoutMs = env().GC_K8S_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new K8sError("unreachable", `${what}: Kubernetes API server did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw toK8sError(err, what);
  } finally {
    clearTimeout(timer);
  }
}

function ref(obj: K8sObject): { kind: string; namespace: string; name: string } {
  const namespace = obj.metadata.namespace;
  if (!namespace) throw new Error(`${obj.kind}/${obj.metadata.name} has no namespace`);
  return { kind: obj.kind, namespace, name: obj.metadata.name };
}

export async function readObject(c: K8sClients, kind: ManagedKind, namespace: string, name: string): Promise<K8sObject | null> {
  try {
    return await call(`read ${kind} ${namespace}/${name}`, async () => {
      switch (kind) {
        case "Deployment": return { ...plain<K8sObject>(await c.apps.readNamespacedDeployment({ namespace, name })), apiVersion: "apps/v1", kind };
        case "Service": return { ...plain<K8sObject>(await c.core.readNamespacedService({ namespace, name })), apiVersion: "v1", kind };
        default: return plain<K8sObject>(await c.custom.getNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: ISTIO_PLURAL[kind]!, name }));
      }
    });
  } catch (err) {
    if (err instanceof K8sError && err.kind === "not_found") return null;
    throw err;
  }
}

export async function createObject(c: K8sClients, obj: K8sObject): Promise<K8sObject> {
  const { kind, namespace, name } = ref(obj);
  return call(`create ${kind} ${namespace}/${name}`, async () => {
    switch (kind) {
      case "Deployment": return plain<K8sObject>(await c.apps.createNamespacedDeployment({ namespace, body: obj as never }));
      case "Service": return plain<K8sObject>(await c.core.createNamespacedService({ namespace, body: obj as never }));
      default: return plain<K8sObject>(await c.custom.createNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: plural(kind), body: obj }));
    }
  });
}

/** PUT with metadata.resourceVersion set: the API server answers 409 if anyone wrote in between. */
export async function replaceObject(c: K8sClients, obj: K8sObject): Promise<K8sObject> {
  const { kind, namespace, name } = ref(obj);
  if (!obj.metadata.resourceVersion) throw new Error(`replace ${kind}/${name} without a resourceVersion precondition`);
  return call(`replace ${kind} ${namespace}/${name}`, async () => {
    switch (kind) {
      case "Deployment": return plain<K8sObject>(await c.apps.replaceNamespacedDeployment({ namespace, name, body: obj as never }));
      case "Service": return plain<K8sObject>(await c.core.replaceNamespacedService({ namespace, name, body: obj as never }));
      default: return plain<K8sObject>(await c.custom.replaceNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: plural(kind), name, body: obj }));
    }
  });
}

/** Deletes with a resourceVersion precondition when given (someone else's edit -> 409, not a silent delete). */
export async function deleteObject(c: K8sClients, obj: K8sObject, opts: { resourceVersion?: string } = {}): Promise<void> {
  const { kind, namespace, name } = ref(obj);
  const body = { propagationPolicy: "Background", ...(opts.resourceVersion ? { preconditions: { resourceVersion: opts.resourceVersion } } : {}) };
  await call(`delete ${kind} ${namespace}/${name}`, async () => {
    switch (kind) {
      case "Deployment": await c.apps.deleteNamespacedDeployment({ namespace, name, body }); return;
      case "Service": await c.core.deleteNamespacedService({ namespace, name, body }); return;
      default: await c.custom.deleteNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural: plural(kind), name, body }); return;
    }
  });
}

/** Replica changes are merge patches of spec.replicas only: the Deployment's status moves its
 *  resourceVersion constantly, so a PUT would conflict with the controller, not with a person. */
export async function patchReplicas(c: K8sClients, namespace: string, name: string, replicas: number): Promise<K8sObject> {
  return call(`scale Deployment ${namespace}/${name}`, async () =>
    plain<K8sObject>(
      await c.apps.patchNamespacedDeployment({ namespace, name, body: { spec: { replicas } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch)),
    ),
  );
}

function plural(kind: string): string {
  const p = ISTIO_PLURAL[kind];
  if (!p) throw new Error(`unsupported kind ${kind}`);
  return p;
}
