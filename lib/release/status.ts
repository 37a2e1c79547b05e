// What the engine persists between actions of one task (Task.status in the DB). PURE,
// JSON-serialisable: only plain objects, arrays, strings, numbers, booleans and null.
import type { EntryRoute } from "./entry-routes";
import type { MovedRoute } from "./foreign-routes";
import type { GatewayRoutingStatus } from "./routing/gateway-api";
import type { MatchRule } from "./match-schema";
import type { StepState } from "./steps";
import type { DestinationRule, DestinationRuleSpec, Strategy, VirtualService, VirtualServiceSpec } from "./types";

export interface BatchProgress {
  /** Replicas added per group, e.g. [1, 5, 4] for R=10, G=3 with a beta group. */
  plan: number[];
  /** Groups rolled out so far (1 right after create). */
  current: number;
  /** Replicas of the base Deployment when the task started: the base shrinks from here. */
  baseInitialReplicas: number;
}

export interface TaskStatus {
  /** Task name: labels what the task creates and prefixes its owned routes. */
  task: string;
  strategy: Strategy;
  namespace: string;
  service: string;
  baseVersion: string;
  newVersion: string;
  /** The base Deployment that is copied and scaled. */
  baseDeployment: string;
  /** Every Deployment of the base version (retireOld deletes them all). */
  baseDeployments: string[];
  newDeployment: string;
  /**
   * "istio": traffic is steered by the VirtualService/DestinationRule.
   * "replicas": no mesh routing; the Service load-balances over pods, so traffic follows replica counts.
   * "gateway-api": an HTTPRoute steers it (routing/gateway-api.ts); its state is in `gatewayApi`.
   */
  routing: "istio" | "replicas" | "gateway-api";
  /** VS/DR names the task writes (null when it writes none). */
  virtualServiceName: string | null;
  destinationRuleName: string | null;
  /** Destination host string written into routes (reused from the adopted default route). */
  destinationHost: string;
  /** Port selector of the adopted default route's destination, kept on every destination we write. */
  destinationPort: { number?: number } | null;
  /**
   * version label -> the DR subset that selects it: one found selecting version=<label> (any name),
   * else one the task added, named by the label's DNS-1123 form (v1.0 -> v1-0). Only VS/DR objects
   * carry subset names; weights and everything the API shows are keyed by version label.
   */
  subsets: Record<string, string>;
  /** Configured default-route traffic per version (replica-canary/batch without mesh: the intended split). */
  weights: Record<string, number>;
  mirrorPercent: number | null;
  previewHeader: { name: string; value: string } | null;
  batch: BatchProgress | null;
  /** Names of the match routes the task currently has in the VirtualService (gc-<task>-<purpose>). */
  ownedRoutes: string[];
  /** replica-canary: the replica pool T shared by base and canary. */
  replicaPool: number | null;
  /** Exactly what was found before the task touched anything: abort restores this. */
  original: {
    virtualService: VirtualService | null;
    destinationRule: DestinationRule | null;
    baseReplicas: number;
  };
  /** The specs the task last wrote (or relies on): drift is measured against these. */
  lastApplied: {
    virtualServiceSpec: VirtualServiceSpec | null;
    destinationRuleSpec: DestinationRuleSpec | null;
  };
  /** What the task created (and abort therefore deletes). */
  created: { virtualService: boolean; destinationRule: boolean; deployment: boolean };
  takenOver: boolean;
  /**
   * HorizontalPodAutoscalers: the base's (found at create; retireOld deletes it) and the copy the
   * task created for the new Deployment (abort deletes it). Absent on tasks created before HPAs were handled.
   */
  hpa?: { base: string | null; copy: string | null };
  /** Foreign routes the task moved from the old version to the new one (moveRoutes), oldest first; abort moves them back. */
  movedRoutes?: MovedRoute[];
  /**
   * Routes of gateway-bound VirtualServices (the ingress gateway's) that carry the task's weights
   * too, taken at create (entry-routes.ts); abort puts their destinations back. Absent on tasks
   * created before entry routes were followed, and when the spec says routing.entryRoutes "ignore".
   */
  entryRoutes?: EntryRoute[];
  /** The gateway-api backend's state (routing "gateway-api" only): its HTTPRoute, rules, per-version Services, what it found. */
  gatewayApi?: GatewayRoutingStatus;
  /**
   * Where the task is in its step plan (spec.steps; lib/release/steps.ts). Absent: no steps, or
   * none started yet.
   */
  stepState?: StepState | null;
  /** Steps in the task's plan, set at create when the spec has steps (absent: none). */
  stepTotal?: number;
  /** Content canary: the match rules a setMatch step set (absent: the spec's traffic.match). */
  stepMatch?: MatchRule[] | null;
  /** Content canary: the share of matched requests a setWeight step set (absent: the spec's matchWeight). */
  stepMatchWeight?: number | null;
}
