import { route } from "@/lib/api/route";
import { clients } from "@/lib/k8s/client";
import { listNamespaces } from "@/lib/inventory/cluster";

export const dynamic = "force-dynamic";

export const GET = route(async () => Response.json(await listNamespaces(clients())));
