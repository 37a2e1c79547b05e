import { parseQuery, route } from "@/lib/api/route";
import { MetricsQuery } from "@/lib/api/contracts";
import { TaskParams } from "@/lib/api/params";
import { taskMetrics } from "@/lib/tasks/metrics";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async ({ params, request, actor }) => {
  const { range, step } = parseQuery(request, MetricsQuery);
  return Response.json(await taskMetrics(TaskParams.parse(params).id, actor, range, step));
});
