import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { readSession } from "@/lib/auth/session";

// Pages need a signed-in user in token and oidc modes: without a valid session cookie the
// browser goes to the sign-in page (told when its session expired), and comes back after.
// The API answers 401 itself (lib/api/route.ts); proxy and none modes have no console sign-in.

const OPEN_PAGES = new Set(["/signin"]);

export function proxy(request: NextRequest): NextResponse {
  const mode = env().GC_AUTH;
  if (mode !== "token" && mode !== "oidc") return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  if (OPEN_PAGES.has(pathname)) return NextResponse.next();
  const reading = readSession(request.headers.get("cookie"));
  if (reading && "session" in reading) return NextResponse.next();
  const target = request.nextUrl.clone();
  target.pathname = "/signin";
  target.search = "";
  target.searchParams.set("next", pathname + search);
  if (reading && "expired" in reading) target.searchParams.set("reason", "expired");
  return NextResponse.redirect(target);
}

export const config = {
  // Every page; not the API, Next's assets or files with an extension (icons, robots.txt).
  matcher: ["/((?!api/|_next/|.*\\.[a-zA-Z0-9]+$).*)"],
};
