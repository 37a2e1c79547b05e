import { route } from "@/lib/api/route";
import { TaskParams } from "@/lib/api/params";
import { taskAnalysis } from "@/lib/tasks/analysis";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async ({ params, actor }) =>
  Response.json(await taskAnalysis(TaskParams.parse(params).id, actor)),
);
