import { BlockList, isIP } from "node:net";

// GC_TRUSTED_PROXIES: which peers may tell the console who the user is. Parsed once into a
// node:net BlockList (IPv4 and IPv6 subnets; IPv4-mapped IPv6 peers such as ::ffff:127.0.0.1
// are matched as IPv4).

function parts(list: string): string[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseCidr(text: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address, prefixText, extra] = text.split("/");
  if (extra !== undefined || !address) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** The entries of a comma-separated CIDR list that are not CIDRs (a bare address counts as /32 or /128). */
export function invalidCidrs(list: string): string[] {
  return parts(list).filter((p) => parseCidr(p) === null);
}

export function cidrMatcher(list: string): (address: string | null) => boolean {
  const blocks = new BlockList();
  for (const p of parts(list)) {
    const cidr = parseCidr(p);
    if (cidr) blocks.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return (address) => {
    if (!address) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const version = isIP(ip);
    if (version === 0) return false;
    return blocks.check(ip, version === 4 ? "ipv4" : "ipv6");
  };
}
