import Link from "next/link";
import { STRATEGIES } from "@/lib/release/types";
import type { Translate } from "@/lib/i18n/format";
import { StrategyDiagram } from "./strategy-diagram";
import { newReleaseHref } from "@/components/services/links";

/** Server component: one card per strategy, each starting the wizard with it preselected. */
export function StrategyCards({ t }: { t: Translate }) {
  return (
    <ul className="grid grid-cols-3 gap-4 2xl:grid-cols-6" data-testid="strategy-cards">
      {STRATEGIES.map((s) => (
        <li key={s}>
          <Link
            href={newReleaseHref(undefined, undefined, s)}
            className="card flex h-full flex-col gap-2 p-4 transition hover:border-sky-400 hover:shadow"
            data-testid={`strategy-card-${s}`}
          >
            <StrategyDiagram strategy={s} />
            <span className="font-semibold text-slate-900">{t(`strategy.${s}.name`)}</span>
            <span className="text-sm text-slate-600">{t(`strategy.${s}.desc`)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
