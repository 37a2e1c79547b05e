import { route } from "@/lib/api/route";
import { TaskParams } from "@/lib/api/params";
import { abortTask } from "@/lib/tasks/commands";
import { getTask } from "@/lib/tasks/read-model";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>(async ({ params, actor }) =>
  Response.json({ task: await getTask(TaskParams.parse(params).id, actor) }),
);

/** Abort: removes what the task created and restores the original routing. */
export const DELETE = route<{ id: string }>(async ({ params, actor }) =>
  Response.json({ task: await abortTask(TaskParams.parse(params).id, actor) }),
);
