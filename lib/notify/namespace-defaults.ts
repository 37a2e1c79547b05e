import "server-only";
import { db } from "@/lib/db/client";
import { readNamespaceTargets, writeNamespaceTargets } from "@/lib/db/notifications-repo";
import { Forbidden, NotFound } from "@/lib/tasks/errors";
import { consoleClients } from "@/lib/k8s/client";
import { namespaceExists } from "@/lib/k8s/state";
import { localized } from "@/lib/i18n/localized";
import { checkAccess } from "@/lib/auth/access";
import type { Identity } from "@/lib/auth/identity";
import { forbiddenText, releaseWriteNeeds } from "@/lib/release/access";
import { requireReadable } from "@/lib/tasks/visibility";
import {
  NotificationTargetsSchema,
  targetView,
  type NamespaceNotificationsResponse,
  type NotificationTarget,
} from "./schema";

// A namespace's default notification targets: used by its tasks that list none. Readers of the
// namespace see them without secrets; only who may change releases there may set them (the
// same SelfSubjectAccessReviews as the UI's "may change releases here").

function response(
  namespace: string,
  targets: NotificationTarget[],
  updatedBy: string | null,
  updatedAt: Date | null,
): NamespaceNotificationsResponse {
  return { namespace, targets: targets.map(targetView), updatedBy, updatedAt: updatedAt?.toISOString() ?? null };
}

export async function namespaceNotifications(
  namespace: string,
  reader: Identity,
): Promise<NamespaceNotificationsResponse> {
  await requireReadable(reader, namespace);
  const stored = await readNamespaceTargets(db(), namespace);
  const parsed = NotificationTargetsSchema.safeParse(stored?.targets ?? []);
  return response(namespace, parsed.success ? parsed.data : [], stored?.updatedBy ?? null, stored?.updatedAt ?? null);
}

/** Refuses (403) a caller who may not change releases in `namespace`. */
export async function requireReleaseWriter(actor: Identity, namespace: string): Promise<void> {
  const needs = releaseWriteNeeds(namespace);
  const checks = await checkAccess(actor, needs);
  const i = checks.findIndex((c) => !c.allowed);
  if (i < 0) return;
  throw new Forbidden(forbiddenText(actor.name, needs[i]!, checks[i]!.reason), {
    namespace,
    denied: checks.filter((c) => !c.allowed),
  });
}

/** Replaces the namespace's default targets (an empty list removes them). */
export async function setNamespaceNotifications(
  namespace: string,
  targets: NotificationTarget[],
  actor: Identity,
): Promise<NamespaceNotificationsResponse> {
  await requireReleaseWriter(actor, namespace);
  // Asked as the console: a release writer need not be allowed to read cluster-scoped Namespaces.
  if (!(await namespaceExists(consoleClients(), namespace)))
    throw new NotFound(localized("err.inventory.namespaceNotFound", { namespace }));
  const stored = await writeNamespaceTargets(db(), namespace, targets, actor.name);
  return response(namespace, targets, stored.updatedBy, stored.updatedAt);
}
