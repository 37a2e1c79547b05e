import { route } from "@/lib/api/route";
import { NamespaceParams } from "@/lib/api/params";
import { permissionsIn } from "@/lib/auth/access";

export const dynamic = "force-dynamic";

/** What the caller may do in the namespace, as the apiserver answers (the UI disables what it may not). */
export const GET = route<{ ns: string }>(async ({ params, actor }) =>
  Response.json(await permissionsIn(actor, NamespaceParams.parse(params).ns)),
);
