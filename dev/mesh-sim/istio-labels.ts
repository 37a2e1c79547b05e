// PURE: the label set Istio's stats filter puts on istio_requests_total and
// istio_request_duration_milliseconds, for each of its two reporters, restated from
// istio/proxy source/extensions/filters/http/istio_stats/istio_stats.cc (populatePeerInfo,
// populateFlagsAndConnectionSecurity). What this file encodes, because the console relies on it:
//
//  - reporter="destination" (the server sidecar): destination_* describe the pod itself;
//    source_* come from the caller's peer metadata ("unknown" when absent,
//    source_canonical_revision "latest"); connection_security_policy "mutual_tls".
//  - reporter="source" (the client sidecar, and gateways): source_* describe the caller;
//    destination_* come from the upstream peer. When no upstream host answered (no healthy
//    upstream, no route, fault abort) there is no peer: destination_workload, _app, _version,
//    _canonical_service, _principal, _cluster and even destination_service_namespace are
//    "unknown", destination_canonical_revision is "latest". When a host was picked but did not
//    answer (timeout), the peer comes from the endpoint's metadata, which carries workload,
//    namespace, canonical service and revision but NOT app and version ("Endpoint encoding
//    does not have app and version"). destination_service(_name) come from the chosen cluster's
//    metadata, else from the Host header. connection_security_policy is "unknown" (only the
//    server side sets it).

/** Every label Istio's standard metrics carry, in a fixed order (the exposition is sorted anyway). */
export const ISTIO_LABEL_NAMES = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_code",
  "response_flags",
  "connection_security_policy",
] as const;
export type IstioLabelName = (typeof ISTIO_LABEL_NAMES)[number];
export type IstioLabels = Record<IstioLabelName, string>;

/** A proxy's own identity (its node metadata): a pod of a workload, or the ingress gateway. */
export interface Workload {
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  serviceAccount: string;
}

/** The service an Envoy cluster was built for (its `istio.services[0]` metadata). */
export interface ServiceIdentity {
  host: string;
  name: string;
  namespace: string;
}

const UNKNOWN = "unknown";
const LATEST = "latest";
export const CLUSTER_ID = "Kubernetes";
const TRUST_DOMAIN = "cluster.local";

/** service.istio.io/canonical-name as the sidecar injector derives it (istio/istio pkg/kube/labels). */
export function canonicalService(w: Workload): string {
  const l = w.labels;
  return l["service.istio.io/canonical-name"] ?? l["app.kubernetes.io/name"] ?? l.app ?? w.name;
}

/** service.istio.io/canonical-revision: the version label, else "latest". */
export function canonicalRevision(w: Workload): string {
  const l = w.labels;
  return l["service.istio.io/canonical-revision"] ?? l["app.kubernetes.io/version"] ?? l.version ?? LATEST;
}

export function principalOf(w: Workload): string {
  return `spiffe://${TRUST_DOMAIN}/ns/${w.namespace}/sa/${w.serviceAccount}`;
}

/** What the other side of the request is known as: full metadata, only the endpoint's, or nothing. */
export type Peer = { kind: "exchanged"; workload: Workload } | { kind: "endpoint"; workload: Workload } | null;

/**
 * Envoy prints several response flags comma-separated in this order
 * (envoy source/common/stream_info/utility.h ALL_RESPONSE_STRING_FLAGS).
 */
const ENVOY_FLAG_ORDER = [
  "LH",
  "UH",
  "UT",
  "LR",
  "UR",
  "UF",
  "UC",
  "UO",
  "NR",
  "DI",
  "FI",
  "RL",
  "UAEX",
  "RLSE",
  "DC",
  "URX",
  "SI",
  "IH",
  "DPE",
  "UMSDR",
  "RFCF",
  "NFCF",
  "DT",
  "UPE",
  "NC",
  "OM",
];

