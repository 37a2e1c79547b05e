// The query strings the release read models take, as the validators the handlers parse with
// (lib/api/contracts registers them in the OpenAPI document). Zod only: no server imports.
import { z } from "zod";
import { dnsLabel } from "@/lib/release/spec";
import { STRATEGIES, TASK_STATES } from "@/lib/release/types";

/** GET /api/tasks: filters and the page, newest first. */
export const TaskListQuery = z.object({
  namespace: z.string().max(63).optional(),
  state: z.enum(TASK_STATES).optional(),
  service: z.string().max(63).optional(),
  strategy: z.enum(STRATEGIES).optional(),
  q: z.string().max(100).optional().describe("a substring of the task's name or service"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;

const isoTime = z.iso.datetime({ offset: true, error: "must be an RFC 3339 time, e.g. 2026-12-06T08:00:00Z" });

/** GET /api/audit: `since` inclusive, `until` exclusive. */
export const AuditQuery = z
  .object({
    namespace: dnsLabel.optional(),
    since: isoTime.optional(),
    until: isoTime.optional(),
    format: z.enum(["json", "csv"]).default("json"),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
  .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
    path: ["until"],
    error: "must be later than since",
  });
export type AuditQuery = z.infer<typeof AuditQuery>;
