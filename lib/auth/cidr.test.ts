import { describe, expect, it } from "vitest";
import { cidrMatcher, invalidCidrs } from "./cidr";

describe("GC_TRUSTED_PROXIES", () => {
  it("names every entry that is not a CIDR or an address", () => {
    expect(invalidCidrs("10.0.0.0/8, 127.0.0.1, ::1/128,fd00::/8")).toEqual([]);
    expect(invalidCidrs("10.0.0.0/33,banana,10.0.0.0/8/1,1.2.3.4/x, ::1/129")).toEqual([
      "10.0.0.0/33",
      "banana",
      "10.0.0.0/8/1",
      "1.2.3.4/x",
      "::1/129",
    ]);
  });

  it("trusts addresses inside the listed subnets only", () => {
    const trusted = cidrMatcher("10.0.0.0/8,127.0.0.1/32,fd00::/8");
    expect(trusted("10.244.1.7")).toBe(true);
    expect(trusted("127.0.0.1")).toBe(true);
    expect(trusted("127.0.0.2")).toBe(false);
    expect(trusted("fd00::1")).toBe(true);
    expect(trusted("2001:db8::1")).toBe(false);
    expect(trusted("192.168.1.1")).toBe(false);
  });

  it("matches an IPv4-mapped IPv6 peer (how Node reports IPv4 on a dual-stack socket) as IPv4", () => {
    expect(cidrMatcher("127.0.0.1/32")("::ffff:127.0.0.1")).toBe(true);
    expect(cidrMatcher("127.0.0.1/32")("::ffff:127.0.0.9")).toBe(false);
  });

  it("trusts nobody for an empty list, a missing peer or a peer that is not an address", () => {
    expect(cidrMatcher("")("127.0.0.1")).toBe(false);
    expect(cidrMatcher("0.0.0.0/0")(null)).toBe(false);
    expect(cidrMatcher("0.0.0.0/0")("not-an-ip")).toBe(false);
  });
});
