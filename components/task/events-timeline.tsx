"use client";
import { useTaskEvents } from "@/lib/queries/hooks";
import { useLocale, useT } from "@/lib/i18n/client";
import { formatDateTime, formatRelative } from "@/lib/i18n/format";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import type { TaskEventView } from "@/lib/api/contracts";
import { eventErrorText, eventLabel, movedRoutesChange, snapshotText, sortEvents } from "./timeline";
import { actorName } from "@/components/auth/actor";

export function EventsTimeline({ id, live }: { id: string; live: boolean }) {
  const t = useT();
  const q = useTaskEvents(id, live);
  if (q.isPending) return <LoadingBlock />;
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  const events = sortEvents(q.data.events);
  if (events.length === 0) return <p className="text-sm text-slate-500">{t("task.noEvents")}</p>;
  return (
    <ol className="relative space-y-4 border-l-2 border-slate-200 pl-5" data-testid="events-timeline">
      {events.map((e) => (
        <EventItem key={e.id} e={e} />
      ))}
    </ol>
  );
}

function EventItem({ e }: { e: TaskEventView }) {
  const t = useT();
  const locale = useLocale();
  const reason = eventErrorText(e, t);
  const routes = movedRoutesChange(e.before, e.after);
  return (
    <li className="relative" data-testid="event" data-action={e.action} data-result={e.result}>
      <span
        className={`absolute top-1.5 -left-[1.72rem] size-3 rounded-full ring-4 ring-white ${e.result === "ok" ? "bg-sky-600" : "bg-red-600"}`}
        aria-hidden
      />
      <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium">{eventLabel(e.action, t)}</span>
        <span className="text-slate-600">{t("task.by", { actor: actorName(e.actor, t) })}</span>
        <time dateTime={e.at} title={formatDateTime(e.at, locale)} className="text-xs text-slate-500">
          {formatRelative(e.at, locale)}
        </time>
        {e.result === "error" && (
          <span className="rounded bg-red-100 px-1.5 text-xs text-red-800">{t("task.failed")}</span>
        )}
      </div>
      {(e.before || e.after) && (
        <p className="mt-0.5 font-mono text-xs text-slate-700">
          {snapshotText(e.before, t)} <span className="text-slate-400">→</span> {snapshotText(e.after, t)}
          {e.after && e.before?.state !== e.after.state && (
            <span className="ml-2 text-slate-500">[{t(`state.${e.after.state}`)}]</span>
          )}
        </p>
      )}
      {routes.moved.map((m) => (
        <p key={m.to} className="mt-0.5 text-xs text-slate-700" data-testid="event-moved-routes">
          {t("history.movedTo", { version: m.to, routes: m.routes.join(", ") })}
        </p>
      ))}
      {routes.back.length > 0 && (
        <p className="mt-0.5 text-xs text-slate-700" data-testid="event-moved-back">
          {t("history.movedBack", { routes: routes.back.join(", ") })}
        </p>
      )}
      {reason && (
        <p className="mt-0.5 text-xs break-words text-red-700" data-testid="event-error">
          {reason}
        </p>
      )}
    </li>
  );
}
