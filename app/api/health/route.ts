import { publicRoute } from "@/lib/api/route";
import { checkHealth } from "@/lib/inventory/health";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => Response.json(await checkHealth()));
