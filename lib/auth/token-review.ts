import "server-only";
import { createHash } from "node:crypto";
import { consoleClients } from "@/lib/k8s/client";
import { call, plain } from "@/lib/k8s/resources";

// Is this bearer token a Kubernetes user? The apiserver answers (TokenReview, the same check
// its own authenticators make): ServiceAccount tokens, OIDC ID tokens it is configured for,
// webhook tokens. Accepted answers are remembered briefly (kube-apiserver's webhook token
// cache works the same way), keyed by a hash so no token sits in memory as a key.

export interface ReviewedUser {
  name: string;
  groups: string[];
}

const ACCEPTED_TTL_MS = 30_000;
const MAX_CACHED = 1024;
const accepted = new Map<string, { user: ReviewedUser; until: number }>();

function keyOf(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** The user the token stands for, or null when the apiserver does not accept it. */
export async function reviewToken(token: string, now = Date.now()): Promise<ReviewedUser | null> {
  const key = keyOf(token);
  const hit = accepted.get(key);
  if (hit && hit.until > now) return hit.user;
  const c = consoleClients();
  const review = plain<{ status?: { authenticated?: boolean; user?: { username?: string; groups?: string[] } } }>(
    await call("TokenReview", (o) =>
      c.authn.createTokenReview(
        { body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } } },
        o,
      ),
    ),
  );
  const username = review.status?.user?.username;
  if (!review.status?.authenticated || !username) return null;
  const user = { name: username, groups: review.status.user?.groups ?? [] };
  accepted.set(key, { user, until: now + ACCEPTED_TTL_MS });
  if (accepted.size > MAX_CACHED) accepted.delete(accepted.keys().next().value as string);
  return user;
}

/** A token the apiserver refused later (revoked, expired): forget that it was accepted. */
export function forgetToken(token: string): void {
  accepted.delete(keyOf(token));
}
