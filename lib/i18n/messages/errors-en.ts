// Server messages (API errors and field errors), English: the reference, as in en.ts. The
// server renders `message` from here for scripts and sends `key` + `params` so the UI renders
// the same message from the reader's catalog (errors-zh-CN.ts). Kept apart from en.ts so the
// engine (lib/release), which builds these errors, does not pull the whole UI catalog in.
// Params are names, versions, numbers and paths; a param whose value is itself a word (an
// action, a kind) is passed as the key of an `err.word.*` message of this catalog under a name
// ending in `Key` (`actionKey: "err.word.action.retireOld"`), see lib/i18n/localized.ts.
export const errorsEn = {
  "err.internal": "internal error: see the server log",
  // wizard conflicts
  "err.versionExists": "version {version} already exists as {kind} {name}",
  "err.versionNameTaken.version": "version {version} would be deployed as {name}, but Deployment {name} already exists and runs version {other}; choose another version label",
  "err.versionNameTaken.app": "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods of app {app}; choose another version label",
  "err.versionNameTaken.otherApp": "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods of another app; choose another version label",
  "err.versionNameTaken.unlabelled": "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods without a version label; choose another version label",
  "err.baseHasNoContainers": "base Deployment {name} has no containers",
  "err.serviceWithoutSelector": "Service {service} has no selector, so its endpoints cannot include the new pods",
  "err.serviceSelectorMisses": "Service {service} selects {selector}, which the new pods ({labels}) would not match",
  "err.baseSelectorAdopts": "base Deployment {name} selects {selector}, which would also adopt the new pods; give its selector a version label",
  "err.selectorAdopts": "Deployment {name} selects {selector}, which would also adopt the new pods; give its selector a version label",
  "err.taskNameExists": "a release task named \"{name}\" already exists in namespace \"{namespace}\"",
  "err.serviceHasActiveTask": "service \"{service}\" already has an active release task \"{task}\"; finish or abort it first",
} as const satisfies Record<string, string>;

export type ErrorKey = keyof typeof errorsEn;
