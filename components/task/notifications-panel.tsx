"use client";
import type { DeliveryView, TaskDetail } from "@/lib/api/contracts";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";

const STATUS_TONE: Record<DeliveryView["status"], string> = {
  pending: "bg-amber-100 text-amber-900",
  sent: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
};

/**
 * Where the task's messages go and which of them did not arrive (yet), with the receiver's
 * reason. Sent ones are only counted: the list is for what needs a look.
 */
export function NotificationsPanel({ task }: { task: TaskDetail }) {
  const t = useT();
  const locale = useLocale();
  const targets = task.spec.notifications ?? [];
  const open = task.notifications.filter((d) => d.status !== "sent");
  const sent = task.notifications.length - open.length;
  if (targets.length === 0 && task.notifications.length === 0) return null;
  return (
    <section className="card p-5" aria-labelledby="notifications-heading" data-testid="notifications-panel">
      <h2 id="notifications-heading">{t("notify.panel")}</h2>
      <p className="mt-1 text-xs text-slate-500">{t("notify.panelHint")}</p>
      {targets.length > 0 && (
        <p className="mt-2 text-sm" data-testid="notification-targets">
          {t("notify.targets")}:{" "}
          {targets.map((target, i) => (
            <span key={i} className="mr-3 font-mono text-xs">
              {target.type} {target.url}
              {target.secretSet ? ` (${t("notify.secretSet")})` : ""}
            </span>
          ))}
        </p>
      )}
      {open.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600" data-testid="notifications-ok">
          {task.notifications.length === 0 ? t("notify.none") : t("notify.allSent", { n: sent })}
        </p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm" data-testid="notifications-open">
          {open.map((d, i) => (
            <li key={i} data-testid="notification-delivery" data-status={d.status} data-type={d.type}>
              <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_TONE[d.status]}`}>
                {t(`notify.status.${d.status}`)}
              </span>{" "}
              <span className="font-medium">{t(`notify.event.${d.event}`)}</span> ·{" "}
              <span className="font-mono text-xs">
                {d.type} {d.url}
              </span>{" "}
              ·{" "}
              <time dateTime={d.at} title={formatDateTime(d.at, locale)}>
                {formatRelative(d.at, locale)}
              </time>{" "}
              · {t("notify.attempts", { n: d.attempts })}
              {d.nextAttemptAt && <> · {t("notify.retryAt", { at: formatRelative(d.nextAttemptAt, locale) })}</>}
              {d.lastError && (
                <p className="mt-0.5 text-xs text-red-800" data-testid="notification-error">
                  {t("notify.reason", { reason: d.lastError })}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
