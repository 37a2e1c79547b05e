// Which Kubernetes permissions a plan needs, as RBAC names them (verb, API group, resource),
// so the console asks the apiserver whether the USER may make each write before the journal
// takes the plan (the reconciler then writes as the console). PURE.
import { english, localized, type Localized } from "@/lib/i18n/localized";
import { isWrite, writeRef, type PlanOp, type WriteOp } from "./ops";

export interface AccessNeed {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
}

/** RBAC's names of the kinds a release writes. */
export const KIND_RESOURCES: Record<string, { group: string; resource: string }> = {
  Deployment: { group: "apps", resource: "deployments" },
  Service: { group: "", resource: "services" },
  VirtualService: { group: "networking.istio.io", resource: "virtualservices" },
  DestinationRule: { group: "networking.istio.io", resource: "destinationrules" },
  HTTPRoute: { group: "gateway.networking.k8s.io", resource: "httproutes" },
  HorizontalPodAutoscaler: { group: "autoscaling", resource: "horizontalpodautoscalers" },
};

const VERB: Record<WriteOp["op"], string> = {
  create: "create",
  replace: "update",
  patchReplicas: "patch",
  delete: "delete",
};

export function accessNeeds(ops: readonly PlanOp[]): AccessNeed[] {
  const seen = new Map<string, AccessNeed>();
  for (const op of ops.filter(isWrite)) {
    const ref = writeRef(op);
    const kind = KIND_RESOURCES[ref.kind];
    if (!kind) throw new Error(`no RBAC resource known for kind ${ref.kind}`);
    const need = { verb: VERB[op.op], group: kind.group, resource: kind.resource, namespace: ref.namespace };
    seen.set(`${need.verb} ${need.group}/${need.resource} ${need.namespace}`, need);
  }
  return [...seen.values()];
}

/**
 * What an action needs: its writes, or, for one that writes nothing (pause, resume), the right
 * to steer the service's traffic: only someone who may change the release may hold it.
 */
export function actionNeeds(ops: readonly PlanOp[], namespace: string): AccessNeed[] {
  const needs = accessNeeds(ops);
  return needs.length > 0 ? needs : [{ verb: "update", ...KIND_RESOURCES.VirtualService!, namespace }];
}

/** Everything a release may write in a namespace: what "may change releases here" means for the UI. */
export function releaseWriteNeeds(namespace: string): AccessNeed[] {
  const needs: AccessNeed[] = [];
  for (const kind of ["Deployment", "VirtualService", "DestinationRule"] as const) {
    const { group, resource } = KIND_RESOURCES[kind]!;
    for (const verb of ["create", "update", "delete"]) needs.push({ verb, group, resource, namespace });
  }
  needs.push({ verb: "patch", ...KIND_RESOURCES.Deployment!, namespace });
  return needs;
}

/** What makes a namespace's release history readable: listing its Services (Kubernetes' `view` grants it). */
export function namespaceReadNeed(namespace: string): AccessNeed {
  return { verb: "list", group: "", resource: "services", namespace };
}

/** What reading a namespace's services, versions and tasks takes. */
export function releaseReadNeeds(namespace: string): AccessNeed[] {
  return [
    namespaceReadNeed(namespace),
    { verb: "list", group: "apps", resource: "deployments", namespace },
    { verb: "list", group: "networking.istio.io", resource: "virtualservices", namespace },
  ];
}

/** The apiserver's own wording for an RBAC refusal (k8s.io/apiserver responsewriters.forbiddenMessage). */
export function forbiddenMessage(user: string, need: AccessNeed, reason?: string | null): string {
  return english(forbiddenText(user, need, reason));
}

/** forbiddenMessage as catalog key + params (`reason` is the apiserver's, kept as it is). */
export function forbiddenText(user: string, need: AccessNeed, reason?: string | null): Localized {
  const params = { user, verb: need.verb, resource: need.resource, group: need.group, namespace: need.namespace };
  return reason
    ? localized("err.access.forbiddenBecause", { ...params, reason })
    : localized("err.access.forbidden", params);
}
