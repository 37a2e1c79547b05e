import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    expect(parseEnv({})).toEqual({ PROMETHEUS_URL: "http://127.0.0.1:9090", GC_K8S_TIMEOUT_MS: 10_000, GC_ACTOR_HEADER: "X-Forwarded-User" });
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
