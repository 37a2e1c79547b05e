// Planner errors carry an HTTP-ish code so the API layer can map them without guessing:
// invalid -> 400, not_found -> 404, conflict -> 409.
export type PlanErrorCode = "invalid" | "not_found" | "conflict";

export class PlanError extends Error {
  readonly code: PlanErrorCode;
  readonly details?: unknown;
  constructor(code: PlanErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "PlanError";
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** An error about one field of the request: the message starts with its path. */
export function fieldError(path: string, message: string, code: PlanErrorCode = "invalid"): PlanError {
  return new PlanError(code, `${path}: ${message}`, { path });
}
