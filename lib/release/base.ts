// Which version a task starts from, and the guard that a cluster state is for the task's service. PURE.
import { fieldErrorOf } from "./errors";
import { versionDeploymentName } from "./new-deployment";
import {
  ANY_SUBSET,
  deploymentVersion,
  findDefaultRoute,
  groupVersions,
  routeWeights,
  subsetVersions,
  templateLabels,
} from "./routing";
import type { TaskSpec } from "./spec";
import type { Deployment, ServiceClusterState } from "./types";

export interface BaseInfo {
  version: string;
  deployments: Deployment[];
  primary: Deployment;
}

export function detectBase(
  spec: Pick<TaskSpec, "service" | "baseVersion">,
  cluster: ServiceClusterState,
  readMesh: boolean,
): BaseInfo {
  const svc = spec.service;
  let version = spec.baseVersion;
  if (version === undefined && readMesh && cluster.virtualService) {
    const vs = cluster.virtualService;
    const d = findDefaultRoute(vs, svc, cluster.namespace);
    const route = d >= 0 ? vs.spec.http?.[d] : undefined;
    if (route) {
      // By version, not subset: two subsets selecting v1.0 (stable, v1-0) are one version's traffic.
      const weights = Object.entries(
        routeWeights(route.route ?? [], svc, cluster.namespace, subsetVersions(cluster.destinationRule)),
      ).filter(([k]) => k !== ANY_SUBSET && !k.includes("/"));
      const top = Math.max(...weights.map(([, w]) => w));
      const leaders = weights.filter(([, w]) => w === top);
      if (leaders.length > 1)
        throw fieldErrorOf("baseVersion", "err.base.tie", { versions: leaders.map(([k]) => k).join(", "), top });
      version = leaders[0]?.[0];
    }
  }
  if (version === undefined) {
    const versions = groupVersions(cluster.deployments, svc);
    if (versions.length === 0) throw fieldErrorOf("service", "err.base.noDeployment", { service: svc }, "not_found");
    if (versions.length > 1)
      throw fieldErrorOf("baseVersion", "err.base.ambiguous", {
        service: svc,
        versions: versions.map((v) => v.version).join(", "),
      });
    version = versions[0]?.version;
  }
  const wanted = version ?? "";
  const deployments = cluster.deployments
    .filter((d) => templateLabels(d).app === svc && deploymentVersion(d) === wanted)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  // The one named for the version, as a person (reviews-v1.0) or the console (reviews-v1-0) names it.
  const named = [`${svc}-${wanted}`, versionDeploymentName(svc, wanted)];
  const primary = deployments.find((d) => named.includes(d.metadata.name)) ?? deployments[0];
  if (!primary) throw fieldErrorOf("baseVersion", "err.base.notFound", { service: svc, version: wanted }, "not_found");
  return { version: wanted, deployments, primary };
}

export function checkTarget(spec: Pick<TaskSpec, "namespace" | "service">, cluster: ServiceClusterState): void {
  if (spec.namespace !== cluster.namespace)
    throw fieldErrorOf("namespace", "err.base.otherNamespace", { actual: cluster.namespace, wanted: spec.namespace });
  if (spec.service !== cluster.service.metadata.name)
    throw fieldErrorOf("service", "err.base.otherService", {
      actual: cluster.service.metadata.name,
      wanted: spec.service,
    });
}
