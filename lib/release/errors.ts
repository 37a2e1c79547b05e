// Planner errors carry an HTTP-ish code so the API layer can map them without guessing:
// invalid -> 400, not_found -> 404, conflict -> 409. Each also carries its message as a catalog
// key + params (`text`), so the UI can show it in the reader's language; `message` is the
// English rendering that scripts and logs read.
import { atPath, englishMessage, localized, type Localized } from "@/lib/i18n/localized";
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
  return planErrorOf(code, localized(key, params), details);
}

/** A PlanError saying `text` (its `path`, if any, starts the English message). */
export function planErrorOf(code: PlanErrorCode, text: Localized, details?: unknown): PlanError {
  return new PlanError(code, englishMessage(text), details, text);
}

/**
 * A PlanError whose English `message` says more than its catalog text can (a list of reasons
 * that are themselves sentences): scripts keep the whole English, the UI shows `text`.
 */
export function planErrorSummarized(
  code: PlanErrorCode,
  message: string,
  text: Localized,
  details?: unknown,
): PlanError {
  return new PlanError(code, message, details, text);
}

/**
 * A field error from the catalog: `message` is "<path>: <English>", details carry the path, the
 * English text after it and its key + params (the UI shows it beside the field), plus `extra`.
 */
export function fieldErrorOf(
  path: string,
  key: ErrorKey,
  params: MessageVars = {},
  code: PlanErrorCode = "invalid",
  extra: Record<string, unknown> = {},
): PlanError {
  const text = atPath(path, localized(key, params));
  const message = englishMessage(text);
  return new PlanError(code, message, { ...extra, path, message: message.slice(path.length + 2), key, params }, text);
}
