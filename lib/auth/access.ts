import "server-only";
import { ApiError } from "@/lib/api/errors";
import type { AccessCheck, PermissionsResponse } from "@/lib/api/contracts";
import { call, plain } from "@/lib/k8s/resources";
import { clientsActingAs } from "@/lib/k8s/user-clients";
import { english, type Localized } from "@/lib/i18n/localized";
import {
  actionNeeds,
  forbiddenText,
  namespaceReadNeed,
  releaseReadNeeds,
  releaseWriteNeeds,
  type AccessNeed,
} from "@/lib/release/access";
import type { PlanOp } from "@/lib/release/ops";
import type { Identity } from "./identity";

// Authorization is the apiserver's: each question is a SelfSubjectAccessReview sent AS the
// user (own token or impersonation), so RBAC, and any authorizer webhook, decides. Answers are
// kept a few seconds: a page asks the same questions on every refresh.

const TTL_MS = 5_000;
const MAX_CACHED = 4096;
const answers = new Map<string, { check: AccessCheck; until: number }>();

function keyOf(identity: Identity, need: AccessNeed): string {
  return JSON.stringify([identity.name, identity.groups, need.verb, need.group, need.resource, need.namespace]);
}

async function review(identity: Identity, need: AccessNeed): Promise<AccessCheck> {
  const c = clientsActingAs(identity.acting!);
  const body = {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: {
      resourceAttributes: { verb: need.verb, group: need.group, resource: need.resource, namespace: need.namespace },
    },
  };
  const res = plain<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>(
    await call("SelfSubjectAccessReview", (o) => c.authz.createSelfSubjectAccessReview({ body }, o)),
  );
  const allowed = res.status?.allowed === true;
  const detail = res.status?.reason || res.status?.evaluationError || null;
  if (allowed) return { verb: need.verb, group: need.group, resource: need.resource, allowed, reason: null };
  const text = forbiddenText(identity.name, need, detail);
  const check: AccessCheck = {
    verb: need.verb,
    group: need.group,
    resource: need.resource,
    allowed,
    reason: english(text),
  };
  refusals.set(check, text);
  return check;
}

/** The catalog text of each refused check's `reason`, for the 403 that quotes it. */
const refusals = new WeakMap<AccessCheck, Localized>();

/** The apiserver's answers for this user; GC_AUTH=none allows everything the console itself may do. */
export async function checkAccess(identity: Identity, needs: AccessNeed[], now = Date.now()): Promise<AccessCheck[]> {
  if (!identity.acting)
    return needs.map((n) => ({ verb: n.verb, group: n.group, resource: n.resource, allowed: true, reason: null }));
  return Promise.all(
    needs.map(async (need) => {
      const key = keyOf(identity, need);
      const hit = answers.get(key);
      if (hit && hit.until > now) return hit.check;
      const check = await review(identity, need);
      answers.set(key, { check, until: now + TTL_MS });
      if (answers.size > MAX_CACHED) answers.delete(answers.keys().next().value as string);
      return check;
    }),
  );
}

/** 403 with the apiserver's reason unless the user may make every write of the plan; nothing is recorded or written before this passes. */
export async function authorizePlan(identity: Identity, namespace: string, ops: readonly PlanOp[]): Promise<void> {
  const checks = await checkAccess(identity, actionNeeds(ops, namespace));
  const denied = checks.filter((c) => !c.allowed);
  const first = denied[0];
  if (first) throw new ApiError(403, "forbidden", first.reason ?? "forbidden", { denied }, refusals.get(first));
}

export async function mayRead(identity: Identity, namespace: string): Promise<boolean> {
  return (await checkAccess(identity, [namespaceReadNeed(namespace)]))[0]!.allowed;
}

/** The namespaces (of those given) whose release history this user may see. */
export async function readableNamespaces(identity: Identity, namespaces: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(namespaces)];
  const allowed = await Promise.all(unique.map((ns) => mayRead(identity, ns)));
  return new Set(unique.filter((_, i) => allowed[i]));
}

export async function permissionsIn(identity: Identity, namespace: string): Promise<PermissionsResponse> {
  const readNeeds = releaseReadNeeds(namespace);
  const checks = await checkAccess(identity, [...readNeeds, ...releaseWriteNeeds(namespace)]);
  const reads = checks.slice(0, readNeeds.length);
  const writes = checks.slice(readNeeds.length);
  const readDenied = reads.find((c) => !c.allowed);
  const writeDenied = writes.filter((c) => !c.allowed);
  return {
    namespace,
    user: identity.name,
    view: { allowed: !readDenied, reason: readDenied?.reason ?? null },
    change: { allowed: writeDenied.length === 0, reason: writeDenied[0]?.reason ?? null, denied: writeDenied },
    checks,
  };
}
