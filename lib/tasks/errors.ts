// The refusals of the use-cases (lib/tasks, lib/inventory), in domain words: the input is
// invalid, the thing does not exist, it conflicts with the state it is in, or the caller may not.
// Each carries its message as a catalog key + params (`text`). Only lib/api/errors.ts turns them
// into HTTP (400, 404, 409 with its reason as the code, 403).
import { english, englishMessage, type Localized } from "@/lib/i18n/localized";
import type { MessageVars } from "@/lib/i18n/format";

export type RefusalKind = "invalid" | "not_found" | "conflict" | "forbidden";
/** Why a conflict: the state in general, a transition the state machine does not allow, or live objects that drifted. */
export type ConflictReason = "conflict" | "illegal_transition" | "drift";

export abstract class UseCaseError extends Error {
  abstract readonly kind: RefusalKind;
  /**
   * `message` defaults to the English of `text`; pass it when it says more than the catalog
   * text can (zod's own wording of the first of several problems).
   */
  constructor(
    readonly text: Localized | undefined,
    readonly details: unknown = null,
    message?: string,
  ) {
    super(message ?? (text ? englishMessage(text) : "refused"));
    this.name = new.target.name;
  }
}

export class Invalid extends UseCaseError {
  readonly kind = "invalid";
}

export class NotFound extends UseCaseError {
  readonly kind = "not_found";
}

export class Forbidden extends UseCaseError {
  readonly kind = "forbidden";
}

export class Conflict extends UseCaseError {
  readonly kind = "conflict";
  constructor(
    text: Localized | undefined,
    details: unknown = null,
    readonly reason: ConflictReason = "conflict",
    message?: string,
  ) {
    super(text, details, message);
  }
}

/** One entry of a refusal's `details`: the field, its English message and that message's key + params. */
export function fieldDetail(
  path: string,
  text: Localized,
): { path: string; message: string; key: string; params: MessageVars } {
  return { path, message: english(text), key: text.key, params: text.params };
}
