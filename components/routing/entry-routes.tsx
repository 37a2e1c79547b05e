import type { EntryRouteReading } from "@/lib/api/contracts";
import type { Translate } from "@/lib/i18n/format";
import { WeightBar } from "./weight-bar";
import type { VersionColours } from "./version-colours";
import { matchText } from "./match-text";

interface Props {
  routes: readonly EntryRouteReading[];
  /** The page's colours of the service's versions. */
  colours: VersionColours;
  t: Translate;
  testId: string;
  /** On a task page: these routes carry the task's weights (the service page only lists them). */
  follows?: boolean;
}

/**
 * The ingress gateway's routes to the service: users entering through the gateway are routed by
 * these, never by the mesh VirtualService, so they are shown next to it.
 */
export function EntryRoutes({ routes, colours, t, testId, follows = false }: Props) {
  if (routes.length === 0) return null;
  return (
    <ul className="space-y-2" data-testid={testId}>
      {routes.map((r) => {
        const vars = { route: r.id, gateways: r.gateways.join(", ") };
        return (
          <li
            key={r.id}
            className="rounded bg-slate-50 px-2 py-1.5 text-xs text-slate-700 ring-1 ring-slate-200"
            data-testid={`${testId}-${r.id}`}
          >
            <p>
              <span className="font-medium">
                {follows ? t("routing.entryRouteFollows", vars) : t("routing.entryRoute", vars)}
              </span>
              <span className="ml-1 font-mono text-slate-500">{matchText(r.conditions, t)}</span>
            </p>
            {r.weights ? (
              <div className="mt-1">
                <WeightBar weights={r.weights} colours={colours} t={t} size="sm" />
              </div>
            ) : (
              <p className="mt-1 text-amber-800">{t("routing.entryRouteGone")}</p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
