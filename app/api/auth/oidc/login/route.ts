import { publicRoute } from "@/lib/api/route";
import { beginOidcSignIn } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

/** GC_AUTH=oidc: redirects to the OpenID provider (authorization code flow with PKCE). */
export const GET = publicRoute(async ({ request }) => beginOidcSignIn(request));
