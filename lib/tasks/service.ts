import "server-only";
// The release use-cases, as the route handlers see them: commands (journalled, executed by the
// reconciler) and read models.
export { abortTask, checkTaskSpec, createTask, previewTask, runAction } from "./commands";
export { getTask, listTaskSummaries, taskEvents, taskSummary, TaskListQuery } from "./read-model";
