import { route } from "@/lib/api/route";
import { clients } from "@/lib/k8s/client";
import { getServiceOverview } from "@/lib/inventory/services";
import { activeTaskRefs } from "@/lib/tasks/queries";
import { ServiceParams } from "@/lib/api/params";

export const dynamic = "force-dynamic";

export const GET = route<{ ns: string; name: string }>(async ({ params }) => {
  const { ns, name } = ServiceParams.parse(params);
  return Response.json(await getServiceOverview(clients(), ns, name, activeTaskRefs));
});
