import { readJson, route } from "@/lib/api/route";
import { previewTask } from "@/lib/tasks/service";
import { z } from "zod";

export const dynamic = "force-dynamic";

// Exactly what POST /api/tasks would apply; writes nothing.
export const POST = route(async ({ request }) => Response.json(await previewTask(await readJson(request, z.unknown()))));
