import { parseQuery, readJson, route } from "@/lib/api/route";
import { PreviewQuery } from "@/lib/api/contracts";
import { checkTaskSpec, previewTask } from "@/lib/tasks/commands";
import { z } from "zod";

export const dynamic = "force-dynamic";

// Exactly what POST /api/tasks would apply; writes nothing. With ?check=<section> (the create
// wizard, step by step): only whether the spec's fields through that section pass.
export const POST = route(async ({ request, actor }) => {
  const { check } = parseQuery(request, PreviewQuery);
  const body = await readJson(request, z.unknown());
  return Response.json(check ? await checkTaskSpec(body, check, actor) : await previewTask(body));
});
