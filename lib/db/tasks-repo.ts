import "server-only";
import type { Db } from "./client";
import type { ReleaseTask, TaskEvent } from "./generated/sqlite/client";

// The only place that knows how tasks and events are stored. JSON columns are text
// (portable across SQLite and PostgreSQL); callers get parsed objects back.

export type TaskRow = ReleaseTask;
export type EventRow = TaskEvent;

export { ACTIVE_STATES, isActiveState } from "@/lib/release/terminal";
import { isActiveState } from "@/lib/release/terminal";

export interface NewTask {
  name: string;
  namespace: string;
  service: string;
  strategy: string;
  state: string;
  baseVersion: string;
  newVersion: string;
  spec: unknown;
  status: unknown;
  createdBy: string;
}

export function activeKeyOf(namespace: string, service: string) {
  return `${namespace}/${service}`;
}
export function nameKeyOf(namespace: string, name: string) {
  return `${namespace}/${name}`;
}

export async function insertTask(db: Db, t: NewTask): Promise<TaskRow> {
  return db.releaseTask.create({
    data: {
      name: t.name,
      namespace: t.namespace,
      service: t.service,
      strategy: t.strategy,
      state: t.state,
      baseVersion: t.baseVersion,
      newVersion: t.newVersion,
      spec: JSON.stringify(t.spec),
      status: JSON.stringify(t.status),
      createdBy: t.createdBy,
      nameKey: nameKeyOf(t.namespace, t.name),
      activeKey: isActiveState(t.state) ? activeKeyOf(t.namespace, t.service) : null,
    },
  });
}

export async function findTask(db: Db, id: string): Promise<TaskRow | null> {
  return db.releaseTask.findUnique({ where: { id } });
}

export async function findActiveTaskForService(db: Db, namespace: string, service: string): Promise<TaskRow | null> {
  return db.releaseTask.findUnique({ where: { activeKey: activeKeyOf(namespace, service) } });
}

export async function findTaskByName(db: Db, namespace: string, name: string): Promise<TaskRow | null> {
  return db.releaseTask.findUnique({ where: { nameKey: nameKeyOf(namespace, name) } });
}

export async function activeTasksInNamespace(db: Db, namespace: string): Promise<TaskRow[]> {
  return db.releaseTask.findMany({ where: { namespace, activeKey: { not: null } } });
}

/** `namespaces`: only tasks in these (the caller may read them); undefined: every namespace. */
export interface TaskQuery {
  namespace?: string;
  namespaces?: string[];
  state?: string;
  service?: string;
  strategy?: string;
  q?: string;
  page: number;
  pageSize: number;
}

function namespaceWhere(namespace: string | undefined, namespaces: string[] | undefined) {
  if (namespaces && namespace)
    return { namespace: namespaces.includes(namespace) ? namespace : { in: [] as string[] } };
  if (namespaces) return { namespace: { in: namespaces } };
  return namespace ? { namespace } : {};
}

/** Every namespace that has release tasks (to ask which of them the caller may read). */
export async function taskNamespaces(db: Db): Promise<string[]> {
  const rows = await db.releaseTask.findMany({ distinct: ["namespace"], select: { namespace: true } });
  return rows.map((r) => r.namespace);
}

export async function listTasks(db: Db, query: TaskQuery): Promise<{ rows: TaskRow[]; total: number }> {
  const where = {
    ...namespaceWhere(query.namespace, query.namespaces),
    ...(query.state ? { state: query.state } : {}),
    ...(query.service ? { service: query.service } : {}),
    ...(query.strategy ? { strategy: query.strategy } : {}),
    ...(query.q ? { name: { contains: query.q } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.releaseTask.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
    db.releaseTask.count({ where }),
  ]);
  return { rows, total };
}

export interface TaskUpdate {
  state: string;
  status: unknown;
  finished?: boolean;
  nameFreed?: boolean;
}

/** Optimistic update: succeeds only if nobody else changed the task since `revision` was read. */
export async function updateTaskIfRevision(db: Db, row: TaskRow, update: TaskUpdate): Promise<TaskRow | null> {
  const active = isActiveState(update.state);
  const res = await db.releaseTask.updateMany({
    where: { id: row.id, revision: row.revision },
    data: {
      state: update.state,
      status: JSON.stringify(update.status),
      revision: row.revision + 1,
      activeKey: active ? activeKeyOf(row.namespace, row.service) : null,
      ...(update.nameFreed ? { nameKey: null } : {}),
      ...(update.finished ? { finishedAt: new Date() } : {}),
    },
  });
  if (res.count === 0) return null;
  return db.releaseTask.findUnique({ where: { id: row.id } });
}

export async function deleteTask(db: Db, id: string): Promise<void> {
  await db.releaseTask.delete({ where: { id } });
}

export interface NewEvent {
  taskId: string;
  actor: string;
  /** As authenticated; absent for the reconciler's own events. */
  actorGroups?: string[] | null;
  actorSource?: string | null;
  action: string;
  before?: unknown;
  after?: unknown;
  resourceVersions?: Record<string, string>;
  result: "ok" | "error";
  error?: string;
  /** The error as a server catalog message (key + params), so history shows it in the reader's language. */
  errorText?: { key: string; params: Record<string, string | number> };
  note?: string;
}

export async function addEvent(db: Db, e: NewEvent): Promise<EventRow> {
  return db.taskEvent.create({
    data: {
      taskId: e.taskId,
      actor: e.actor,
      actorGroups: e.actorGroups ? JSON.stringify(e.actorGroups) : null,
      actorSource: e.actorSource ?? null,
      action: e.action,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      resourceVersions: e.resourceVersions ? JSON.stringify(e.resourceVersions) : null,
      result: e.result,
      error: e.error ?? null,
      errorText: e.errorText ? JSON.stringify(e.errorText) : null,
      note: e.note ?? null,
    },
  });
}

export async function listEvents(db: Db, taskId: string): Promise<EventRow[]> {
  return db.taskEvent.findMany({ where: { taskId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}

export interface AuditFilter {
  namespace?: string;
  namespaces?: string[];
  since?: Date;
  until?: Date;
  limit: number;
}
export type AuditRow = EventRow & { task: { name: string; namespace: string; service: string } };

/** Events across tasks, oldest first, with the task each belongs to (the audit export). */
export async function listAuditEvents(db: Db, f: AuditFilter): Promise<AuditRow[]> {
  return db.taskEvent.findMany({
    where: {
      ...(f.namespace || f.namespaces ? { task: namespaceWhere(f.namespace, f.namespaces) } : {}),
      ...(f.since || f.until
        ? { at: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } }
        : {}),
    },
    include: { task: { select: { name: true, namespace: true, service: true } } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: f.limit,
  });
}

export function parseJson<T>(text: string | null): T | null {
  return text == null ? null : (JSON.parse(text) as T);
}
