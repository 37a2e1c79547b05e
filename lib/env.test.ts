import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    expect(parseEnv({})).toEqual({
      PROMETHEUS_URL: "http://127.0.0.1:9090",
      GC_K8S_TIMEOUT_MS: 10_000,
      GC_ACTOR_HEADER: "X-Forwarded-User",
      // client-go's leaderelection defaults: lease 15 s, renew deadline 10 s, retry period 2 s.
      GC_LEADER_LEASE: "gray-console-reconciler",
      GC_LEADER_NAMESPACE: "default",
      GC_LEADER_LEASE_SECONDS: 15,
      GC_LEADER_RENEW_SECONDS: 10,
      GC_LEADER_RETRY_SECONDS: 2,
      GC_RECONCILE_INTERVAL_MS: 200,
    });
  });
  it("refuses leader timings out of client-go's order (retry < renew < lease)", () => {
    expect(() => parseEnv({ GC_LEADER_LEASE_SECONDS: "5", GC_LEADER_RENEW_SECONDS: "5" })).toThrow(/GC_LEADER_RENEW_SECONDS: must be less than GC_LEADER_LEASE_SECONDS/);
    expect(() => parseEnv({ GC_LEADER_RENEW_SECONDS: "2", GC_LEADER_RETRY_SECONDS: "3" })).toThrow(/GC_LEADER_RETRY_SECONDS: must be less than GC_LEADER_RENEW_SECONDS/);
  });
  it("refuses a Lease name that is not a DNS-1123 subdomain", () => {
    expect(() => parseEnv({ GC_LEADER_LEASE: "Gray_Console" })).toThrow(/GC_LEADER_LEASE: must be a DNS-1123 subdomain/);
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
