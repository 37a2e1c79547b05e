// A slow API server for the hard cases: an HTTPS proxy in front of the real kube-apiserver that
// forwards every request with the admin credentials, and HOLDS the ones a rule matches for a
// while before forwarding them (and before answering). A held request still reaches the API
// server after its client gave up - exactly the write that "times out but lands later".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type * as k8s from "@kubernetes/client-node";

export interface HoldRule {
  method: string;
  pathIncludes: string;
  holdMs: number;
  times?: number;
}

export interface SlowApiServer {
  kubeconfig: string;
  /** Requests matching a rule: method + path, as the proxy saw them. */
  held: string[];
  /** Every request: method + path. */
  seen: string[];
  setRules(rules: HoldRule[]): void;
  close(): Promise<void>;
}

function selfSignedCert(dir: string): { key: string; cert: string } {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(path.join(dir, "key.pem"), "utf8"),
    cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
  };
}

function upstreamOf(kc: k8s.KubeConfig) {
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const b64 = (v?: string) => (v ? Buffer.from(v, "base64") : undefined);
  const url = new URL(cluster.server);
  return {
    host: url.hostname,
    port: Number(url.port),
    ca: b64(cluster.caData),
    cert: b64(user.certData),
    key: b64(user.keyData),
  };
}

export async function startSlowApiServer(kc: k8s.KubeConfig, port: number): Promise<SlowApiServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "gc-slow-api-"));
  const tlsPair = selfSignedCert(dir);
  const up = upstreamOf(kc);
  const agent = new https.Agent({ ca: up.ca, cert: up.cert, key: up.key, keepAlive: true });
  let rules: HoldRule[] = [];
  const held: string[] = [];
  const seen: string[] = [];
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const headers = { ...req.headers };
    delete headers.authorization;
    const out = https.request(
      { host: up.host, port: up.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        if (res.destroyed) return answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    out.end(body);
  };
  const server = https.createServer(tlsPair, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}`);
      const rule = rules.find(
        (r) => r.method === req.method && (req.url ?? "").includes(r.pathIncludes) && (r.times ?? 1) > 0,
      );
      if (!rule) return forward(req, Buffer.concat(chunks), res);
      rule.times = (rule.times ?? 1) - 1;
      held.push(`${req.method} ${req.url}`);
      setTimeout(() => forward(req, Buffer.concat(chunks), res), rule.holdMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const kubeconfig = path.join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      "current-context: slow",
      "clusters:",
      `- name: slow`,
      `  cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${Buffer.from(tlsPair.cert).toString("base64")}}`,
      "users:",
      "- name: slow",
      "  user: {token: ignored-by-the-proxy}",
      "contexts:",
      "- name: slow",
      "  context: {cluster: slow, user: slow}",
      "",
    ].join("\n"),
  );
  return {
    kubeconfig,
    held,
    seen,
    setRules: (r) => {
      rules = r.map((x) => ({ ...x }));
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
