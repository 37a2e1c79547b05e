"use client";
import { useId } from "react";
import type { ForeignRoute } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { routeMatchText, routeSendsText, routeTitle } from "./foreign-route-text";
import type { SplitChoice } from "./action-effects";

// The choices an action's confirmation dialog offers beside its effects: which foreign routes
// move along, and which split the next batch group leaves.

/** Every other route still on the old version, each with "move it too" (off by default). */
export function ForeignRoutesChoice({
  routes,
  mode,
  base,
  next,
  chosen,
  onChange,
}: {
  routes: ForeignRoute[];
  mode: "refuse" | "keep";
  base: string;
  next: string;
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const t = useT();
  const hintId = useId();
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...chosen.filter((x) => x !== id), id] : chosen.filter((x) => x !== id));
  return (
    <fieldset
      className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-3 pt-1 pb-3"
      data-testid="foreign-routes"
      aria-describedby={hintId}
    >
      <legend className="px-1 font-medium text-amber-950">{t("foreignRoutes.title", { base })}</legend>
      <p className="text-xs text-amber-950/80">{t("foreignRoutes.intro", { next })}</p>
      <ul className="mt-2 max-h-64 space-y-3 overflow-y-auto">
        {routes.map((r) => (
          <li key={r.id} data-testid="foreign-route" data-route={r.id} data-sends={r.sends}>
            <p className="font-medium text-slate-900">{routeTitle(r, t)}</p>
            <p className="text-xs text-slate-700">
              {routeMatchText(r, t)} {routeSendsText(r, t)}
            </p>
            {!r.sends && <p className="text-xs text-slate-600">{t("foreignRoutes.namesOnly", { base })}</p>}
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                data-testid="move-route"
                checked={chosen.includes(r.id)}
                onChange={(e) => toggle(r.id, e.target.checked)}
              />
              {t("foreignRoutes.move", { next })}
            </label>
          </li>
        ))}
      </ul>
      <p id={hintId} className="mt-3 text-xs font-medium text-amber-950" data-testid="foreign-routes-hint">
        {t(mode === "refuse" ? "foreignRoutes.refuseHint" : "foreignRoutes.keepHint", { base })}
      </p>
    </fieldset>
  );
}

/** Keep the split set while the release waited (the default) or take the replica ratio. */
export function SplitChoiceField({
  choice,
  keep,
  onChange,
}: {
  choice: Extract<SplitChoice, { kind: "choice" }>;
  keep: boolean;
  onChange: (keep: boolean) => void;
}) {
  const t = useT();
  const name = useId();
  return (
    <fieldset className="mt-4 rounded-md border border-slate-200 px-3 pt-1 pb-3" data-testid="batch-split">
      <legend className="px-1 font-medium text-slate-900">{t("batchSplit.choice")}</legend>
      <label className="mt-1 flex items-center gap-2">
        <input type="radio" name={name} data-testid="split-keep" checked={keep} onChange={() => onChange(true)} />
        {t("batchSplit.keep", { split: choice.current })}
      </label>
      <label className="mt-1 flex items-center gap-2">
        <input type="radio" name={name} data-testid="split-ratio" checked={!keep} onChange={() => onChange(false)} />
        {t("batchSplit.useRatio", { split: choice.ratio })}
      </label>
      <p className="mt-2 text-xs font-medium text-slate-800" data-testid="split-outcome" aria-live="polite">
        {keep
          ? t("batchSplit.willKeep", { split: choice.current })
          : t("batchSplit.willRatio", { split: choice.ratio })}
      </p>
    </fieldset>
  );
}
