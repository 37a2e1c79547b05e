import { parseQuery, readJson, route } from "@/lib/api/route";
import { CHECK_SECTIONS } from "@/lib/release/spec-sections";
import { checkTaskSpec, previewTask } from "@/lib/tasks/service";
import { z } from "zod";

export const dynamic = "force-dynamic";

const PreviewQuery = z.object({ check: z.enum(CHECK_SECTIONS, { error: `must be one of ${CHECK_SECTIONS.join(", ")}` }).optional() });

// Exactly what POST /api/tasks would apply; writes nothing. With ?check=<section> (the create
// wizard, step by step): only whether the spec's fields through that section pass.
export const POST = route(async ({ request, actor }) => {
  const { check } = parseQuery(request, PreviewQuery);
  const body = await readJson(request, z.unknown());
  return Response.json(check ? await checkTaskSpec(body, check, actor) : await previewTask(body));
});
