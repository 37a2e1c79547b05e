// The seam between strategies and routers: a task's routing intent (what its strategy module
// asks for, in no router's terms) -> the writes of the router the task uses and the status parts
// they leave. Every planner step that changes routing comes through here. Today each task is
// routed by Istio (VirtualService + DestinationRule, mesh.ts); a routing backend per task plugs
// in here. PURE.
import { renderMesh, type MeshWrites, type RenderOptions } from "./mesh";
import type { RoutingIntent } from "./routing/intent";
import type { TaskStatus } from "./status";
import type { ServiceClusterState } from "./types";

export type { RenderOptions } from "./mesh";
export type RouterWrites = MeshWrites;

export function renderRouting(
  intent: RoutingIntent,
  status: TaskStatus,
  cluster: ServiceClusterState,
  opts: RenderOptions,
): RouterWrites {
  return renderMesh(intent, status, cluster, opts);
}
