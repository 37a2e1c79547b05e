import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

// Authenticated encryption for what the console keeps in the browser (the session, the OIDC
// flow's state): AES-256-GCM under a key derived from GC_SESSION_SECRET with HKDF, one key
// per purpose, so a value sealed for one cookie never opens as another.

export interface Keyring {
  seal(purpose: string, value: unknown): string;
  open<T>(purpose: string, sealed: string): T | null;
  mac(purpose: string, data: string): string;
}

function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "gray-console", `${purpose} v1`, 32));
}

export function keyring(secret: string): Keyring {
  const keys = new Map<string, Buffer>();
  const key = (purpose: string) => {
    const known = keys.get(purpose);
    if (known) return known;
    const made = keyFor(secret, purpose);
    keys.set(purpose, made);
    return made;
  };
  return {
    seal(purpose, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open<T>(purpose: string, sealed: string): T | null {
      const raw = Buffer.from(sealed, "base64url");
      if (raw.length < 29) return null;
      try {
        const decipher = createDecipheriv("aes-256-gcm", key(purpose), raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(12, 28));
        const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
        return JSON.parse(text) as T;
      } catch {
        // Tampered, truncated, or sealed under another secret: the same as no value at all.
        return null;
      }
    },
    mac(purpose, data) {
      return createHmac("sha256", key(purpose)).update(data).digest("base64url");
    },
  };
}

export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
