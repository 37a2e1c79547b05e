import "server-only";
import {
  PatchStrategy,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import type { K8sObject } from "@/lib/release/types";
import type { K8sClients } from "./client";
import { K8sError, toK8sError } from "./errors";
import { env } from "@/lib/env";

// Plain-JSON CRUD for the kinds the console writes, one entry per kind (Headlamp's kind
// registry). client-node returns model classes (Dates for timestamps); the planner works on
// the JSON the API server sends, so every result is normalised with a JSON round-trip.
export const ISTIO_GROUP = "networking.istio.io";
export const ISTIO_VERSION = "v1";
export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_VERSION = "v1";
export type ManagedKind =
  | "Deployment"
  | "Service"
  | "VirtualService"
  | "DestinationRule"
  | "HorizontalPodAutoscaler"
  | "HTTPRoute";

export function plain<T>(v: unknown): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * client-node runs per-call middleware either on its internal Observable stub (hooks must return
 * something with toPromise(), as its own setHeaderOptions builds with `of`) or, wrapped, as
 * promises; a resolved promise that also has toPromise() serves both paths.
 */
function middleware(pre: (ctx: RequestContext) => void) {
  const of = <T>(v: T) => Object.assign(Promise.resolve(v), { toPromise: () => Promise.resolve(v) });
  return {
    pre: (ctx: RequestContext) => {
      pre(ctx);
      return of(ctx);
    },
    post: (res: ResponseContext) => of(res),
  };
}

/** Per-call options that make client-node hand `signal` to fetch, so a timeout really cancels the request. */
export function withSignal(signal: AbortSignal, extra?: ConfigurationOptions): ConfigurationOptions {
  const withAbort = middleware((ctx) => ctx.setSignal(signal));
  const existing = (extra?.middleware ?? []) as unknown[];
  return {
    ...extra,
    middleware: [...existing, withAbort] as never,
    middlewareMergeStrategy: "append",
  } as ConfigurationOptions;
}

/**
 * Bounds every call and cancels it on timeout (AbortController): a black-holed API server gives
 * a 503, not a hung request, and a timed-out request does not linger. A timed-out WRITE may still
 * have landed: its K8sError kind is "timeout" so the reconciler reads the object back before undoing.
 */
export async function call<T>(
  what: string,
  fn: (opts: ConfigurationOptions) => Promise<T>,
  timeoutMs = env().GC_K8S_TIMEOUT_MS,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await fn(withSignal(controller.signal));
  } catch (err) {
    if (controller.signal.aborted)
      throw new K8sError("timeout", `${what}: Kubernetes API server did not answer within ${timeoutMs} ms`);
    throw toK8sError(err, what);
  } finally {
    clearTimeout(timer);
  }
}

export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

export function refOf(obj: K8sObject): ObjectRef {
  const namespace = obj.metadata.namespace;
  if (!namespace) throw new Error(`${obj.kind}/${obj.metadata.name} has no namespace`);
  return { kind: obj.kind, namespace, name: obj.metadata.name };
}

export interface DeleteBody {
  propagationPolicy: "Background";
  preconditions: { uid?: string; resourceVersion?: string };
}

/** How to talk to the API server about one kind. */
interface KindClient {
  apiVersion: string;
  read(c: K8sClients, ns: string, name: string, o: ConfigurationOptions): Promise<unknown>;
  create(c: K8sClients, ns: string, body: K8sObject, o: ConfigurationOptions): Promise<unknown>;
  replace(c: K8sClients, ns: string, name: string, body: K8sObject, o: ConfigurationOptions): Promise<unknown>;
  remove(c: K8sClients, ns: string, name: string, body: DeleteBody, o: ConfigurationOptions): Promise<unknown>;
}

function customKind(group: string, version: string, plural: string): KindClient {
  const base = { group, version, plural };
  return {
    apiVersion: `${group}/${version}`,
    read: (c, namespace, name, o) => c.custom.getNamespacedCustomObject({ ...base, namespace, name }, o),
    create: (c, namespace, body, o) => c.custom.createNamespacedCustomObject({ ...base, namespace, body }, o),
    replace: (c, namespace, name, body, o) =>
      c.custom.replaceNamespacedCustomObject({ ...base, namespace, name, body }, o),
    remove: (c, namespace, name, body, o) =>
      c.custom.deleteNamespacedCustomObject({ ...base, namespace, name, body }, o),
  };
}

