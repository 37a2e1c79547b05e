// What a strategy wants the router to do for a task, in no router's terms: the strategy modules
// (lib/release/strategies) produce it from the spec and the task's status, and a routing backend
// (lib/release/routing/<backend>.ts: istio, gateway-api, none) turns it into writes of its own
// objects, owning only the task's routes. PURE (types only).
import type { MatchRule } from "../spec";

/** A route the task owns, evaluated before the default route: matched requests go to `weights`. */
export interface OwnedRouteIntent {
  /** "canary", "preview", "variant-<name>": the backend names the route after the task and this. */
  purpose: string;
  /** Alternatives, ORed; each alternative's rules are ANDed (header, cookie, uri, os, browser). */
  match: MatchRule[][];
  /** Share per version of the matched requests, summing to 100 (one version: 100). */
  weights: Record<string, number>;
  /** The spec field the rules came from ("traffic.match"), for errors a backend finds in them. */
  fieldPath: string;
}

export interface RoutingIntent {
  /** The service's default traffic: weighted (base and new always present), or all to one version. */
  defaultRoute: { weights: Record<string, number> } | { single: string };
  /** Mirror on the default route: set, remove (null), or leave as found (undefined). */
  mirror?: { version: string; percent: number } | null;
  /** The owned routes in force, in order. */
  owned: OwnedRouteIntent[];
  /** Versions the router must be able to address (Istio: DR subsets; Gateway API: per-version Services). */
  versions: string[];
  /** A version the router stops addressing (retire). */
  removeVersion?: string;
}
