import { route } from "@/lib/api/route";
import { clients } from "@/lib/k8s/client";
import { visibleNamespaceList } from "@/lib/inventory/cluster";

export const dynamic = "force-dynamic";

export const GET = route(async ({ actor }) => Response.json(await visibleNamespaceList(clients(), actor)));
