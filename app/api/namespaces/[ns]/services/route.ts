import { route } from "@/lib/api/route";
import { clients } from "@/lib/k8s/client";
import { listServiceOverviews } from "@/lib/inventory/services";
import { activeTaskRefs } from "@/lib/tasks/queries";
import { NamespaceParams } from "@/lib/api/params";

export const dynamic = "force-dynamic";

export const GET = route<{ ns: string }>(async ({ params }) => {
  const { ns } = NamespaceParams.parse(params);
  return Response.json(await listServiceOverviews(clients(), ns, activeTaskRefs));
});