/** response_flags as Envoy formats it: "-" for none, else the short flags in Envoy's order. */
export function formatResponseFlags(flags: readonly string[]): string {
  if (flags.length === 0) return "-";
  const rank = (f: string) => {
    const i = ENVOY_FLAG_ORDER.indexOf(f);
    return i < 0 ? ENVOY_FLAG_ORDER.length : i;
  };
  return [...new Set(flags)].sort((a, b) => rank(a) - rank(b)).join(",");
}

const orUnknown = (v: string | undefined) => (v === undefined || v === "" ? UNKNOWN : v);

function upstreamPeerLabels(peer: Peer) {
  const w = peer?.workload;
  const full = peer?.kind === "exchanged";
  return {
    destination_workload: orUnknown(w?.name),
    destination_workload_namespace: orUnknown(w?.namespace),
    destination_principal: w ? principalOf(w) : UNKNOWN,
    destination_app: full ? orUnknown(w?.labels.app) : UNKNOWN,
    destination_version: full ? orUnknown(w?.labels.version) : UNKNOWN,
    destination_canonical_service: w ? canonicalService(w) : UNKNOWN,
    destination_canonical_revision: w ? canonicalRevision(w) : LATEST,
    destination_service_namespace: orUnknown(w?.namespace),
    destination_cluster: w ? CLUSTER_ID : UNKNOWN,
  };
}

export interface SourceReport {
  caller: Workload;
  peer: Peer;
  /** The chosen cluster's service; null when none was chosen (no route, no such cluster). */
  service: ServiceIdentity | null;
  /** The Host header, istio_stats' fallback for destination_service(_name). */
  authority: string;
  code: number;
  flags: readonly string[];
}

/** reporter="source": what the caller's sidecar (or the gateway) counts. */
export function sourceLabels(r: SourceReport): IstioLabels {
  const c = r.caller;
  return {
    reporter: "source",
    source_workload: c.name,
    source_workload_namespace: c.namespace,
    source_principal: r.peer ? principalOf(c) : UNKNOWN,
    source_app: c.labels.app ?? "",
    source_version: c.labels.version ?? "",
    source_canonical_service: canonicalService(c),
    source_canonical_revision: canonicalRevision(c),
    source_cluster: CLUSTER_ID,
    ...upstreamPeerLabels(r.peer),
    destination_service: r.service?.host ?? orUnknown(r.authority),
    destination_service_name: r.service?.name ?? orUnknown(r.authority),
    request_protocol: "http",
    response_code: String(r.code),
    response_flags: formatResponseFlags(r.flags),
    connection_security_policy: UNKNOWN,
  };
}

export interface DestinationReport {
  /** The caller, known from the metadata its sidecar sent along. */
  caller: Workload;
  /** The pod that served the request. */
  server: Workload;
  service: ServiceIdentity;
  code: number;
}

/** reporter="destination": what the serving pod's sidecar counts. */
export function destinationLabels(r: DestinationReport): IstioLabels {
  const c = r.caller;
  const s = r.server;
  return {
    reporter: "destination",
    source_workload: c.name,
    source_workload_namespace: c.namespace,
    source_principal: principalOf(c),
    source_app: orUnknown(c.labels.app),
    source_version: orUnknown(c.labels.version),
    source_canonical_service: canonicalService(c),
    source_canonical_revision: canonicalRevision(c),
    source_cluster: CLUSTER_ID,
    destination_workload: s.name,
    destination_workload_namespace: s.namespace,
    destination_principal: principalOf(s),
    destination_app: s.labels.app ?? "",
    destination_version: s.labels.version ?? "",
    destination_service: r.service.host,
    destination_service_name: r.service.name,
    destination_service_namespace: s.namespace,
    destination_canonical_service: canonicalService(s),
    destination_canonical_revision: canonicalRevision(s),
    destination_cluster: CLUSTER_ID,
    request_protocol: "http",
    response_code: String(r.code),
    response_flags: "-",
    connection_security_policy: "mutual_tls",
  };
}
