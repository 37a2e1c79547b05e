// Starts an extra console instance (the production build in .next) with its own
// environment, for tests that need a different database or a different cluster.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { waitFor } from "./cluster";

const root = path.resolve(__dirname, "../../..");

export interface ConsoleInstance {
  baseUrl: string;
  pid: number;
  stop(): void;
  kill9(): void;
  exited: Promise<number | null>;
}

/**
 * Each instance elects its own reconciler leader on a Lease named after its port, unless the test
 * passes GC_LEADER_LEASE (consoles that share a database must share the lease).
 */
export async function startConsole(
  port: number,
  env: Record<string, string>,
  opts: { waitHealthy?: boolean; logName?: string } = {},
): Promise<ConsoleInstance> {
  if (!existsSync(path.join(root, ".next/BUILD_ID")))
    throw new Error("no production build: run `npx next build` (npm test does) first");
  // A console already on the port would answer the health check in this one's place.
  if (
    await fetch(`http://127.0.0.1:${port}/api/health`).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is already serving: pick another GC_TEST_*_PORT`);
  mkdirSync(path.join(root, ".local/logs"), { recursive: true });
  const log = openSync(path.join(root, `.local/logs/${opts.logName ?? `it-console-${port}`}.log`), "a");
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, GC_LEADER_LEASE: `gray-console-it-${port}`, ...env },
    // Each instance's output goes to .local/logs/it-console-<port>.log, or <logName>.log (appended), for post-mortems.
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  if (opts.waitHealthy !== false) {
    try {
      await waitFor(async () => (await fetch(`${baseUrl}/api/health`)).ok, {
        timeoutMs: 60_000,
        description: `console on :${port}`,
      });
    } catch (err) {
      // A console that never became healthy must not outlive the test that gave up on it.
      child.kill("SIGKILL");
      throw err;
    }
  }
  return {
    baseUrl,
    pid: child.pid ?? -1,
    stop: () => child.kill("SIGTERM"),
    kill9: () => child.kill("SIGKILL"),
    exited,
  };
}
