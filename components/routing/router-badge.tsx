import type { Translate } from "@/lib/i18n/format";
import type { RoutingReading } from "@/lib/release/routing";

const TONE: Record<NonNullable<RoutingReading["router"]>["backend"], string> = {
  istio: "bg-sky-50 text-sky-800 ring-sky-200",
  "gateway-api": "bg-violet-50 text-violet-800 ring-violet-200",
  none: "bg-slate-50 text-slate-700 ring-slate-200",
};

/**
 * Which router carries a service's routing (Istio, the Gateway API, none) and in which object:
 * a badge, with the object named beside it ("HTTPRoute catalog"). Readings without `router` are Istio's.
 */
export function RouterBadge({ routing, t, testId }: { routing: RoutingReading; t: Translate; testId: string }) {
  const router = routing.router ?? {
    backend: "istio" as const,
    kind: routing.virtualService ? ("VirtualService" as const) : null,
    name: routing.virtualService,
  };
  const name = router.name ?? t("router.noObject");
  return (
    <span className="inline-flex items-center gap-1.5" data-testid={testId} data-router={router.backend}>
      <span
        className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[router.backend]}`}
        title={t(`router.title.${router.backend}`, { name })}
      >
        {t(`router.${router.backend}`)}
      </span>
      {router.kind && router.name && (
        <span className="font-mono text-xs font-normal text-slate-500">{`${router.kind} ${router.name}`}</span>
      )}
    </span>
  );
}
