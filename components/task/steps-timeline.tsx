"use client";
import { useEffect, useState } from "react";
import type { StepsView } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { clock, secondsLeft, stepPhases, stepText, type StepPhase } from "./steps-text";

// The release steps: done ones, the current one (with a live countdown when it is timed, or
// "waits for Promote"), and the ones to come. The task is polled while it is live; the countdown
// ticks here between polls.

const DOT: Record<StepPhase, string> = {
  done: "bg-emerald-500 border-emerald-500 text-white",
  current: "bg-sky-100 border-sky-600 text-sky-900",
  next: "bg-white border-slate-300 text-slate-500",
};

/** Now, once a second while a timed step runs. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function CurrentNote({ steps, now }: { steps: StepsView; now: number }) {
  const t = useT();
  const s = steps.state;
  if (!s || s.done) return null;
  const left = secondsLeft(s.until, now);
  if (left !== null)
    return (
      <span className="text-xs font-medium tabular-nums text-sky-800" data-testid="step-countdown">
        {t("steps.left", { time: clock(left) })}
      </span>
    );
  if (s.kind === "pause") return <span className="text-xs text-amber-800">{t("steps.waitsForPromote")}</span>;
  return null;
}

export function StepsTimeline({ steps }: { steps: StepsView }) {
  const t = useT();
  const phases = stepPhases(steps);
  const s = steps.state;
  const now = useNow(!!s?.until && !s.done && !s.heldBy);
  return (
    <div className="space-y-3">
      {!s && <p className="text-sm text-slate-600">{t("steps.notStarted")}</p>}
      {s?.done && <p className="text-sm text-emerald-800">{t("steps.finished")}</p>}
      {s?.heldBy && (
        <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="steps-held">
          {t("steps.held")}
        </p>
      )}
      <ol className="flex flex-wrap items-start gap-y-3" data-testid="steps-timeline" aria-label={t("steps.title")}>
        {steps.plan.map((step, i) => {
          const phase = phases[i] ?? "next";
          const label = stepText(step);
          return (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: a task's plan never changes: a step is its position
              key={i}
              className="flex min-w-28 flex-1 flex-col items-center text-center"
              data-testid={`step-${i + 1}`}
              data-phase={phase}
              aria-current={phase === "current" ? "step" : undefined}
            >
              <span
                className={`flex size-8 items-center justify-center rounded-full border-2 text-sm font-semibold ${DOT[phase]}`}
              >
                {i + 1}
              </span>
              <span className="mt-1 text-sm text-slate-800">{t(label.key, label.vars)}</span>
              <span className="text-xs text-slate-500">{t(`steps.phase.${phase}`)}</span>
              {phase === "current" && <CurrentNote steps={steps} now={now} />}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
