// The Helm chart through the real tools: helm and kubectl built from Go modules by
// dev/scripts/build-bins.sh (linked into .cache/bin), against the local API server.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { LOCAL_KUBECONFIG } from "./cluster";

const root = path.resolve(__dirname, "../../..");
export const CHART = path.join(root, "deploy/helm/gray-console");

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function tool(name: "helm" | "kubectl"): string {
  const bin = path.join(root, ".cache/bin", name);
  if (!existsSync(bin)) throw new Error(`${bin} not found: run \`bash dev/scripts/build-bins.sh\``);
  return bin;
}

export function run(name: "helm" | "kubectl", args: string[], input?: string): Run {
  const res = spawnSync(tool(name), args, { input, encoding: "utf8", timeout: 60_000 });
  if (res.error) throw res.error;
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** kubectl with the same kubeconfig the other integration tests use (loopback only, checked there). */
export function kubectl(args: string[], input?: string): Run {
  return run("kubectl", ["--kubeconfig", process.env.KUBECONFIG || LOCAL_KUBECONFIG, ...args], input);
}

export type Values = Record<string, string | number | boolean>;

function setArgs(values: Values): string[] {
  // --set-string keeps "true"/"1" strings as strings; numbers and booleans go through --set.
  return Object.entries(values).flatMap(([k, v]) =>
    typeof v === "string" ? ["--set-string", `${k}=${v}`] : ["--set", `${k}=${v}`],
  );
}

export function helmTemplate(release: string, namespace: string, values: Values = {}): Run {
  return run("helm", ["template", release, CHART, "--namespace", namespace, ...setArgs(values)]);
}

/** The chart's NOTES.txt as `helm install` prints it (a client-side dry run: nothing is installed). */
export function helmNotes(release: string, namespace: string, values: Values = {}): string {
  const res = run("helm", [
    "install",
    release,
    CHART,
    "--dry-run=client",
    "--namespace",
    namespace,
    ...setArgs(values),
  ]);
  if (res.status !== 0) throw new Error(`helm install --dry-run=client failed: ${res.stderr}`);
  const at = res.stdout.indexOf("NOTES:");
  if (at < 0) throw new Error(`no NOTES in helm's output:\n${res.stdout.slice(-2000)}`);
  return res.stdout.slice(at);
}

export function helmLint(values: Values = {}): Run {
  return run("helm", ["lint", CHART, "--strict", ...setArgs(values)]);
}

export interface K8sDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: any;
}

/** The rendered objects; throws with helm's message when rendering fails. */
export function render(release: string, namespace: string, values: Values = {}): { yaml: string; docs: K8sDoc[] } {
  const res = helmTemplate(release, namespace, values);
  if (res.status !== 0) throw new Error(`helm template failed: ${res.stderr}`);
  const docs = parseAllDocuments(res.stdout)
    .map((d) => d.toJSON() as K8sDoc | null)
    .filter((d): d is K8sDoc => d !== null);
  return { yaml: res.stdout, docs };
}

export function findDoc(docs: K8sDoc[], kind: string, name?: string): K8sDoc {
  const doc = docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  if (!doc)
    throw new Error(
      `no ${kind}${name ? ` ${name}` : ""} among ${docs.map((d) => `${d.kind}/${d.metadata.name}`).join(", ")}`,
    );
  return doc;
}

/** The console container's env as name -> value (valueFrom entries as "secret:<name>/<key>"). */
export function containerEnv(deployment: K8sDoc): Record<string, string> {
  const env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[] =
    deployment.spec.template.spec.containers[0].env ?? [];
  return Object.fromEntries(
    env.map((e) => [
      e.name,
      e.valueFrom?.secretKeyRef
        ? `secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`
        : (e.value ?? ""),
    ]),
  );
}
