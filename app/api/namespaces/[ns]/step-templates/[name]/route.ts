import { route } from "@/lib/api/route";
import { StepTemplateParams } from "@/lib/api/params";
import { removeStepTemplate } from "@/lib/tasks/step-templates";

export const dynamic = "force-dynamic";

/** Deletes one of the namespace's saved templates (built-in ones cannot be). */
export const DELETE = route<{ ns: string; name: string }>(async ({ params, actor }) => {
  const { ns, name } = StepTemplateParams.parse(params);
  await removeStepTemplate(ns, name, actor);
  return new Response(null, { status: 204 });
});
