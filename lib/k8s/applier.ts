import type { K8sError } from "./errors";

// The failure of a journalled operation, as the API reports it: which write failed, and whether
// everything the operation had already written was undone (compensated) or is still in the
// cluster (the task then shows the operation as needs-attention, and the reconciler retries).
export class ApplyError extends Error {
  constructor(
    readonly cause: K8sError,
    readonly failedOp: { op: string; kind: string; name: string },
    readonly compensated: boolean,
    readonly compensationErrors: string[],
  ) {
    super(
      compensated
        ? `${cause.message} (all earlier changes were rolled back)`
        : `${cause.message}; rolling back earlier changes ALSO failed: ${compensationErrors.join("; ")}`,
    );
    this.name = "ApplyError";
  }
}
