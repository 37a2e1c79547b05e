import { readJson, route } from "@/lib/api/route";
import { TaskParams } from "@/lib/api/params";
import { runAction } from "@/lib/tasks/commands";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>(async ({ params, request, actor }) => {
  const { id } = TaskParams.parse(params);
  return Response.json({ task: await runAction(id, await readJson(request, z.unknown()), actor) });
});
