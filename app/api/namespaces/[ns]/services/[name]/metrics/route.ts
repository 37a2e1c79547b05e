import { parseQuery, route } from "@/lib/api/route";
import { MetricsQuery } from "@/lib/api/contracts";
import { ServiceParams } from "@/lib/api/params";
import { serviceMetrics } from "@/lib/tasks/metrics";

export const dynamic = "force-dynamic";

export const GET = route<{ ns: string; name: string }>(async ({ params, request }) => {
  const { ns, name } = ServiceParams.parse(params);
  const { range, step } = parseQuery(request, MetricsQuery);
  return Response.json(await serviceMetrics(ns, name, range, step));
});
