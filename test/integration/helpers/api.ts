// HTTP client for the console under test (started by dev/scripts/test.sh on GC_BASE_URL).
export const BASE_URL = process.env.GC_BASE_URL ?? "http://127.0.0.1:3100";

export interface ApiResult<T = any> { status: number; json: T; text: string }

export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: res.status, json, text };
}

export const as = (user: string) => ({ "X-Forwarded-User": user });