const KINDS: Record<ManagedKind, KindClient> = {
  Deployment: {
    apiVersion: "apps/v1",
    read: (c, namespace, name, o) => c.apps.readNamespacedDeployment({ namespace, name }, o),
    create: (c, namespace, body, o) => c.apps.createNamespacedDeployment({ namespace, body: body as never }, o),
    replace: (c, namespace, name, body, o) =>
      c.apps.replaceNamespacedDeployment({ namespace, name, body: body as never }, o),
    remove: (c, namespace, name, body, o) => c.apps.deleteNamespacedDeployment({ namespace, name, body }, o),
  },
  Service: {
    apiVersion: "v1",
    read: (c, namespace, name, o) => c.core.readNamespacedService({ namespace, name }, o),
    create: (c, namespace, body, o) => c.core.createNamespacedService({ namespace, body: body as never }, o),
    replace: (c, namespace, name, body, o) =>
      c.core.replaceNamespacedService({ namespace, name, body: body as never }, o),
    remove: (c, namespace, name, body, o) => c.core.deleteNamespacedService({ namespace, name, body }, o),
  },
  HorizontalPodAutoscaler: {
    apiVersion: "autoscaling/v2",
    read: (c, namespace, name, o) => c.autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name }, o),
    create: (c, namespace, body, o) =>
      c.autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: body as never }, o),
    replace: (c, namespace, name, body, o) =>
      c.autoscaling.replaceNamespacedHorizontalPodAutoscaler({ namespace, name, body: body as never }, o),
    remove: (c, namespace, name, body, o) =>
      c.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ namespace, name, body }, o),
  },
  VirtualService: customKind(ISTIO_GROUP, ISTIO_VERSION, "virtualservices"),
  DestinationRule: customKind(ISTIO_GROUP, ISTIO_VERSION, "destinationrules"),
  // The gateway-api routing backend's route: written like a VirtualService (rv-guarded replace).
  HTTPRoute: customKind(GATEWAY_GROUP, GATEWAY_VERSION, "httproutes"),
};

export function kindClient(kind: string): KindClient {
  const k = KINDS[kind as ManagedKind];
  if (!k) throw new Error(`unsupported kind ${kind}`);
  return k;
}

/** Items of typed responses carry no apiVersion/kind; every object leaves this module complete. */
function complete(kind: string, raw: unknown): K8sObject {
  return { ...plain<K8sObject>(raw), apiVersion: kindClient(kind).apiVersion, kind };
}

export async function readObject(
  c: K8sClients,
  kind: ManagedKind,
  namespace: string,
  name: string,
): Promise<K8sObject | null> {
  try {
    return complete(
      kind,
      await call(`read ${kind} ${namespace}/${name}`, (o) => kindClient(kind).read(c, namespace, name, o)),
    );
  } catch (err) {
    if (err instanceof K8sError && err.kind === "not_found") return null;
    throw err;
  }
}

export async function createObject(c: K8sClients, obj: K8sObject): Promise<K8sObject> {
  const { kind, namespace, name } = refOf(obj);
  return complete(
    kind,
    await call(`create ${kind} ${namespace}/${name}`, (o) => kindClient(kind).create(c, namespace, obj, o)),
  );
}

/** PUT with metadata.resourceVersion set: the API server answers 409 if anyone wrote in between. */
export async function replaceObject(c: K8sClients, obj: K8sObject): Promise<K8sObject> {
  const { kind, namespace, name } = refOf(obj);
  if (!obj.metadata.resourceVersion) throw new Error(`replace ${kind}/${name} without a resourceVersion precondition`);
  return complete(
    kind,
    await call(`replace ${kind} ${namespace}/${name}`, (o) => kindClient(kind).replace(c, namespace, name, obj, o)),
  );
}

/** DELETE with preconditions: someone else's edit (or a recreated object) is a 409, never a silent delete. */
export async function deleteObject(
  c: K8sClients,
  obj: K8sObject,
  preconditions: DeleteBody["preconditions"],
): Promise<void> {
  const { kind, namespace, name } = refOf(obj);
  if (!preconditions.uid && !preconditions.resourceVersion)
    throw new Error(`delete ${kind}/${name} without a precondition`);
  const body: DeleteBody = { propagationPolicy: "Background", preconditions };
  await call(`delete ${kind} ${namespace}/${name}`, (o) => kindClient(kind).remove(c, namespace, name, body, o));
}

/**
 * Replica changes are JSON patches that TEST the previous value before replacing it: the
 * Deployment's status moves its resourceVersion constantly (so a PUT would conflict with the
 * controller, not with a person), while a test of spec.replicas fails exactly when someone
 * (an HPA, an operator) scaled it in between. The API server applies the patch atomically.
 */
export async function patchReplicas(
  c: K8sClients,
  namespace: string,
  name: string,
  previous: number,
  replicas: number,
): Promise<K8sObject> {
  const body = [
    { op: "test", path: "/spec/replicas", value: previous },
    { op: "replace", path: "/spec/replicas", value: replicas },
  ];
  try {
    const res = await call(`scale Deployment ${namespace}/${name}`, (o) =>
      c.apps.patchNamespacedDeployment(
        { namespace, name, body },
        { ...o, middleware: [...((o.middleware ?? []) as unknown[]), contentType(PatchStrategy.JsonPatch)] as never },
      ),
    );
    return complete("Deployment", res);
  } catch (err) {
    // A failed JSON-patch test comes back as 422 "testing value /spec/replicas failed".
    if (err instanceof K8sError && err.kind === "invalid" && /test/i.test(err.message))
      throw new K8sError(
        "conflict",
        `scale Deployment ${namespace}/${name}: its replicas are no longer ${previous} (someone else scaled it)`,
        409,
      );
    throw err;
  }
}

function contentType(value: string) {
  return middleware((ctx) => ctx.setHeaderParam("Content-Type", value));
}
