// The colours of a task page's versions: assigned once, passed to every panel. PURE.
import type { TaskDetail } from "@/lib/api/contracts";
import { versionColours, type VersionColours } from "@/components/routing/version-colours";

/** The task's base version blue, its new version green, the service's other versions the palette. */
export function taskColours(
  task: Pick<TaskDetail, "versions" | "baseVersion" | "newVersion" | "weights">,
): VersionColours {
  const versions = [
    ...task.versions.map((v) => v.version),
    ...Object.keys(task.weights),
    task.baseVersion,
    task.newVersion,
  ];
  return versionColours({ versions, base: task.baseVersion, next: task.newVersion });
}
