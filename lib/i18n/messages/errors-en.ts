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
  "err.versionNameTaken.version":
    "version {version} would be deployed as {name}, but Deployment {name} already exists and runs version {other}; choose another version label",
  "err.versionNameTaken.app":
    "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods of app {app}; choose another version label",
  "err.versionNameTaken.otherApp":
    "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods of another app; choose another version label",
  "err.versionNameTaken.unlabelled":
    "version {version} would be deployed as {name}, but Deployment {name} already exists and runs pods without a version label; choose another version label",
  "err.baseHasNoContainers": "base Deployment {name} has no containers",
  "err.serviceWithoutSelector": "Service {service} has no selector, so its endpoints cannot include the new pods",
  "err.serviceSelectorMisses": "Service {service} selects {selector}, which the new pods ({labels}) would not match",
  "err.baseSelectorAdopts":
    "base Deployment {name} selects {selector}, which would also adopt the new pods; give its selector a version label",
  "err.selectorAdopts":
    "Deployment {name} selects {selector}, which would also adopt the new pods; give its selector a version label",
  "err.taskNameExists": 'a release task named "{name}" already exists in namespace "{namespace}"',
  "err.serviceHasActiveTask":
    'service "{service}" already has an active release task "{task}"; finish or abort it first',
  // foreign routes, actions
  "err.foreignRoutes.refusedOne":
    "cannot {action}: {routes} still routes traffic to {version}; change that route first, or move it to the new version too (list it in moveRoutes)",
  "err.foreignRoutes.refusedMany":
    "cannot {action}: {routes} still route traffic to {version}; change those routes first, or move them to the new version too (list them in moveRoutes)",
  "err.foreignRoutes.notUsing": "{route} is not a route that sends traffic to {version}",
  "err.foreignRoutes.notUsingAmong": "{route} is not a route that sends traffic to {version} (those are {routes})",
  "err.foreignRoutes.noNewSubset":
    "cannot {action}: no DestinationRule subset selects the new version to move {routes} to",
  "err.foreignRoutes.noIstio": "there are no VirtualServices to move routes in: the Istio CRDs are not installed",
  "err.confirm.keepEmptiesBase":
    "cannot keep the current split: this group scales {base} to 0 replicas, so it can take no traffic; use the replica ratio",
  "err.confirm.keepWithoutMesh":
    "this batch release has no VirtualService: traffic follows replica counts, so there is no split to keep",
  // actions
  "err.action.deploymentGone": "Deployment {name} no longer exists",
  "err.action.unknownVersion": "unknown version {version}: no DestinationRule subset or Deployment of {service} has it",
  "err.action.subsetWithoutPods": "subset {subset} has no Deployment behind it, so its share would fail",
  "err.action.entryRouteLost":
    "cannot {action}: ingress gateway route {routes} is gone or no longer routes only to {service}; accept the drift to stop following it, or abort",
  "err.action.mirrorOnlyForMirror": "only mirror releases mirror traffic",
  "err.action.replicaCanaryNeedsWeights": "replica-canary needs weights for the base and the new version",
  "err.action.replicaCanarySplitsOnly": "replica-canary splits only {base} and {next}",
  "err.action.noBatchProgress": "cannot confirm: the task has no batch progress recorded",
  "err.action.acceptDriftGone": "cannot accept the drift: {kind} {name} was deleted; resync to recreate it or abort",
  "err.action.istioMissing": "Istio CRDs not installed: this task routes through Istio and cannot act without them",
  /** "<path>: <message>": a field's message shown away from its field (a toast, a banner). */
  "err.atPath": "{path}: {message}",

  // words passed as `<x>Key` params (lib/release/types.ts); English is the identifier scripts know
  "err.word.action.setTraffic": "setTraffic",
  "err.word.action.takeover": "takeover",
  "err.word.action.switch": "switch",
  "err.word.action.rollback": "rollback",
  "err.word.action.retireOld": "retireOld",
  "err.word.action.pause": "pause",
  "err.word.action.resume": "resume",
  "err.word.action.confirm": "confirm",
  "err.word.action.abort": "abort",
  "err.word.action.resync": "resync",
  "err.word.action.acceptDrift": "acceptDrift",
  "err.word.action.promote": "promote",
  "err.word.action.promoteFull": "promoteFull",
  "err.word.action.retry": "retry",
  "err.word.action.create": "create",
  "err.word.state.progressing": "progressing",
  "err.word.state.awaiting-confirmation": "awaiting-confirmation",
  "err.word.state.paused": "paused",
  "err.word.state.completed": "completed",
  "err.word.state.rolled-back": "rolled-back",
  "err.word.state.aborted": "aborted",
  "err.word.state.failed": "failed",
  "err.word.strategy.canary": "canary",
  "err.word.strategy.blue-green": "blue-green",
  "err.word.strategy.ab-test": "ab-test",
  "err.word.strategy.mirror": "mirror",
  "err.word.strategy.batch": "batch",
  "err.word.strategy.replica-canary": "replica-canary",
  "err.word.operation.pending": "pending",
  "err.word.operation.running": "running",
  "err.word.operation.waiting": "waiting",
  "err.word.operation.compensating": "compensating",
  "err.word.operation.needs-attention": "needs-attention",
  "err.word.type.string": "string",
  "err.word.type.number": "number",
  "err.word.type.int": "int",
  "err.word.type.boolean": "boolean",
  "err.word.type.object": "object",
  "err.word.type.array": "array",
  "err.word.type.undefined": "undefined",
  "err.word.type.null": "null",
  "err.word.type.value": "value",

  // lib/release/spec.ts: the task spec and action schemas
  "err.spec.maxChars": "must be at most {max} characters",
  "err.spec.dnsLabel":
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  "err.spec.dnsSubdomain": "must be a DNS-1123 subdomain",
  "err.spec.notEmpty": "must not be empty",
  "err.spec.labelValue":
    "must be a Kubernetes label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. v2.1)",
  "err.spec.image.whitespace": "must not contain whitespace",
  "err.spec.image.invalid":
    "is not a valid image reference (expected [registry/]repository[:tag][@digest], lowercase repository)",
  "err.spec.image.uppercase":
    "is not a valid image reference: the repository must be lowercase (a registry host has a '.' or ':' or is localhost)",
  "err.spec.image.tooLong": "repository name must be at most 255 characters",
  "err.spec.image.digestLength": "{algorithm} digest must have {length} hex characters",
  "err.spec.quantity": "must be a Kubernetes quantity such as 500m, 0.5, 128Mi or 1Gi",
  "err.spec.envName": "must be a valid environment variable name",
  "err.spec.port": "port must be 1-65535",
  "err.spec.namedPort": "named port must be a lowercase IANA service name",
  "err.spec.startsWithSlash": "must start with /",
  "err.spec.atLeastOneElement": "must have at least one element",
  "err.spec.probeHandler": "must set exactly one of httpGet, tcpSocket, exec",
  "err.spec.regex.empty": "regex must not be empty",
  "err.spec.regex.lookaround": "regex must not use lookarounds (Istio uses RE2)",
  "err.spec.regex.backreference": "regex must not use backreferences (Istio uses RE2)",
  "err.spec.regex.compile": "regex does not compile (RE2 syntax): {reason}",
  "err.spec.cookieName": "must be a cookie name (RFC 6265 token)",
  "err.spec.cookieValue": "must not contain whitespace, ';', ',', '\"' or '\\'",
  "err.spec.headerName": "must be an HTTP header name (letters, digits, '-', '_')",
  "err.spec.atLeastOneRule": "must have at least one rule",
  "err.spec.intBetween": "must be an integer between {min} and {max}",
  "err.spec.numberBetween": "must be a number between {min} and {max}",
  "err.spec.weightsEmpty": "must name at least one version",
  "err.spec.weightsSum": "must sum to 100 (got {sum})",
  "err.spec.annotationPrefix":
    "annotation key {name}: the prefix must be a DNS-1123 subdomain of at most 253 characters",
  "err.spec.annotationName":
    "annotation key {name}: the name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
  "err.spec.oneOf": "must be one of {values}",
  "err.spec.differsFromBase": "must differ from baseVersion ({version})",
  "err.spec.notUsedByStrategy": "is not used by the {strategy} strategy",
  "err.spec.batchOnly": "is only used by the batch strategy",
  "err.spec.canaryNeeds": "canary needs traffic.weights ({base, new}) or traffic.match (or both)",
  "err.spec.matchWeightNeedsMatch": "needs traffic.match",
  "err.spec.replicaCanaryNeeds": "replica-canary needs weights ({base, new})",
  "err.spec.abNeedsTwo": "ab-test needs at least 2 variants",
  "err.spec.abNeedsNew": "one variant must use the new version {version}",
  "err.spec.duplicateVariant": "duplicate variant name {name}",
  "err.spec.variantNeeds": "needs match rules or a weight",
  "err.spec.variantSum": "variant weights must sum to 100 (got {sum})",
  "err.spec.mirrorNeeds": "mirror needs mirrorPercent (0-100)",
  "err.spec.batchNeedsGroups": "batch needs batch.groups",
  "err.spec.groupsOverReplicas":
    "cannot split {replicas} replica(s) into {groups} groups: groups must be <= newVersion.replicas",
  "err.spec.betaNeedsGroups": "a beta group needs at least 2 groups (beta + the rest)",
  "err.spec.weightsTwo": "must name exactly the base version and the new version {version}",
  "err.spec.weightsTwoBase": "must name exactly the base version {base} and the new version {version}",
  "err.spec.routeId": "must name a route as <virtualService>/<route name or http[i]>",
  "err.spec.atLeastOneRoute": "must list at least one route",
  "err.spec.setTrafficNeeds": "setTraffic needs weights or mirrorPercent",
  // lib/release/steps-schema.ts
  "err.steps.duration": "must be a duration like 10s, 1m or 1h (at most 24h)",
  "err.steps.oneKind": "a step has exactly one of {kinds}",
  "err.steps.atLeastOne": "must list at least one step",
  "err.steps.atMost": "must list at most {max} steps",
  "err.steps.notForStrategy": "the {strategy} strategy takes no steps",
  "err.steps.kindNotForStrategy": "{kind} is not a step the {strategy} strategy can do (it can: {kinds})",
  "err.steps.setMatchNeedsMatch": "setMatch widens the match route: it needs traffic.match",
  // lib/release/actions.ts (steps)
  "err.steps.none": "cannot {action}: the task has no steps",
  "err.steps.finished": "cannot {action}: every step is done",
  "err.steps.moved": "cannot {action}: the task moved on to step {current} meanwhile (expected {expected})",
  "err.stepTemplates.reservedName": "must not start with {prefix} (the built-in templates' names)",
  "err.stepTemplates.exists": "namespace {namespace} already has a step template named {name}",
  "err.stepTemplates.builtIn": "{name} is a built-in template: it cannot be deleted",
  "err.stepTemplates.notFound": "namespace {namespace} has no step template named {name}",
  // lib/release/spec.ts formatZodError: zod's own issue codes (the English message stays zod's)
  "err.zod.invalidRequest": "invalid request",
  "err.zod.unknownField": "is not a known field",
  "err.zod.invalidType": "Invalid input: expected {expected}, received {received}",
  "err.zod.invalidValue": "Invalid option: expected one of {values}",
  "err.zod.tooBig.string": "Too big: expected string to have <={maximum} characters",
  "err.zod.tooBig.array": "Too big: expected array to have <={maximum} items",
  "err.zod.tooBig.number": "Too big: expected number to be <={maximum}",
  "err.zod.tooSmall.string": "Too small: expected string to have >={minimum} characters",
  "err.zod.tooSmall.array": "Too small: expected array to have >={minimum} items",
  "err.zod.tooSmall.number": "Too small: expected number to be >={minimum}",
  "err.zod.invalidFormat": "Invalid string: must match pattern {pattern}",
  "err.zod.startsWith": 'Invalid string: must start with "{prefix}"',
  "err.zod.notMultipleOf": "Invalid number: must be a multiple of {divisor}",
  "err.zod.invalidDiscriminator": "Invalid discriminator value. Expected {options}",
  "err.zod.invalid": "Invalid input",

  // lib/release/base.ts
  "err.base.tie":
    "cannot detect the base version: versions {versions} share the most traffic ({top}%); set baseVersion",
  "err.base.noDeployment": "no Deployment has pods labelled app={service}",
  "err.base.ambiguous":
    "cannot detect the base version: {service} runs versions {versions} and no route picks one; set baseVersion",
  "err.base.notFound": "no Deployment with app={service}, version={version}",
  "err.base.otherNamespace": "cluster state is for namespace {actual}, not {wanted}",
  "err.base.otherService": "cluster state is for Service {actual}, not {wanted}",
  // lib/release/planner.ts
  "err.plan.noIstio": "Istio CRDs not installed; use replica-canary",
  "err.plan.sameAsBase": "must differ from the base version {version}",
  "err.plan.baseInSeveral":
    "version {version} runs in {count} Deployments ({deployments}); {strategy} scales exactly one",
  "err.plan.baseUnlabelled":
    "base Deployment {deployment} has no version label on its pod template, so no Istio subset can select it; label it or use replica-canary",
  "err.plan.weightsNeedBase": "must name the base version {base} and the new version {version} (got {got})",
  "err.plan.noSuchVersion": "no Deployment runs version {version} of {service}",
  "err.plan.zeroReplicas": "is 0, but the traffic settings send requests to {version}; give it at least 1 replica",
  // lib/release/match.ts
  "err.match.oneUri": "only one uri rule can apply to a request",
  "err.match.headerTwice": "at most two rules can test the {header} header",
  "err.match.headerClash": "this rule and rule {rule} both test the {header} header and cannot be combined",
  // lib/release/mesh.ts
  "err.mesh.subsetMismatch":
    "DestinationRule subset {subset} selects {labels}, which does not match the {version} pods ({pods})",
  "err.mesh.defaultUnreachable":
    "VirtualService {vs} sends all remaining traffic elsewhere at http[{index}], so a default route for {service} would never be reached",
  "err.mesh.defaultVanished": "internal: default route vanished",
  "err.mesh.drDeleted": "DestinationRule {name} was deleted; resync to recreate it or abort",
  "err.mesh.vsDeleted": "VirtualService {name} was deleted; resync to recreate it or abort",
  "err.mesh.routeExists": "VirtualService {vs} already has a route named {route}",
  // lib/release/routing: the gateway-api and none backends, and which backend a task may use
  "err.gateway.routeDeleted": "HTTPRoute {name} was deleted; resync to recreate it or abort",
  "err.gateway.ruleExists": "HTTPRoute {route} already has a rule named {rule}",
  "err.gateway.defaultUnreachable":
    "HTTPRoute {route} sends all remaining traffic elsewhere at rules[{index}], so a default rule for {service} would never be reached",
  "err.gateway.serviceMismatch":
    "Service {name} selects {selector}, which does not select the {version} pods ({pods}); rename or fix it, the Gateway API backend routes to version {version} through it",
  "err.gateway.tooManyRules": "HTTPRoute {route} would have {count} rules; the Gateway API allows at most 16",
  "err.gateway.notInstalled":
    "the Gateway API CRDs (gateway.networking.k8s.io/v1 HTTPRoute) are not installed in this cluster",
  "err.routing.unsupported": "the {backend} routing backend cannot {feature}; choose another backend or strategy",
  "err.routing.stepsUnsupported":
    "the {backend} routing backend does not run release steps yet; remove the steps, or route the service with Istio",
  "err.routing.unknownBackend": "unknown routing backend {backend}",
  "err.word.feature.mirror": "mirror requests",
  "err.word.feature.matchHeader": "route requests by header",
  "err.word.feature.matchCookie": "route requests by cookie",
  "err.word.feature.matchPath": "route requests by path",
  "err.word.feature.weights": "split traffic by weight",
  "err.word.feature.moveRoutes": "move foreign routes (moveRoutes moves Istio VirtualService routes)",
  // lib/release/hpa.ts
  "err.hpa.fight":
    "HorizontalPodAutoscaler {hpa} scales the base Deployment {deployment}, and {strategy} sets replicas by hand; use a weight-based strategy (canary, blue-green, ab-test, mirror) or remove the HPA",
  // lib/release/readiness.ts
  "err.ready.noPods": "cannot {action}: {version} has no Ready pods ({ready}/{desired}); wait until it is Ready",
  // lib/release/entry-routes.ts (one refused route; several: the English message lists each reason)
  "err.entry.splits":
    "cannot follow the ingress gateway route {route} (VirtualService {vs} on {gateways}): it splits its traffic itself ({split}). Only a route with one destination to {service} (no subset, or the base version {base}'s) can carry this release's weights; change that route, or set routing.entryRoutes to \"ignore\" to leave gateway routes as they are (users entering through that gateway are then not part of the release)",
  "err.entry.mirrors":
    "cannot follow the ingress gateway route {route} (VirtualService {vs} on {gateways}): it mirrors requests to {service}. Only a route with one destination to {service} (no subset, or the base version {base}'s) can carry this release's weights; change that route, or set routing.entryRoutes to \"ignore\" to leave gateway routes as they are (users entering through that gateway are then not part of the release)",
  "err.entry.otherSubset":
    "cannot follow the ingress gateway route {route} (VirtualService {vs} on {gateways}): it sends everything to subset {subset}, which is not the base version {base}. Only a route with one destination to {service} (no subset, or the base version {base}'s) can carry this release's weights; change that route, or set routing.entryRoutes to \"ignore\" to leave gateway routes as they are (users entering through that gateway are then not part of the release)",
  "err.entry.several":
    "cannot follow the ingress gateway routes {routes}. Only a route with one destination to {service} (no subset, or the base version {base}'s) can carry this release's weights; change those routes, or set routing.entryRoutes to \"ignore\" to leave gateway routes as they are (users entering through those gateways are then not part of the release)",
  // lib/release/istio-writes.ts: the problem itself is worded as istiod words it
  "err.istio.wouldReject": "{object} {path}: {problem}",
  // lib/release/state-machine.ts: why an action is refused in a state
  "err.state.isState": "cannot {action}: task is {state}",
  "err.state.onlyBatchConfirms": "cannot {action}: only batch releases have groups to confirm",
  "err.state.isPaused": "cannot {action}: task is paused",
  "err.state.notAwaiting": "cannot {action}: task is {state}, not awaiting confirmation",
  "err.state.onlyBatchPauses": "cannot {action}: only batch releases can be paused",
  "err.state.alreadyPaused": "cannot {action}: task is already paused",
  "err.state.onlyBatchResumes": "cannot {action}: only batch releases can be paused and resumed",
  "err.state.notPaused": "cannot {action}: task is {state}, not paused",
  "err.state.switchIsBlueGreen": "cannot {action}: switch is for blue-green releases; use takeover",
  "err.state.batchTakeover":
    "cannot {action}: batch releases hand traffic over group by group: confirm the remaining groups",
  "err.state.blueGreenTraffic": "cannot {action}: blue-green moves all traffic at once: use switch or rollback",
  "err.state.batchWithoutMesh":
    "cannot {action}: this batch release has no VirtualService: traffic follows replica counts",
  "err.state.alreadyRolledBack": "cannot {action}: task is already rolled back",
  "err.state.retireRolledBack": "cannot {action}: task is rolled back: take over all traffic first",
  "err.state.batchRetires": "cannot {action}: batch releases retire the old version by confirming the last group",
  "err.state.takeoverFirst": "cannot {action}: take over all traffic first",
  "err.state.noMesh": "cannot {action}: task manages no VirtualService or DestinationRule",
  "err.state.noBatchProgress": "cannot confirm: task has no batch progress recorded",
  "err.state.noSteps": "cannot {action}: the release has no steps",
  "err.state.retryAfterRollback": "cannot {action}: only a rolled-back release can be tried again (task is {state})",
  "err.state.batchPromoteFull": "cannot {action}: batch releases move group by group: promote each group",
  // lib/release/access.ts: worded as the apiserver's authorizer words a refusal
  "err.access.forbidden":
    'User "{user}" cannot {verb} resource "{resource}" in API group "{group}" in the namespace "{namespace}"',
  "err.access.forbiddenBecause":
    'User "{user}" cannot {verb} resource "{resource}" in API group "{group}" in the namespace "{namespace}": {reason}',

  // lib/tasks/commands.ts, read-model.ts, metrics.ts
  "err.task.notFound": 'task "{id}" not found',
  "err.task.nameTaken": 'a task named "{name}" already exists in namespace "{namespace}"',
  "err.task.alreadyExists": "already exists",
  "err.task.serviceBusy":
    'service "{service}" already has an active release task "{task}" ({state}); finish or abort it first',
  "err.task.activeTask": "active task {id}",
  "err.task.taken": 'service "{service}" or task name "{name}" is already taken by another task',
  "err.task.operationInProgress":
    'task "{task}" has an operation in progress ({action}, {state}); wait for it, or abort/roll back',
  "err.task.drift":
    "the task's own routes were changed outside this task; re-sync (overwrite with the task's routing) or accept (adopt the live routing) before \"{action}\"",
  "err.task.changedMeanwhile": 'task "{task}" was changed by another request; reload and retry',
  // lib/metrics/range.ts (read by lib/tasks/metrics.ts)
  "err.metrics.range": 'range: "{value}" must be a duration like 5m, 15m, 1h or 6h (1m..7d)',
  "err.metrics.step": 'step: "{value}" must be a duration like 15s or 1m (5s..1h)',
  "err.metrics.tooFine": "step: {step} is too fine for range {range} (more than 11000 points)",
  // lib/inventory/services.ts
  "err.inventory.namespaceNotFound": 'namespace "{namespace}" not found',
  "err.inventory.serviceNotFound": 'service "{service}" not found in namespace "{namespace}"',
  "err.inventory.notFound": "not found",

  // lib/api/route.ts, lib/api/same-origin.ts
  "err.api.csrf":
    "request refused: a change made with a browser session needs the session's CSRF token (X-CSRF-Token, from GET /api/auth/session)",
  "err.api.badJson": "request body is not valid JSON: {reason}",
  "err.api.crossSite": "request refused: the browser says it comes from another site (Sec-Fetch-Site: {site})",
  "err.api.foreignOrigin": "request refused: Origin {origin} is not this console ({host})",
  "err.api.notJson": "request body must be JSON with content-type: application/json (got {type})",
  "err.api.noContentType": "request body must be JSON with content-type: application/json (got no content-type)",
  // lib/api/errors.ts: the cluster's own message ({message}) inside a sentence of ours
  "err.k8s.unreachable": "{message}",
  "err.k8s.notFound": "{message}",
  "err.k8s.conflict": "{message} (someone else changed it: reload and retry)",
  "err.k8s.rejected": "{message}",
  "err.k8s.denied": "{message}",
  "err.k8s.unauthorized": "the Kubernetes API server no longer accepts your credentials: sign in again ({message})",
  "err.k8s.other": "{message}",
  "err.apply.rolledBack": "{message} (all earlier changes were rolled back)",
  "err.apply.undoFailed": "{message}; rolling back earlier changes ALSO failed: {errors}",
  "err.metrics.unavailable": "metrics unavailable: {message}",

  // lib/auth/identity.ts, sign-in.ts, oidc.ts
  "err.auth.bearerRejected":
    "the Kubernetes API server did not accept this bearer token (TokenReview: not authenticated)",
  "err.auth.expired": "your session has expired: sign in again",
  "err.auth.noProxyUser": "not signed in: no user from a trusted proxy (GC_TRUSTED_PROXIES)",
  "err.auth.notSignedIn": "not signed in: sign in, or send Authorization: Bearer <token>",
  "err.auth.notTokenMode": "sign-in with a token is not how this console signs users in (GC_AUTH={mode})",
  "err.auth.tokenRejected":
    "the Kubernetes API server did not accept this token (TokenReview: not authenticated); create one with kubectl create token <serviceaccount> -n <namespace>",
  "err.auth.tokenTooLong":
    "this token is too long to keep in a browser session; send it as Authorization: Bearer <token> instead",
  "err.auth.tokenTooLongField": "too long for a session cookie",
  "err.auth.oidcNotConfigured": "OpenID Connect sign-in is not configured (GC_AUTH={mode})",
  "err.auth.providerError": "{error}: {description}",
  "err.auth.flowExpired": "the sign-in took too long or was started in another browser; start again",
  "err.auth.tooManyGroups":
    "your ID token names {count} groups, too many to keep in a browser session cookie; ask for the provider to send only the groups this console needs (GC_OIDC_GROUPS_CLAIM)",
  "err.auth.providerUnreachable": "the OpenID provider {issuer} could not be reached: {reason}",
  // lib/queries/fetcher.ts: failures only the browser sees
  "err.client.network": "cannot reach the console server: {reason}",
  "err.client.notJson": "the server answered HTTP {status} with a body that is not JSON",
  "err.client.http": "HTTP {status}",
  "err.client.httpSaid": "HTTP {status}: {snippet}",

  // lib/notify/schema.ts: notification targets
  "err.notify.url": "must be an http(s) URL without user name or password",
  "err.notify.noSigning": "{type} robots have no signing: leave secret out",
  "err.notify.tooMany": "at most {max} notification targets",
  // lib/release/analysis-schema.ts and analysis.ts: metric analysis
  "err.analysis.duration": "must be a duration such as 10s, 2m or 1h",
  "err.analysis.intervalRange": "must be between {min} s and {max} s",
  "err.analysis.number": "must be a number",
  "err.analysis.queryNeeded": "metric {name} needs a query (only success-rate and latency-p99 are built in)",
  "err.analysis.builtinNoQuery": "{name} is built in: leave query out",
  "err.analysis.boundNeeded": "needs min, max or compare",
  "err.analysis.minAboveMax": "min must not be above max",
  "err.analysis.toleranceNeedsCompare": "tolerance needs compare: base",
  "err.analysis.placeholder": "unknown placeholder {name}: a query may use {names}",
  "err.analysis.duplicateMetric": "metric {name} is listed twice",
  "err.analysis.reason.successRate.pass": "success rate {value}% >= {threshold}% over {window} s, {requests} requests",
  "err.analysis.reason.successRate.fail": "success rate {value}% < {threshold}% over {window} s, {requests} requests",
  "err.analysis.reason.latency.pass": "p99 latency {value} ms <= {threshold} ms over {window} s, {requests} requests",
  "err.analysis.reason.latency.fail": "p99 latency {value} ms > {threshold} ms over {window} s, {requests} requests",
  "err.analysis.reason.custom.pass": "{name} {value} is within {range} over {window} s, {requests} requests",
  "err.analysis.reason.custom.fail": "{name} {value} is outside {range} over {window} s, {requests} requests",
  "err.analysis.reason.compare.pass":
    "{name} {value} against the base's {base} (tolerance {tolerance}) over {window} s, {requests} requests",
  "err.analysis.reason.compare.fail":
    "{name} {value} is worse than the base's {base} by more than {tolerance} over {window} s, {requests} requests",
  "err.analysis.reason.fewRequests":
    "{requests} requests to {version} over {window} s, fewer than {min}: not enough traffic to judge",
  "err.analysis.reason.noData": "no data for {name} over {window} s",
  "err.analysis.reason.noBase": "no data for {name} of the base version over {window} s",
  "err.analysis.reason.unavailable": "{name} could not be measured: {reason}",
  "err.analysis.decision.failed": "analysis failed: {failures} failed runs (limit {limit})",
  "err.analysis.decision.notEnoughTraffic": "not enough traffic: {count} inconclusive runs in a row (limit {limit})",
} as const satisfies Record<string, string>;

export type ErrorKey = keyof typeof errorsEn;
