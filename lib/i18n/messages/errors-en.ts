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
  // foreign routes, actions
  "err.word.action.create": "create the release",
  "err.word.action.setTraffic": "set traffic",
  "err.word.action.takeover": "take over all traffic",
  "err.word.action.switch": "switch",
  "err.word.action.retireOld": "retire the old version",
  "err.word.action.confirm": "confirm the next group",
  "err.foreignRoutes.refusedOne": "cannot {action}: {routes} still routes traffic to {version}; change that route first, or move it to the new version too (list it in moveRoutes)",
  "err.foreignRoutes.refusedMany": "cannot {action}: {routes} still route traffic to {version}; change those routes first, or move them to the new version too (list them in moveRoutes)",
  "err.foreignRoutes.notUsing": "{route} is not a route that sends traffic to {version}",
  "err.foreignRoutes.notUsingAmong": "{route} is not a route that sends traffic to {version} (those are {routes})",
  "err.foreignRoutes.noNewSubset": "cannot {action}: no DestinationRule subset selects the new version to move {routes} to",
  "err.foreignRoutes.noIstio": "there are no VirtualServices to move routes in: the Istio CRDs are not installed",
  "err.confirm.keepEmptiesBase": "cannot keep the current split: this group scales {base} to 0 replicas, so it can take no traffic; use the replica ratio",
  "err.confirm.keepWithoutMesh": "this batch release has no VirtualService: traffic follows replica counts, so there is no split to keep",
  // actions
  "err.word.action.rollback": "roll back",
  "err.action.deploymentGone": "Deployment {name} no longer exists",
  "err.action.unknownVersion": "unknown version {version}: no DestinationRule subset or Deployment of {service} has it",
  "err.action.subsetWithoutPods": "subset {subset} has no Deployment behind it, so its share would fail",
  "err.action.entryRouteLost": "cannot {action}: ingress gateway route {routes} is gone or no longer routes only to {service}; accept the drift to stop following it, or abort",
  "err.action.mirrorOnlyForMirror": "only mirror releases mirror traffic",
  "err.action.replicaCanaryNeedsWeights": "replica-canary needs weights for the base and the new version",
  "err.action.replicaCanarySplitsOnly": "replica-canary splits only {base} and {next}",
  "err.action.noBatchProgress": "cannot confirm: the task has no batch progress recorded",
  "err.action.acceptDriftGone": "cannot accept the drift: {kind} {name} was deleted; resync to recreate it or abort",
  "err.action.istioMissing": "Istio CRDs not installed: this task routes through Istio and cannot act without them",
} as const satisfies Record<string, string>;

export type ErrorKey = keyof typeof errorsEn;
