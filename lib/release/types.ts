// The release engine's shared vocabulary. PURE: no next/prisma/client-node imports.
// Kubernetes objects are plain JSON (as the API server returns them), typed just enough
// for the planner; unknown fields are carried through untouched (that is how we
// preserve other people's routes byte-for-byte).

import type { HTTPRouteObject } from "./routing/gateway-api-types";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  [k: string]: unknown;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  [k: string]: unknown;
}

// ---- Istio networking (only the fields the engine reads or writes) ----
export interface PortSelector {
  number?: number;
}
export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}
export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
  [k: string]: unknown;
}
export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}
export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  headers?: Record<string, StringMatch>;
  [k: string]: unknown;
}
export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  mirror?: Destination;
  mirrorPercentage?: { value: number };
  [k: string]: unknown; // retries, timeout, fault, rewrite, headers... preserved
}
export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  [k: string]: unknown;
}
export interface VirtualService extends K8sObject {
  spec: VirtualServiceSpec;
}
export interface Subset {
  name: string;
  labels?: Record<string, string>;
  [k: string]: unknown;
}
export interface DestinationRuleSpec {
  host: string;
  subsets?: Subset[];
  [k: string]: unknown;
}
export interface DestinationRule extends K8sObject {
  spec: DestinationRuleSpec;
}

// ---- core workloads (the subset of fields we touch) ----
export interface Container {
  name: string;
  image?: string;
  env?: unknown[];
  resources?: unknown;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  command?: string[];
  args?: string[];
  [k: string]: unknown;
}
export interface Deployment extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string>; [k: string]: unknown };
    template: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
      spec: { containers: Container[]; [k: string]: unknown };
    };
    [k: string]: unknown;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    [k: string]: unknown;
  };
}
export interface Service extends K8sObject {
  spec: {
    selector?: Record<string, string>;
    ports?: { port: number; name?: string; [k: string]: unknown }[];
    [k: string]: unknown;
  };
}

/** autoscaling/v2 HorizontalPodAutoscaler: only what the planner reads or copies. */
export interface HorizontalPodAutoscaler extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    [k: string]: unknown;
  };
}

/** What the planner is given about one service: read by lib/k8s, never fetched by the planner. */
export interface ServiceClusterState {
  namespace: string;
  service: Service;
  /** Deployments in the namespace whose pod template carries app=<service>. */
  deployments: Deployment[];
  destinationRule: DestinationRule | null;
  /** The VirtualService the task owns (writes its default route in). */
  virtualService: VirtualService | null;
  /**
   * Every VirtualService in the namespace whose hosts match the service, gateway-bound ones
   * included (the owned one too). Absent = only `virtualService` is known.
   */
  virtualServices?: VirtualService[];
  /** autoscaling/v2 HPAs in the namespace. Absent = none known. */
  hpas?: HorizontalPodAutoscaler[];
  /** false when the networking.istio.io CRDs are not installed (replica-canary still works). */
  istioAvailable: boolean;
  /**
   * gateway.networking.k8s.io/v1 HTTPRoutes in the namespace that attach to the service (GAMMA
   * parentRef kind Service) or send to it or its per-version Services. Absent = none known.
   */
  httpRoutes?: HTTPRouteObject[];
  /**
   * Services in the namespace that may address one version of the service: named `<service>-*`,
   * or selecting its pods plus a version label. Absent = none known.
   */
  versionServices?: Service[];
  /** false when the Gateway API CRDs are not installed. Absent = not read (treated as installed only if httpRoutes are given). */
  gatewayApiAvailable?: boolean;
}

export const STRATEGIES = ["canary", "blue-green", "ab-test", "mirror", "batch", "replica-canary"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const TASK_STATES = [
  "progressing",
  "awaiting-confirmation",
  "paused",
  "completed",
  "rolled-back",
  "aborted",
  "failed",
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const ACTIONS = [
  "setTraffic",
  "takeover",
  "switch",
  "rollback",
  "retireOld",
  "pause",
  "resume",
  "confirm",
  "abort",
  "resync",
  "acceptDrift",
  "promote",
  "promoteFull",
  "retry",
] as const;
export type ActionName = (typeof ACTIONS)[number];

/** Label/annotation keys the console stamps on what it creates or adopts. */
export const LABEL_TASK = "gray-console.io/task";
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "gray-console";
