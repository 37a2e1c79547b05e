import { parseQuery, readJson, route } from "@/lib/api/route";
import { TaskListQuery } from "@/lib/api/contracts";
import { createTask } from "@/lib/tasks/commands";
import { listTaskSummaries } from "@/lib/tasks/read-model";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route(async ({ request, actor }) =>
  Response.json(await listTaskSummaries(parseQuery(request, TaskListQuery), actor)),
);

export const POST = route(async ({ request, actor }) => {
  const body = await readJson(request, z.unknown());
  return Response.json({ task: await createTask(body, actor) }, { status: 201 });
});
