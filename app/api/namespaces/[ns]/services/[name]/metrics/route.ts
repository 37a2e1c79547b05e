import { route } from "@/lib/api/route";
import { ServiceParams } from "@/lib/api/params";
import { serviceMetrics } from "@/lib/tasks/metrics";

export const dynamic = "force-dynamic";

export const GET = route<{ ns: string; name: string }>(async ({ params, request }) => {
  const { ns, name } = ServiceParams.parse(params);
  const q = new URL(request.url).searchParams;
  return Response.json(await serviceMetrics(ns, name, q.get("range") ?? undefined, q.get("step") ?? undefined));
});
