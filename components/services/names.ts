// Same rule as the API's path parameters (lib/release/spec dnsLabel), without pulling zod
// into every page bundle: a URL that can never name a namespace/service/task is a 404 here.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(v: string): boolean {
  return v.length <= 63 && DNS1123_LABEL.test(v);
}

/** Task ids as the API accepts them (lib/api/params TaskParams). */
export function isTaskId(v: string): boolean {
  return v.length >= 1 && v.length <= 64 && /^[a-z0-9]+$/.test(v);
}
