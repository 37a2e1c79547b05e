import { z } from "zod";
import { invalidCidrs } from "./auth/cidr";
import { DNS1123_LABEL, DNS1123_LABEL_MAX, DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_MAX } from "./names";

// Environment is validated once, at first use (server start via instrumentation.ts), with a
// message per bad variable, so a typo fails loudly instead of half-working.
function seconds(min: number, max: number) {
  const message = `must be a number of seconds (${min}..${max})`;
  return z.coerce.number({ error: message }).min(min, { error: message }).max(max, { error: message });
}

const EnvSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with "file:" (SQLite) or "postgresql://" (PostgreSQL)')
      .optional(),
    PROMETHEUS_URL: z
      .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL, e.g. http://127.0.0.1:9090" })
      .default("http://127.0.0.1:9090"),
    KUBECONFIG: z.string().min(1).optional(),
    /** Request timeout for Kubernetes calls, ms. */
    GC_K8S_TIMEOUT_MS: z.coerce
      .number({ error: "must be a whole number of milliseconds (1..120000)" })
      .int({ error: "must be a whole number of milliseconds (1..120000)" })
      .positive({ error: "must be a whole number of milliseconds (1..120000)" })
      .max(120_000, { error: "must be a whole number of milliseconds (1..120000)" })
      .default(10_000),
    /**
     * How users sign in (issue 10): token (a Kubernetes bearer token, checked by TokenReview),
     * oidc (authorization code + PKCE, then impersonation), proxy (an authenticating proxy such as
     * oauth2-proxy in front, then impersonation), none (no sign-in: only when set explicitly).
     */
    GC_AUTH: z
      .enum(["token", "oidc", "proxy", "none"], { error: "must be one of token, oidc, proxy, none" })
      .default("token"),
    /** Key material for session cookies and CSRF tokens; replicas behind one address must share it (a Secret). */
    GC_SESSION_SECRET: z
      .string()
      .min(32, { error: "must be at least 32 characters (e.g. openssl rand -base64 48)" })
      .optional(),
    /** How long a sign-in lasts, seconds (Kiali/Headlamp: hours; 8 h by default). */
    GC_SESSION_SECONDS: seconds(5, 7 * 24 * 3600).default(8 * 3600),
    GC_OIDC_ISSUER: z
      .url({ protocol: /^https?$/, error: "must be the issuer URL, e.g. https://dex.example.com" })
      .optional(),
    GC_OIDC_CLIENT_ID: z.string().min(1).optional(),
    GC_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    GC_OIDC_SCOPES: z
      .string()
      .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, { error: "must be space-separated scopes" })
      .default("openid profile email groups"),
    /** The ID token claim that names the user, as kube-apiserver's --oidc-username-claim (sub by default). */
    GC_OIDC_USERNAME_CLAIM: z.string().min(1).default("sub"),
    GC_OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
    /** Prefixes put before impersonated user and group names, as kube-apiserver's --oidc-username-prefix (e.g. "oidc:"). */
    GC_AUTH_USER_PREFIX: z
      .string()
      .regex(/^[^\s,]*$/, { error: "must not contain spaces or commas" })
      .default(""),
    GC_AUTH_GROUP_PREFIX: z
      .string()
      .regex(/^[^\s,]*$/, { error: "must not contain spaces or commas" })
      .default(""),
    /** The console's public base URL (for the OIDC redirect URI and the links in notifications); else taken from the request's Host. */
    GC_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" }).optional(),
    /** The language of notification messages (Slack, DingTalk, Feishu, WeCom). */
    GC_NOTIFY_LOCALE: z.enum(["en", "zh-CN"], { error: "must be en or zh-CN" }).default("en"),
    /** proxy mode: comma-separated CIDRs of the authenticating proxies whose user headers are believed. */
    GC_TRUSTED_PROXIES: z.string().optional(),
    /** Header a fronting auth proxy sets with the user name (oauth2-proxy convention); believed only from GC_TRUSTED_PROXIES. */
    GC_ACTOR_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .default("X-Forwarded-User"),
    GC_PROXY_GROUPS_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .default("X-Forwarded-Groups"),
    /** Where sign-out sends the browser in proxy mode (oauth2-proxy's own sign-out clears its cookie). */
    GC_PROXY_SIGN_OUT_URL: z
      .string()
      .regex(/^(\/|https?:\/\/)/, { error: "must be a path or an absolute URL" })
      .default("/oauth2/sign_out"),
    /** The reconciler's leader Lease: two installations with different databases on one cluster need different names. */
    GC_LEADER_LEASE: z
      .string()
      .regex(DNS1123_SUBDOMAIN, { error: "must be a DNS-1123 subdomain" })
      .max(DNS1123_SUBDOMAIN_MAX)
      .default("gray-console-reconciler"),
    GC_LEADER_NAMESPACE: z
      .string()
      .regex(DNS1123_LABEL, { error: "must be a DNS-1123 label" })
      .max(DNS1123_LABEL_MAX)
      .default("default"),
    /** client-go's leaderelection defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
    GC_LEADER_LEASE_SECONDS: seconds(1, 600).default(15),
    GC_LEADER_RENEW_SECONDS: seconds(0.5, 600).default(10),
    GC_LEADER_RETRY_SECONDS: seconds(0.1, 60).default(2),
    /** How often the leader looks for due journal entries, ms. */
    GC_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(200),
    /** Fault injection for crash tests: the process kills itself (SIGKILL) right after its Nth cluster write. */
    GC_FAULT_KILL_AFTER_WRITES: z.coerce.number().int().min(1).optional(),
  })
  .superRefine((e, ctx) => {
    if (e.GC_AUTH === "oidc")
      for (const key of ["GC_OIDC_ISSUER", "GC_OIDC_CLIENT_ID", "GC_OIDC_CLIENT_SECRET"] as const)
        if (!e[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when GC_AUTH=oidc" });
    if (e.GC_AUTH === "proxy") {
      if (!e.GC_TRUSTED_PROXIES)
        ctx.addIssue({
          code: "custom",
          path: ["GC_TRUSTED_PROXIES"],
          message: "is required when GC_AUTH=proxy (the proxies' CIDRs, e.g. 10.0.0.0/8)",
        });
      else
        for (const bad of invalidCidrs(e.GC_TRUSTED_PROXIES))
          ctx.addIssue({
            code: "custom",
            path: ["GC_TRUSTED_PROXIES"],
            message: `"${bad}" is not a CIDR (e.g. 10.0.0.0/8, 127.0.0.1/32, ::1/128)`,
          });
    }
    // client-go refuses the same: a holder must give up before a successor may take over.
    if (e.GC_LEADER_RENEW_SECONDS >= e.GC_LEADER_LEASE_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["GC_LEADER_RENEW_SECONDS"],
        message: "must be less than GC_LEADER_LEASE_SECONDS",
      });
    if (e.GC_LEADER_RETRY_SECONDS >= e.GC_LEADER_RENEW_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["GC_LEADER_RETRY_SECONDS"],
        message: "must be less than GC_LEADER_RENEW_SECONDS",
      });
  });
export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const clean = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(clean);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(clean[String(i.path[0])])})`,
    );
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
