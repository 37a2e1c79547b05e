// Starts an extra console instance (the production build in .next) with its own
// environment, for tests that need a different database or a different cluster.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { waitFor } from "./cluster";

const root = path.resolve(__dirname, "../../..");

export interface ConsoleInstance { baseUrl: string; stop(): void }

export async function startConsole(port: number, env: Record<string, string>): Promise<ConsoleInstance> {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("no production build: run `npx next build` (npm test does) first");
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: "ignore",
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${baseUrl}/api/health`)).ok, { timeoutMs: 60_000, description: `console on :${port}` });
  return { baseUrl, stop: () => child.kill("SIGTERM") };
}
