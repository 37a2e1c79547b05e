import "server-only";
import { db } from "@/lib/db/client";
import { activeTasksInNamespace } from "@/lib/db/tasks-repo";
import type { ActiveTaskRef } from "@/lib/inventory/views";

/** service name -> its active task, for the services overview. */
export async function activeTaskRefs(namespace: string): Promise<Map<string, ActiveTaskRef>> {
  const rows = await activeTasksInNamespace(db(), namespace);
  return new Map(
    rows.map((r) => [
      r.service,
      {
        id: r.id,
        name: r.name,
        state: r.state,
        strategy: r.strategy,
        baseVersion: r.baseVersion,
        newVersion: r.newVersion,
      },
    ]),
  );
}
