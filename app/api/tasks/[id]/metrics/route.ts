import { route } from "@/lib/api/route";
import { TaskParams } from "@/lib/api/params";
import { taskMetrics } from "@/lib/tasks/metrics";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async ({ params, request, actor }) => {
  const q = new URL(request.url).searchParams;
  return Response.json(await taskMetrics(TaskParams.parse(params).id, actor, q.get("range") ?? undefined, q.get("step") ?? undefined));
});
