import "server-only";
import type { Db } from "./client";

// Storage of step plan templates saved per namespace (lib/tasks/step-templates.ts).

export interface StoredTemplate {
  name: string;
  namespace: string;
  steps: unknown;
  analysis: unknown;
  createdBy: string;
  createdAt: Date;
}

type Row = {
  name: string;
  namespace: string;
  steps: string;
  analysis: string | null;
  createdBy: string;
  createdAt: Date;
};

function stored(row: Row): StoredTemplate {
  return {
    name: row.name,
    namespace: row.namespace,
    steps: JSON.parse(row.steps) as unknown,
    analysis: row.analysis === null ? null : (JSON.parse(row.analysis) as unknown),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export async function listStepTemplates(db: Db, namespace: string): Promise<StoredTemplate[]> {
  const rows = await db.stepTemplate.findMany({ where: { namespace }, orderBy: { name: "asc" } });
  return rows.map(stored);
}

/** Inserts a template; false when the namespace already has one of that name. */
export async function insertStepTemplate(db: Db, t: Omit<StoredTemplate, "createdAt">): Promise<StoredTemplate | null> {
  try {
    const row = await db.stepTemplate.create({
      data: {
        namespace: t.namespace,
        name: t.name,
        steps: JSON.stringify(t.steps),
        analysis: t.analysis === null || t.analysis === undefined ? null : JSON.stringify(t.analysis),
        createdBy: t.createdBy,
      },
    });
    return stored(row);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e?.code === "P2002" || /unique constraint/i.test(e?.message ?? "")) return null;
    throw err;
  }
}

/** Deletes a template; false when there was none. */
export async function deleteStepTemplate(db: Db, namespace: string, name: string): Promise<boolean> {
  const res = await db.stepTemplate.deleteMany({ where: { namespace, name } });
  return res.count > 0;
}
