// The naming rules of the console, defined once: the zod schemas (lib/release/spec), the
// environment check (lib/env.ts), the use-cases and the pages' URL checks all use these, so a
// name one of them accepts is never refused by another. PURE and zod-free (pages bundle it).

/** A DNS-1123 label (RFC 1123): what Kubernetes requires of namespace, Service and most object names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;

/** A DNS-1123 subdomain: dot-separated labels (Secret, ConfigMap, Lease names; annotation prefixes). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_SUBDOMAIN_MAX = 253;

/** Task ids as the database makes them (cuid): lowercase alphanumerics. */
export const TASK_ID = /^[a-z0-9]{1,64}$/;

export function isDnsLabel(v: string): boolean {
  return v.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(v);
}

/** A string that can name a task: anything else names none (a 404, never a query). */
export function isTaskId(v: string): boolean {
  return TASK_ID.test(v);
}
