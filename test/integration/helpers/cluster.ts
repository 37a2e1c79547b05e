// Shared plumbing for integration tests against the local control plane started by
// `npm run cluster:up` (dev/scripts/cluster.sh). Real API server, no mocks.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";

const repoRoot = path.resolve(__dirname, "../../..");

/** Written by `cluster.sh up`: admin (system:masters) credentials for the local cluster. */
export const LOCAL_KUBECONFIG = path.join(repoRoot, ".local/kubeconfig");

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Loads $KUBECONFIG, else .local/kubeconfig. Integration tests create and delete namespaces,
 * so a kubeconfig that points anywhere but this machine is refused unless
 * GC_ALLOW_REMOTE_CLUSTER=1: a stray KUBECONFIG in a shell must not aim them at a real cluster.
 */
export function loadKubeConfig(): k8s.KubeConfig {
  const file = process.env.KUBECONFIG || LOCAL_KUBECONFIG;
  if (!existsSync(file)) {
    throw new Error(`kubeconfig ${file} not found: start the local cluster with \`npm run cluster:up\``);
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`kubeconfig ${file} has no current cluster`);
  const host = new URL(server).hostname;
  if (!LOOPBACK_HOSTS.has(host) && process.env.GC_ALLOW_REMOTE_CLUSTER !== "1") {
    throw new Error(`refusing to run integration tests against ${server} (set GC_ALLOW_REMOTE_CLUSTER=1 to allow)`);
  }
  return kc;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Shown in the timeout error, e.g. "deployment web Ready". */
  description?: string;
}

/**
 * Polls `fn` until it returns something other than undefined/false/null and returns that value.
 * Errors thrown by `fn` count as "not yet" (the API may briefly 404 a just-created object);
 * the last one is reported if time runs out.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 60_000, intervalMs = 250, description = "condition" }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace (does not wait for finalization; KWOK removes its pods at once). */
  delete(): Promise<void>;
}

/** Creates a uniquely named namespace labelled for cleanup: `<prefix>-<random>`. */
export async function createTestNamespace(kc: k8s.KubeConfig, prefix = "it"): Promise<TestNamespace> {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const name = `${prefix}-${randomBytes(4).toString("hex")}`.slice(0, 63);
  await core.createNamespace({
    body: { metadata: { name, labels: { "gray-console.dev/test": "integration" } } },
  });
  return {
    name,
    async delete() {
      try {
        await core.deleteNamespace({ name });
      } catch (err) {
        if (!(err instanceof k8s.ApiException && err.code === 404)) throw err;
      }
    },
  };
}

/** The HTTP status of a failed client-node call, or undefined for other errors. */
export function apiErrorCode(err: unknown): number | undefined {
  return err instanceof k8s.ApiException ? err.code : undefined;
}

/** The `message` of a Kubernetes Status body from a failed call (client-node keeps it as a string or object). */
export function apiErrorMessage(err: unknown): string {
  if (!(err instanceof k8s.ApiException)) return err instanceof Error ? err.message : String(err);
  const body: unknown = err.body;
  if (typeof body === "string") {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed && typeof parsed === "object" && "message" in parsed && typeof parsed.message === "string") {
        return parsed.message;
      }
    } catch {
      return body;
    }
    return body;
  }
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return err.message;
}
