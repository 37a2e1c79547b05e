import { publicRoute } from "@/lib/api/route";
import { completeOidcSignIn } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

/** The provider sends the browser back here with the code; sets the session cookie and returns to where sign-in began. */
export const GET = publicRoute(async ({ request }) => completeOidcSignIn(request));
