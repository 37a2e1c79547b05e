// A TaskDetail as the API returns it for a Bookinfo reviews canary; tests override fields.
import type { TaskDetail } from "@/lib/api/contracts";

export function sampleTask(overrides: Partial<TaskDetail> = {}): TaskDetail {
  return {
    id: "t1",
    name: "reviews-canary",
    namespace: "bookinfo",
    service: "reviews",
    strategy: "canary",
    state: "progressing",
    baseVersion: "v1",
    newVersion: "v4",
    weights: { v1: 80, v4: 20 },
    mirrorPercent: null,
    createdBy: "alice",
    createdAt: "2026-01-10T12:00:00Z",
    updatedAt: "2026-01-10T12:00:00Z",
    finishedAt: null,
    spec: {
      name: "reviews-canary",
      namespace: "bookinfo",
      service: "reviews",
      strategy: "canary",
      newVersion: { version: "v4", image: "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3", replicas: 1 },
      traffic: { weights: { v1: 80, v4: 20 } },
    },
    revision: 3,
    allowedActions: ["setTraffic", "takeover", "rollback", "abort", "resync", "acceptDrift"],
    batch: null,
    previewHeader: null,
    versions: [
      { version: "v1", role: "base", deployments: ["reviews-v1"], image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3", replicas: { ready: 1, desired: 1 }, weight: 80, createdAt: null, pods: [] },
      { version: "v2", role: "other", deployments: ["reviews-v2"], image: "docker.io/istio/examples-bookinfo-reviews-v2:1.20.3", replicas: { ready: 1, desired: 1 }, weight: null, createdAt: null, pods: [] },
      { version: "v4", role: "new", deployments: ["reviews-v4"], image: "docker.io/istio/examples-bookinfo-reviews-v3:1.20.3", replicas: { ready: 1, desired: 1 }, weight: 20, createdAt: null, pods: [] },
    ],
    routing: { virtualService: "reviews", defaultRoute: { weights: { v1: 80, v4: 20 } }, matchRoutes: [] },
    entryRoutes: [],
    foreignRoutes: [],
    drift: null,
    operation: null,
    notifications: [],
    ...overrides,
  };
}
