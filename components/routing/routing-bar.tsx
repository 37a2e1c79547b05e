import type { Translate } from "@/lib/i18n/format";
import type { RoutingReading, VersionGroup } from "@/lib/release/routing";
import { toPercentages } from "./segments";
import { WeightBar, segmentLabel } from "./weight-bar";
import { serviceColours, type VersionColours } from "./version-colours";
import { matchText } from "./match-text";

interface Props {
  routing: RoutingReading;
  versions: readonly VersionGroup[];
  t: Translate;
  testId: string;
  /** Also list match routes and the mirror (the services table shows them; compact views do not). */
  detailed?: boolean;
  /** The page's colours; by default the service's own (serviceColours: the serving version is the base). */
  colours?: VersionColours;
}

/**
 * The configured routing of one service: the default route as a bar, then match routes and
 * the mirror as text. Routes the console did not create are shown the same way.
 */
export function RoutingBar({ routing, versions, t, testId, detailed = true, colours }: Props) {
  const versionNames = versions.map((v) => v.version);
  const c = colours ?? serviceColours(versionNames, routing.defaultRoute?.weights ?? {});
  // A Gateway API route carries the weights as a VirtualService would.
  const routed =
    routing.virtualService !== null || (routing.router?.backend === "gateway-api" && routing.router.name !== null);
  if (!routed) {
    // No mesh routing: kube-proxy spreads requests over ready pods, so replica counts are the split.
    const byReplicas = toPercentages(Object.fromEntries(versions.map((v) => [v.version, v.replicas.ready])));
    return (
      <div data-testid={testId} className="space-y-1">
        <p className="text-sm text-slate-600">{t("routing.noVirtualService")}</p>
        {versions.length > 0 && (
          <>
            <WeightBar weights={byReplicas} colours={c} t={t} size="sm" approximate />
            <p className="text-xs text-slate-500">{t("routing.byReplicas")}</p>
          </>
        )}
      </div>
    );
  }
  const d = routing.defaultRoute;
  return (
    <div data-testid={testId} className="space-y-2">
      {d ? (
        <WeightBar weights={d.weights} colours={c} t={t} testId={`${testId}-default`} />
      ) : (
        <p className="text-sm text-amber-800">
          {routing.router?.kind === "HTTPRoute"
            ? t("routing.noDefaultRule", { route: routing.router.name ?? "" })
            : t("routing.noDefaultRoute", { vs: routing.virtualService ?? "" })}
        </p>
      )}
      {detailed && d?.mirror && (
        <p className="text-xs text-slate-700" data-testid={`${testId}-mirror`}>
          {t("routing.mirror", { subset: segmentLabel(d.mirror.subset, t), percent: d.mirror.percent })}
        </p>
      )}
      {detailed && routing.matchRoutes.length > 0 && (
        <ul className="space-y-1 text-xs text-slate-700" data-testid={`${testId}-matches`}>
          {routing.matchRoutes.map((m, i) => (
            <li key={`${m.name ?? ""}-${i}`} className="rounded bg-slate-50 px-2 py-1 ring-1 ring-slate-200">
              <span className="text-slate-500">{t("routing.matchRoute")} </span>
              {m.name && <span className="font-mono text-slate-500">{m.name}: </span>}
              <span className="font-mono">{matchText(m.conditions, t)}</span>
              <span className="text-slate-500"> → </span>
              <span className="font-mono">
                {Object.entries(m.weights)
                  .map(([k, w]) => `${segmentLabel(k, t)} ${w}%`)
                  .join(", ")}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
