"use client";
import type { OperationView, TaskDetail } from "@/lib/api/contracts";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import type { Translate } from "@/lib/i18n/format";
import { eventLabel } from "./timeline";
import { stepText } from "./step-text";
import { actorName } from "@/components/auth/actor";

const TONE: Record<string, string> = {
  "needs-attention": "border-red-400 bg-red-50 text-red-950",
  compensating: "border-amber-400 bg-amber-50 text-amber-950",
};
const CALM = "border-sky-300 bg-sky-50 text-sky-950";

/** One sentence on what the operation in flight is doing now. */
function headline(op: OperationView, t: Translate, when: (iso: string) => string): string {
  const action = eventLabel(op.action, t);
  if (op.state === "needs-attention") return t("operation.needsAttention", { action, attempts: op.attempts });
  if (op.state === "compensating") return t("operation.compensating", { action });
  const w = op.waiting;
  if (w?.kind === "ready")
    return t("operation.waitingReady", {
      version: w.version,
      ready: w.ready ?? 0,
      desired: w.desired ?? 0,
      until: when(w.until),
    });
  if (w?.kind === "drain") return t("operation.draining", { version: w.version, until: when(w.until) });
  const done = op.steps.filter((s) => s.state === "done").length;
  return t("operation.applying", { action, done, total: op.steps.length });
}

/**
 * The journalled operation still in flight: what it waits for (Ready pods, a drain), what it is
 * undoing, or what it left in the cluster and when it retries. Absent when nothing is in flight.
 */
export function OperationBanner({ task }: { task: TaskDetail }) {
  const t = useT();
  const locale = useLocale();
  const op = task.operation;
  if (!op) return null;
  const when = (iso: string) => formatRelative(iso, locale);
  return (
    <section
      role="status"
      aria-live="polite"
      className={`rounded-lg border p-4 text-sm ${TONE[op.state] ?? CALM}`}
      data-testid="operation-banner"
      data-operation-state={op.state}
      data-waiting={op.waiting?.kind ?? ""}
    >
      <p className="font-medium" data-testid="operation-headline">
        {headline(op, t, when)}
      </p>
      <p className="mt-1 text-xs opacity-80">
        {t("operation.by", { actor: actorName(op.actor, t), at: formatDateTime(op.createdAt, locale) })}
      </p>
      {op.error && (
        <p className="mt-2" data-testid="operation-error">
          {t("operation.error", { message: op.error })}
        </p>
      )}
      {op.leftovers.length > 0 && (
        <div className="mt-2" data-testid="operation-leftovers">
          <p>{t("operation.leftovers")}</p>
          <ul className="ml-5 list-disc font-mono text-xs">
            {op.leftoverSteps.map((l, i) => (
              <li key={i}>{stepText(l, t)}</li>
            ))}
          </ul>
          {op.nextAttemptAt && <p className="mt-1">{t("operation.retryAt", { at: when(op.nextAttemptAt) })}</p>}
        </div>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-xs">{t("operation.steps", { n: op.steps.length })}</summary>
        <ol className="mt-1 ml-5 list-decimal space-y-0.5 font-mono text-xs">
          {op.steps.map((s, i) => (
            <li key={i} data-step-state={s.state}>
              {stepText(s.step, t)} — {t(`operation.step.${s.state}`)}
              {s.error ? `: ${s.error}` : ""}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
