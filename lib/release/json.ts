// Structural helpers over plain JSON values. PURE.

/** Deep equality: arrays order-sensitive, object key order ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    // An explicitly undefined key and a missing key serialise identically.
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  return true;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** `http[2].route[0].weight`, `headers["end-user"].exact` */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

export interface JsonDifference {
  path: string;
  /** Absent (undefined) when the field should not exist. */
  expected?: unknown;
  /** Absent (undefined) when the field does not exist. */
  actual?: unknown;
}

/** Every leaf-most difference between `expected` and `actual` (arrays compared index by index). */
export function diffJson(expected: unknown, actual: unknown, path = ""): JsonDifference[] {
  if (deepEqual(expected, actual)) return [];
  const bothObjects =
    expected !== null &&
    actual !== null &&
    typeof expected === "object" &&
    typeof actual === "object" &&
    Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) {
    const d: JsonDifference = { path };
    if (expected !== undefined) d.expected = expected;
    if (actual !== undefined) d.actual = actual;
    return [d];
  }
  const out: JsonDifference[] = [];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) out.push(...diffJson(expected[i], actual[i], joinPath(path, i)));
    return out;
  }
  const eo = expected as Record<string, unknown>;
  const ao = actual as Record<string, unknown>;
  const keys = [...Object.keys(eo), ...Object.keys(ao).filter((k) => !(k in eo))];
  for (const k of keys) out.push(...diffJson(eo[k], ao[k], joinPath(path, k)));
  return out;
}
