import { z } from "zod";

// Environment is validated once, at first use (server start via instrumentation.ts), with a
// message per bad variable, so a typo fails loudly instead of half-working.
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
