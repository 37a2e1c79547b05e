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
