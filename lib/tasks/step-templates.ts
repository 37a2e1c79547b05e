import "server-only";
import { db } from "@/lib/db/client";
import {
  deleteStepTemplate,
  insertStepTemplate,
  listStepTemplates,
  type StoredTemplate,
} from "@/lib/db/step-templates-repo";
import { localized } from "@/lib/i18n/localized";
import type { Identity } from "@/lib/auth/identity";
import { consoleClients } from "@/lib/k8s/client";
import { namespaceExists } from "@/lib/k8s/state";
import { requireReleaseWriter } from "@/lib/notify/namespace-defaults";
import {
  BUILT_IN_PREFIX,
  BUILT_IN_TEMPLATES,
  type StepTemplateRequest,
  type StepTemplateView,
  type StepTemplatesResponse,
} from "@/lib/release/step-templates";
import { Conflict, Invalid, NotFound } from "./errors";
import { requireReadable } from "./visibility";

// Step plan templates: the built-in ones and those saved per namespace. Readers of a namespace
// see its templates; who may change releases there may save and delete them.

function view(t: StoredTemplate): StepTemplateView {
  return {
    name: t.name,
    namespace: t.namespace,
    builtIn: false,
    steps: t.steps as StepTemplateView["steps"],
    analysis: (t.analysis ?? null) as StepTemplateView["analysis"],
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
  };
}

export async function stepTemplates(namespace: string, reader: Identity): Promise<StepTemplatesResponse> {
  await requireReadable(reader, namespace);
  const saved = await listStepTemplates(db(), namespace);
  return { templates: [...BUILT_IN_TEMPLATES, ...saved.map(view)] };
}

async function requireNamespace(namespace: string): Promise<void> {
  // Asked as the console: a release writer need not be allowed to read cluster-scoped Namespaces.
  if (!(await namespaceExists(consoleClients(), namespace)))
    throw new NotFound(localized("err.inventory.namespaceNotFound", { namespace }));
}

export async function saveStepTemplate(
  namespace: string,
  body: StepTemplateRequest,
  actor: Identity,
): Promise<StepTemplateView> {
  await requireReleaseWriter(actor, namespace);
  await requireNamespace(namespace);
  const saved = await insertStepTemplate(db(), {
    namespace,
    name: body.name,
    steps: body.steps,
    analysis: body.analysis ?? null,
    createdBy: actor.name,
  });
  if (!saved) throw new Conflict(localized("err.stepTemplates.exists", { name: body.name, namespace }));
  return view(saved);
}

export async function removeStepTemplate(namespace: string, name: string, actor: Identity): Promise<void> {
  await requireReleaseWriter(actor, namespace);
  if (name.startsWith(BUILT_IN_PREFIX)) throw new Invalid(localized("err.stepTemplates.builtIn", { name }));
  if (!(await deleteStepTemplate(db(), namespace, name)))
    throw new NotFound(localized("err.stepTemplates.notFound", { name, namespace }));
}
