import "server-only";
import { db } from "@/lib/db/client";
import { taskNamespaces } from "@/lib/db/tasks-repo";
import { Forbidden } from "./errors";
import { mayRead, readableNamespaces } from "@/lib/auth/access";
import type { Identity } from "@/lib/auth/identity";
import { forbiddenText, namespaceReadNeed } from "@/lib/release/access";

// Release history is shown only for namespaces the caller may read in Kubernetes (asked of
// the apiserver as the caller): the database must not tell a viewer of one team about another.

/** The namespaces whose tasks the caller may see; undefined: all (GC_AUTH=none). */
export async function visibleNamespaces(identity: Identity): Promise<string[] | undefined> {
  if (!identity.acting) return undefined;
  return [...(await readableNamespaces(identity, await taskNamespaces(db())))];
}

export async function requireReadable(identity: Identity, namespace: string): Promise<void> {
  if (await mayRead(identity, namespace)) return;
  throw new Forbidden(forbiddenText(identity.name, namespaceReadNeed(namespace)), { namespace });
}
