// Gateway API v1 (gateway.networking.k8s.io/v1, standard channel of sigs.k8s.io/gateway-api
// v1.6.3), only the HTTPRoute fields the console reads or writes; every other field is carried
// through untouched (index signatures), which is how foreign rules survive byte for byte. PURE.
// Field meanings and defaults: config/crd/standard/gateway.networking.k8s.io_httproutes.yaml of
// that module (https://gateway-api.sigs.k8s.io/reference/spec/#httproute).
import type { K8sObject } from "../types";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const GATEWAY_API_VERSION = `${GATEWAY_GROUP}/v1`;

/**
 * parentRefs[]: a Gateway (north-south; group defaults to gateway.networking.k8s.io, kind to
 * Gateway) or, for mesh routing (GAMMA, GEP-1426), a Service: group "" and kind Service.
 */
export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
  [k: string]: unknown;
}

/** A backendRef of a rule or a RequestMirror filter: group "" and kind Service by default; port is required for a Service. */
export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  [k: string]: unknown;
}

/** rules[].backendRefs[]: weight defaults to 1 and is relative to the rule's other backendRefs (0 = none). */
export interface HTTPBackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}

/** RequestMirror: `percent` (0-100) or `fraction`, never both; neither = 100% (HTTPRequestMirrorFilter). */
export interface HTTPRequestMirrorFilter {
  backendRef: BackendObjectReference;
  percent?: number;
  fraction?: { numerator: number; denominator?: number };
  [k: string]: unknown;
}

export interface HTTPRouteFilter {
  type: string;
  requestMirror?: HTTPRequestMirrorFilter;
  [k: string]: unknown;
}

/** Header matches: type Exact (the default) or RegularExpression; names compare case-insensitively. */
export interface HTTPHeaderMatch {
  type?: "Exact" | "RegularExpression";
  name: string;
  value: string;
}
export interface HTTPQueryParamMatch {
  type?: "Exact" | "RegularExpression";
  name: string;
  value: string;
}
export interface HTTPPathMatch {
  type?: "Exact" | "PathPrefix" | "RegularExpression";
  value?: string;
}

/** One match: its conditions are ANDed; a rule's matches are ORed. An absent path is PathPrefix "/" (defaulted by the API server). */
export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPHeaderMatch[];
  queryParams?: HTTPQueryParamMatch[];
  method?: string;
  [k: string]: unknown;
}

export interface HTTPRouteRule {
  /** Unique within the route when set (GEP-995): the console names and finds the rules it owns by it. */
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: HTTPBackendRef[];
  [k: string]: unknown; // timeouts, retry, sessionPersistence... preserved
}

export interface HTTPRouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: HTTPRouteRule[];
  [k: string]: unknown;
}

export interface HTTPRouteObject extends K8sObject {
  spec: HTTPRouteSpec;
}
