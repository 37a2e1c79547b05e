// Rebasing a planned HTTPRoute write on the route as it is live when the write is sent (after a
// wait): the rules the plan changes, adds or removes are found by name and carried over; every
// other rule, and everything else in the spec, stays as it is live. A rule of the plan's that
// someone changed meanwhile is a conflict, never overwritten. PURE.
import { clone, deepEqual } from "../json";
import type { K8sObject } from "../types";
import type { HTTPRouteRule, HTTPRouteSpec } from "./gateway-api-types";

export type HttpRouteRebase = { spec: HTTPRouteSpec } | { conflict: string };

const rulesOf = (o: K8sObject): HTTPRouteRule[] => ((o.spec ?? {}) as HTTPRouteSpec).rules ?? [];
const byName = (rules: readonly HTTPRouteRule[], name: string) => rules.find((r) => r.name === name);

export function rebaseHttpRouteSpec(object: K8sObject, before: K8sObject, live: K8sObject): HttpRouteRebase {
  const planned = rulesOf(object);
  const was = rulesOf(before);
  const now = rulesOf(live);
  if (
    planned.some((r) => r.name === undefined && !was.some((w) => deepEqual(w, r))) ||
    was.some((r) => r.name === undefined && !planned.some((p) => deepEqual(p, r)))
  )
    return { conflict: "it changes a rule without a name, which cannot be found again" };
  const changed = planned
    .filter((r) => r.name !== undefined && !deepEqual(byName(was, r.name), r))
    .map((r) => r.name as string);
  const removed = was.filter((r) => r.name !== undefined && !byName(planned, r.name)).map((r) => r.name as string);
  for (const name of [...changed, ...removed]) {
    if (!deepEqual(byName(was, name), byName(now, name)))
      return { conflict: `someone changed its rule ${name} since the plan was made` };
  }
  const rules = now
    .filter((r) => !(r.name !== undefined && removed.includes(r.name)))
    .map((r) =>
      r.name !== undefined && changed.includes(r.name) && byName(now, r.name)
        ? clone(byName(planned, r.name) as HTTPRouteRule)
        : clone(r),
    );
  // Rules the plan adds go where the plan put them: before the rule that follows them in the plan.
  planned.forEach((r, i) => {
    if (r.name === undefined || rules.some((x) => x.name === r.name)) return;
    const nextName = planned
      .slice(i + 1)
      .find((x) => x.name !== undefined && rules.some((y) => y.name === x.name))?.name;
    const at = nextName === undefined ? rules.length : rules.findIndex((x) => x.name === nextName);
    rules.splice(at, 0, clone(r));
  });
  return { spec: { ...clone((live.spec ?? {}) as HTTPRouteSpec), rules } };
}
