// Planner errors carry an HTTP-ish code so the API layer can map them without guessing:
// invalid -> 400, not_found -> 404, conflict -> 409. Each also carries its message as a catalog
// key + params (`text`), so the UI can show it in the reader's language; `message` is the
// English rendering that scripts and logs read.
import { english, localized, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";
import type { ErrorKey } from "@/lib/i18n/messages/errors-en";

export type PlanErrorCode = "invalid" | "not_found" | "conflict";

export class PlanError extends Error {
  readonly code: PlanErrorCode;
  readonly details?: unknown;
  /** The message as key + params; absent only for messages not yet in the catalogs. */
  readonly text?: Localized;
  constructor(code: PlanErrorCode, message: string, details?: unknown, text?: Localized) {
    super(message);
    this.name = "PlanError";
    this.code = code;
    if (details !== undefined) this.details = details;
    if (text !== undefined) this.text = text;
  }
}

/** A PlanError whose message comes from the server catalog (errors-en.ts). */
export function planError(code: PlanErrorCode, key: ErrorKey, params: MessageVars = {}, details?: unknown): PlanError {
  const text = localized(key, params);
  return new PlanError(code, english(text), details, text);
}

/** An error about one field of the request: the message starts with its path. */
export function fieldError(path: string, message: string, code: PlanErrorCode = "invalid"): PlanError {
  return new PlanError(code, `${path}: ${message}`, { path });
}

/**
 * A field error from the catalog: `message` is "<path>: <English>", details carry the path and
 * the key + params of the text after the path (the UI shows it beside the field).
 */
export function fieldErrorOf(path: string, key: ErrorKey, params: MessageVars = {}, code: PlanErrorCode = "invalid"): PlanError {
  const text = localized(key, params);
  return new PlanError(code, `${path}: ${english(text)}`, { path, key, params }, text);
}
