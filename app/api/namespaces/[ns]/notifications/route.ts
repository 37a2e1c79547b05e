import { readJson, route } from "@/lib/api/route";
import { NamespaceParams } from "@/lib/api/params";
import { NamespaceNotificationsRequest } from "@/lib/notify/schema";
import { namespaceNotifications, setNamespaceNotifications } from "@/lib/notify/namespace-defaults";

export const dynamic = "force-dynamic";

/** The namespace's default notification targets (used by tasks that list none), without secrets. */
export const GET = route<{ ns: string }>(async ({ params, actor }) =>
  Response.json(await namespaceNotifications(NamespaceParams.parse(params).ns, actor)),
);

/** Replaces them: {"targets": [{"type", "url", "secret"?}]}. */
export const PUT = route<{ ns: string }>(async ({ params, actor, request }) => {
  const { ns } = NamespaceParams.parse(params);
  const body = await readJson(request, NamespaceNotificationsRequest);
  return Response.json(await setNamespaceNotifications(ns, body.targets, actor));
});
