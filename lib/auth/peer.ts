import type { IncomingMessage } from "node:http";
import http from "node:http";

// Who is on the other end of the TCP connection. Next.js hands route handlers a web Request
// without the socket, and fills X-Forwarded-For only when the client did not send one (so it
// is the client's to choose). The console therefore stamps every incoming request with the
// socket's peer address in a header of its own, overwriting whatever the client sent, before
// Next.js sees it. GC_TRUSTED_PROXIES is checked against this address only.

export const PEER_HEADER = "x-gray-console-peer";

const g = globalThis as unknown as { __grayConsolePeerStamp?: boolean };

export function stampPeer(req: IncomingMessage): void {
  req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
}

/** Installs the stamp on every http.Server of the process (Next's own included); idempotent. */
export function installPeerStamp(): void {
  if (g.__grayConsolePeerStamp) return;
  g.__grayConsolePeerStamp = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function patched(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") stampPeer(args[0] as IncomingMessage);
    return (emit as (this: http.Server, e: string | symbol, ...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
