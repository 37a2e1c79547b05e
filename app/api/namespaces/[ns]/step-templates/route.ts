import { readJson, route } from "@/lib/api/route";
import { NamespaceParams } from "@/lib/api/params";
import { StepTemplateRequest } from "@/lib/release/step-templates";
import { saveStepTemplate, stepTemplates } from "@/lib/tasks/step-templates";

export const dynamic = "force-dynamic";

/** The step plan templates: built-in ones, then the namespace's. */
export const GET = route<{ ns: string }>(async ({ params, actor }) =>
  Response.json(await stepTemplates(NamespaceParams.parse(params).ns, actor)),
);

/** Saves a template for the namespace: {"name", "steps", "analysis"?}. */
export const POST = route<{ ns: string }>(async ({ params, actor, request }) => {
  const { ns } = NamespaceParams.parse(params);
  const body = await readJson(request, StepTemplateRequest);
  return Response.json({ template: await saveStepTemplate(ns, body, actor) }, { status: 201 });
});
