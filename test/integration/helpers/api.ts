// HTTP client for the console under test (started by dev/scripts/test.sh on GC_BASE_URL).
export const BASE_URL = process.env.GC_BASE_URL ?? "http://127.0.0.1:3100";

export interface ApiResult<T = any> {
  status: number;
  json: T;
  text: string;
}

export async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult<T>> {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

export const as = (user: string) => ({ "X-Forwarded-User": user });

/**
 * Changes land through the reconciler: an action returns after its synchronous steps, waits
 * (Ready pods, drain delays) continue in the background. Polls the task until it has no
 * operation in flight and returns it as it then is.
 */
export async function settled(
  id: string,
  opts: { baseUrl?: string; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<any> {
  const base = opts.baseUrl ?? BASE_URL;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    // headers: a signed-in caller's cookie or bearer token (consoles with sign-in)
    const res = await fetch(`${base}/api/tasks/${id}`, { headers: opts.headers });
    const json: any = await res.json();
    if (res.ok && json.task.operation === null) return json.task;
    if (Date.now() > deadline)
      throw new Error(
        `task ${id} still has an operation after ${opts.timeoutMs ?? 60_000} ms: ${JSON.stringify(json.task?.operation ?? json)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}
