import { route } from "@/lib/api/route";
import { checkHealth } from "@/lib/inventory/health";

export const dynamic = "force-dynamic";

export const GET = route(async () => Response.json(await checkHealth()));
