import { publicRoute } from "@/lib/api/route";
import { currentSession } from "@/lib/auth/sign-in";

export const dynamic = "force-dynamic";

/** Who the caller is (never 401), the sign-in mode, and the CSRF token a browser session sends with its changes. */
export const GET = publicRoute(async ({ request }) => Response.json(await currentSession(request)));
