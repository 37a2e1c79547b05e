// How a route the task owns is named in the router's objects (an Istio http route's `name`, a
// Gateway API rule's `name`): after the task and the route's purpose, so the task finds its own
// routes again and never touches anyone else's. PURE.

export function ownedRouteName(task: string, purpose: string): string {
  return `gc-${task}-${purpose}`;
}
