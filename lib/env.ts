import { z } from "zod";

// Environment is validated once, at first use (server start via instrumentation.ts), with a
// message per bad variable, so a typo fails loudly instead of half-working.
function seconds(min: number, max: number) {
  const message = `must be a number of seconds (${min}..${max})`;
  return z.coerce.number({ error: message }).min(min, { error: message }).max(max, { error: message });
}

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)')
    .optional(),
  PROMETHEUS_URL: z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL, e.g. http://127.0.0.1:9090" }).default("http://127.0.0.1:9090"),
  KUBECONFIG: z.string().min(1).optional(),
  /** Request timeout for Kubernetes calls, ms. */
  GC_K8S_TIMEOUT_MS: z.coerce
    .number({ error: "must be a whole number of milliseconds (1..120000)" })
    .int({ error: "must be a whole number of milliseconds (1..120000)" })
    .positive({ error: "must be a whole number of milliseconds (1..120000)" })
    .max(120_000, { error: "must be a whole number of milliseconds (1..120000)" })
    .default(10_000),
  /** Header a fronting auth proxy sets with the user name (oauth2-proxy convention). */
  GC_ACTOR_HEADER: z.string().regex(/^[A-Za-z0-9-]+$/).default("X-Forwarded-User"),
  /** The reconciler's leader Lease: two installations with different databases on one cluster need different names. */
  GC_LEADER_LEASE: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "must be a DNS-1123 subdomain" }).max(253).default("gray-console-reconciler"),
  GC_LEADER_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a DNS-1123 label" }).max(63).default("default"),
  /** client-go's leaderelection defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
  GC_LEADER_LEASE_SECONDS: seconds(1, 600).default(15),
  GC_LEADER_RENEW_SECONDS: seconds(0.5, 600).default(10),
  GC_LEADER_RETRY_SECONDS: seconds(0.1, 60).default(2),
  /** How often the leader looks for due journal entries, ms. */
  GC_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(200),
  /** Fault injection for crash tests: the process kills itself (SIGKILL) right after its Nth cluster write. */
  GC_FAULT_KILL_AFTER_WRITES: z.coerce.number().int().min(1).optional(),
}).superRefine((e, ctx) => {
  // client-go refuses the same: a holder must give up before a successor may take over.
  if (e.GC_LEADER_RENEW_SECONDS >= e.GC_LEADER_LEASE_SECONDS)
    ctx.addIssue({ code: "custom", path: ["GC_LEADER_RENEW_SECONDS"], message: "must be less than GC_LEADER_LEASE_SECONDS" });
  if (e.GC_LEADER_RETRY_SECONDS >= e.GC_LEADER_RENEW_SECONDS)
    ctx.addIssue({ code: "custom", path: ["GC_LEADER_RETRY_SECONDS"], message: "must be less than GC_LEADER_RENEW_SECONDS" });
});
export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const clean = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(clean);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(clean[String(i.path[0])])})`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
