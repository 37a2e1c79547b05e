import { publicRoute, readJson } from "@/lib/api/route";
import { signInWithToken, TokenLogin } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

/** GC_AUTH=token: sign in with a Kubernetes bearer token; sets the session cookie. */
export const POST = publicRoute(async ({ request }) => signInWithToken(request, await readJson(request, TokenLogin)));
