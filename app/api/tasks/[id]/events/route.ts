import { route } from "@/lib/api/route";
import { TaskParams } from "@/lib/api/params";
import { taskEvents } from "@/lib/tasks/read-model";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async ({ params, actor }) =>
  Response.json(await taskEvents(TaskParams.parse(params).id, actor)),
);
