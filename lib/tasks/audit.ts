import "server-only";
import { db } from "@/lib/db/client";
import { listAuditEvents, parseJson, type AuditRow } from "@/lib/db/tasks-repo";
import type { AuditEvent, AuditResponse, RoutingSnapshot } from "./views";
import type { AuditQuery } from "./requests";
import type { Identity } from "@/lib/auth/identity";
import { visibleNamespaces } from "./visibility";

// The audit export: every recorded action of every task, oldest first, as JSON or CSV (what a
// compliance review or a spreadsheet wants). Until sign-in exists (issue 10) the caller may read
// all of it; with sign-in it will be limited to the namespaces the caller may read.

function auditEvent(e: AuditRow): AuditEvent {
  return {
    at: e.at.toISOString(),
    namespace: e.task.namespace,
    service: e.task.service,
    task: e.task.name,
    taskId: e.taskId,
    actor: e.actor,
    actorGroups: parseJson<string[]>(e.actorGroups),
    actorSource: e.actorSource,
    action: e.action,
    result: e.result === "ok" ? "ok" : "error",
    before: parseJson<RoutingSnapshot>(e.before),
    after: parseJson<RoutingSnapshot>(e.after),
    resourceVersions: parseJson<Record<string, string>>(e.resourceVersions),
    error: e.error,
    note: e.note,
  };
}

export async function auditEvents(q: AuditQuery, reader: Identity): Promise<AuditResponse> {
  const rows = await listAuditEvents(db(), {
    namespace: q.namespace,
    namespaces: await visibleNamespaces(reader),
    since: q.since ? new Date(q.since) : undefined,
    until: q.until ? new Date(q.until) : undefined,
    limit: q.limit,
  });
  return { events: rows.map(auditEvent), truncated: rows.length === q.limit };
}

const CSV_COLUMNS = [
  "at",
  "namespace",
  "service",
  "task",
  "taskId",
  "actor",
  "actorGroups",
  "actorSource",
  "action",
  "result",
  "weightsBefore",
  "weightsAfter",
  "resourceVersions",
  "error",
  "note",
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break. A cell that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with a quote
 * mark: an actor name or an error text is not the console's to trust (OWASP, CSV injection).
 */
export function csvCell(value: string | null): string {
  if (value === null || value === "") return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function weightsText(s: RoutingSnapshot | null): string | null {
  if (!s) return null;
  return Object.entries(s.weights)
    .map(([v, w]) => `${v}=${w}`)
    .join(" ");
}

export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = events.map((e) => [
    e.at,
    e.namespace,
    e.service,
    e.task,
    e.taskId,
    e.actor,
    e.actorGroups?.join(" ") ?? null,
    e.actorSource,
    e.action,
    e.result,
    weightsText(e.before),
    weightsText(e.after),
    e.resourceVersions
      ? Object.entries(e.resourceVersions)
          .map(([k, v]) => `${k}@${v}`)
          .join(" ")
      : null,
    e.error,
    e.note,
  ]);
  return `${[CSV_COLUMNS.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\r\n")}\r\n`;
}
