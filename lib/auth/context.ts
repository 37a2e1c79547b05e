import "server-only";
import { withClients } from "@/lib/k8s/client";
import { clientsActingAs } from "@/lib/k8s/user-clients";
import type { Identity } from "./identity";

/**
 * Runs a request's work as its caller: every Kubernetes call made through clients() inside
 * goes to the apiserver as that user (own token or impersonation); GC_AUTH=none acts as the
 * console itself.
 */
export function actingAs<T>(identity: Identity, fn: () => Promise<T>): Promise<T> {
  return identity.acting ? withClients(clientsActingAs(identity.acting), fn) : fn();
}
