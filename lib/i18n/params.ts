// Parameters of a catalog message, resolved for rendering. Apart from localized.ts so that the
// browser can render a server error from its own catalog without loading the English one. PURE.
import type { MessageVars } from "./format";

/**
 * Params named `<x>Key` hold a catalog key (an action, a kind): rendered with `lookup` and
 * passed on as `<x>`. Other params are shown as they are (names, versions, numbers).
 */
export function resolveParams(params: MessageVars, lookup: (key: string) => string | undefined): MessageVars {
  const out: MessageVars = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith("Key") && typeof value === "string") out[name.slice(0, -3)] = lookup(value) ?? value;
    out[name] = value;
  }
  return out;
}
