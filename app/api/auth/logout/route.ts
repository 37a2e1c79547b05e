import { publicRoute } from "@/lib/api/route";
import { signOut } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

/** Ends the browser session (clears its cookie); in proxy mode the answer names the proxy's own sign-out. */
export const POST = publicRoute(async ({ request }) => signOut(request));
