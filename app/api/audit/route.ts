import { parseQuery, route } from "@/lib/api/route";
import { AuditQuery } from "@/lib/api/contracts";
import { auditCsv, auditEvents } from "@/lib/tasks/audit";

export const dynamic = "force-dynamic";

export const GET = route(async ({ request, actor }) => {
  const q = parseQuery(request, AuditQuery);
  const audit = await auditEvents(q, actor);
  if (q.format === "json") return Response.json(audit);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsv(audit.events), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="gray-console-audit-${q.namespace ?? "all"}-${day}.csv"`,
      ...(audit.truncated ? { "x-audit-truncated": "true" } : {}),
    },
  });
});
