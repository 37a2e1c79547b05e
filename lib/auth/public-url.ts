import "server-only";
import { env } from "@/lib/env";

/** The console's base URL as the browser sees it: GC_PUBLIC_URL, else the forwarded or direct Host of the request. */
export function publicBase(request: Request): string {
  const configured = env().GC_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  const host =
    request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host") || url.host;
  return `${proto}://${host}`;
}
