import "server-only";
import http from "node:http";
import https from "node:https";

// One POST with node:http rather than fetch: fetch refuses the WHATWG "bad ports" (6000, 6667,
// 10080, ...) that an in-house receiver may well use, and would follow redirects. Here a
// webhook goes exactly where it was configured, and the answer is read up to 64 KB.

const MAX_ANSWER_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  text: string;
}

export function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const target = new URL(url);
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8").slice(0, MAX_ANSWER_BYTES),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
