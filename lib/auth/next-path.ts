// Where to go after signing in: only a path on this console. An absolute URL, a
// protocol-relative "//host" or "/\host" (browsers read both as another host) would make
// the sign-in page an open redirect.
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(next)) return "/";
  return next;
}
