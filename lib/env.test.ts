import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    expect(parseEnv({})).toEqual({
      PROMETHEUS_URL: "http://127.0.0.1:9090",
      GC_K8S_TIMEOUT_MS: 10_000,
      // Sign-in: a Kubernetes token by default (Kiali's default), 8 h sessions, apiserver-style OIDC claims.
      GC_AUTH: "token",
      GC_SESSION_SECONDS: 8 * 3600,
      GC_OIDC_SCOPES: "openid profile email groups",
      GC_OIDC_USERNAME_CLAIM: "sub",
      GC_OIDC_GROUPS_CLAIM: "groups",
      GC_AUTH_USER_PREFIX: "",
      GC_AUTH_GROUP_PREFIX: "",
      GC_ACTOR_HEADER: "X-Forwarded-User",
      GC_PROXY_GROUPS_HEADER: "X-Forwarded-Groups",
      GC_PROXY_SIGN_OUT_URL: "/oauth2/sign_out",
      // client-go's leaderelection defaults: lease 15 s, renew deadline 10 s, retry period 2 s.
      GC_LEADER_LEASE: "gray-console-reconciler",
      GC_LEADER_NAMESPACE: "default",
      GC_LEADER_LEASE_SECONDS: 15,
      GC_LEADER_RENEW_SECONDS: 10,
      GC_LEADER_RETRY_SECONDS: 2,
      GC_RECONCILE_INTERVAL_MS: 200,
      GC_NOTIFY_LOCALE: "en",
    });
  });
  it("requires the provider settings for GC_AUTH=oidc and the proxies' CIDRs for GC_AUTH=proxy", () => {
    expect(() => parseEnv({ GC_AUTH: "oidc" })).toThrow(
      /GC_OIDC_ISSUER: is required when GC_AUTH=oidc[\s\S]*GC_OIDC_CLIENT_ID[\s\S]*GC_OIDC_CLIENT_SECRET/,
    );
    expect(() => parseEnv({ GC_AUTH: "proxy" })).toThrow(/GC_TRUSTED_PROXIES: is required when GC_AUTH=proxy/);
    expect(() => parseEnv({ GC_AUTH: "proxy", GC_TRUSTED_PROXIES: "10.0.0.0/8,proxy.local" })).toThrow(
      /"proxy.local" is not a CIDR/,
    );
    expect(parseEnv({ GC_AUTH: "proxy", GC_TRUSTED_PROXIES: "10.0.0.0/8" }).GC_AUTH).toBe("proxy");
  });
  it("refuses an unknown GC_AUTH and a short session secret", () => {
    expect(() => parseEnv({ GC_AUTH: "basic" })).toThrow(/GC_AUTH: must be one of token, oidc, proxy, none/);
    expect(() => parseEnv({ GC_SESSION_SECRET: "short" })).toThrow(/GC_SESSION_SECRET: must be at least 32 characters/);
  });
  it("refuses leader timings out of client-go's order (retry < renew < lease)", () => {
    expect(() => parseEnv({ GC_LEADER_LEASE_SECONDS: "5", GC_LEADER_RENEW_SECONDS: "5" })).toThrow(
      /GC_LEADER_RENEW_SECONDS: must be less than GC_LEADER_LEASE_SECONDS/,
    );
    expect(() => parseEnv({ GC_LEADER_RENEW_SECONDS: "2", GC_LEADER_RETRY_SECONDS: "3" })).toThrow(
      /GC_LEADER_RETRY_SECONDS: must be less than GC_LEADER_RENEW_SECONDS/,
    );
  });
  it("refuses a Lease name that is not a DNS-1123 subdomain", () => {
    expect(() => parseEnv({ GC_LEADER_LEASE: "Gray_Console" })).toThrow(
      /GC_LEADER_LEASE: must be a DNS-1123 subdomain/,
    );
  });
  it("accepts SQLite and PostgreSQL URLs", () => {
    expect(parseEnv({ DATABASE_URL: "file:/tmp/x.db" }).DATABASE_URL).toBe("file:/tmp/x.db");
    expect(parseEnv({ DATABASE_URL: "postgresql://u@h:5432/db" }).DATABASE_URL).toBe("postgresql://u@h:5432/db");
  });
  it("names every bad variable, with the value it got", () => {
    let err: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://x", PROMETHEUS_URL: "localhost:9090", GC_K8S_TIMEOUT_MS: "soon" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/DATABASE_URL: must start with "file:".*\(got "mysql:\/\/x"\)/);
    expect(msg).toMatch(/PROMETHEUS_URL: must be an absolute http\(s\) URL.*\(got "localhost:9090"\)/);
    expect(msg).toMatch(/GC_K8S_TIMEOUT_MS: must be a whole number of milliseconds/);
  });
  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PROMETHEUS_URL: "" }).PROMETHEUS_URL).toBe("http://127.0.0.1:9090");
  });
});
