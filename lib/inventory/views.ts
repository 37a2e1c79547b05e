// What the inventory use-cases answer (health, cluster, namespaces, services), as zod schemas:
// the one source of these shapes. lib/api/contracts registers them per route (OpenAPI, response
// checks); this module knows nothing of HTTP.
import { z } from "zod";
import type { Same } from "@/lib/type-check";
import type * as routing from "@/lib/release/routing";
import type * as entry from "@/lib/release/entry-routes";

const text = z.string();
const count = z.number().int();
const weights = z.record(z.string(), z.number()).describe("traffic share (0-100) per version label");

export const HealthResponse = z
  .object({
    kubernetes: z.object({ ok: z.boolean(), version: text.nullable(), error: text.optional() }),
    database: z.object({ ok: z.boolean(), kind: z.enum(["sqlite", "postgresql"]), error: text.optional() }),
    prometheus: z.object({ ok: z.boolean(), url: text, error: text.optional() }),
    reconciler: z
      .object({
        lease: text,
        identity: text.nullable(),
        leader: z.boolean(),
        holder: text.nullable(),
        error: text.optional(),
      })
      .describe("the task reconciler's leader election: exactly one console process writes to the cluster"),
  })
  .meta({ id: "HealthResponse" });
export type HealthResponse = z.infer<typeof HealthResponse>;

export const NodeSummary = z
  .object({
    name: text,
    ready: z.boolean(),
    fake: z.boolean(),
    cpu: text.nullable(),
    memory: text.nullable(),
    pods: text.nullable(),
    createdAt: text.nullable(),
  })
  .meta({ id: "NodeSummary" });
export type NodeSummary = z.infer<typeof NodeSummary>;

export const ClusterResponse = z
  .object({
    version: text,
    nodes: z.array(NodeSummary),
    namespaces: count.describe("how many namespaces the user may see"),
    nodesHidden: z.boolean().optional().describe("the user may not list Nodes (RBAC), so `nodes` is empty"),
  })
  .meta({ id: "ClusterResponse" });
export type ClusterResponse = z.infer<typeof ClusterResponse>;

export const NamespaceSummary = z
  .object({ name: text, phase: text, createdAt: text.nullable(), labels: z.record(z.string(), z.string()) })
  .meta({ id: "NamespaceSummary" });
export type NamespaceSummary = z.infer<typeof NamespaceSummary>;
export const NamespacesResponse = z
  .object({ namespaces: z.array(NamespaceSummary) })
  .meta({ id: "NamespacesResponse" });
export type NamespacesResponse = z.infer<typeof NamespacesResponse>;

// ---- routing as read from the service's VirtualService (lib/release/routing, entry-routes) ----

export const MatchCondition = z
  .object({
    field: z.enum(["header", "query", "withoutHeader", "uri", "method", "scheme", "authority", "other"]),
    name: text.optional().describe("the header/query name, or the Istio field's name for `other`"),
    op: z.enum(["exact", "prefix", "regex", "present", "other"]),
    value: text.optional().describe("the compared value as JSON"),
  })
  .meta({ id: "MatchCondition" });
true satisfies Same<z.infer<typeof MatchCondition>, routing.MatchCondition>;

const conditions = z.array(z.array(MatchCondition)).describe("alternatives (ORed), each a list of conditions (ANDed)");

export const RoutingReading = z
  .object({
    virtualService: text.nullable(),
    defaultRoute: z.object({ weights, mirror: z.object({ subset: text, percent: z.number() }).optional() }).nullable(),
    matchRoutes: z.array(
      z.object({ name: text.optional(), match: text.describe("English, for scripts"), conditions, weights }),
    ),
    note: z.literal("no VirtualService").optional(),
    router: z
      .object({
        backend: z.enum(["istio", "gateway-api", "none"]),
        kind: z.enum(["VirtualService", "HTTPRoute"]).nullable(),
        name: text.nullable(),
      })
      .optional()
      .describe("which router carries the routing (istio, gateway-api, none) and in which object"),
  })
  .describe(
    "weights per version label of the default route of the VirtualService (subsets read as the versions their labels select) or of the HTTPRoute (per-version Services read as their versions); match routes listed separately",
  )
  .meta({ id: "RoutingReading" });
true satisfies Same<z.infer<typeof RoutingReading>, routing.RoutingReading>;

export const VersionGroup = z.object({
  version: text,
  deployments: z.array(text),
  image: text,
  replicas: z.object({ ready: count, desired: count }),
});
true satisfies Same<z.infer<typeof VersionGroup>, routing.VersionGroup>;

export const EntryRouteReading = z
  .object({
    id: text.describe("<virtualService>/<route name or http[i]>"),
    virtualService: text,
    route: text.describe("the route's name, else http[i]"),
    gateways: z.array(text),
    match: text,
    conditions,
    weights: weights.nullable().describe("live weights per version label; null when the route is gone"),
  })
  .describe("a route of a gateway-bound VirtualService (the ingress gateway's) that sends users to the service")
  .meta({ id: "EntryRouteReading" });
export type EntryRouteReading = z.infer<typeof EntryRouteReading>;
true satisfies Same<EntryRouteReading, entry.EntryRouteReading>;

// ---- services ----

export const ActiveTaskRef = z
  .object({ id: text, name: text, state: text, strategy: text, baseVersion: text, newVersion: text })
  .describe("the service's active release task; base and new versions are coloured as on the task page")
  .meta({ id: "ActiveTaskRef" });
export type ActiveTaskRef = z.infer<typeof ActiveTaskRef>;

export const ServiceOverview = z
  .object({
    name: text,
    namespace: text,
    ports: z.array(z.object({ port: count, name: text.optional(), protocol: text.optional() })),
    selector: z.record(z.string(), z.string()),
    versions: z.array(VersionGroup),
    routing: RoutingReading,
    entryRoutes: z.array(EntryRouteReading),
    destinationRule: z.object({ name: text, subsets: z.array(text) }).nullable(),
    activeTask: ActiveTaskRef.nullable(),
  })
  .meta({ id: "ServiceOverview" });
export type ServiceOverview = z.infer<typeof ServiceOverview>;

export const ServicesResponse = z
  .object({ namespace: text, istioAvailable: z.boolean(), services: z.array(ServiceOverview) })
  .meta({ id: "ServicesResponse" });
export type ServicesResponse = z.infer<typeof ServicesResponse>;
export const ServiceResponse = z
  .object({ service: ServiceOverview, istioAvailable: z.boolean() })
  .meta({ id: "ServiceResponse" });
export type ServiceResponse = z.infer<typeof ServiceResponse>;
