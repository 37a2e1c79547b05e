import type { TaskState } from "@/lib/release/types";
import type { Translate } from "@/lib/i18n/format";

const TONE: Record<TaskState, string> = {
  progressing: "bg-sky-100 text-sky-800 ring-sky-300",
  "awaiting-confirmation": "bg-amber-100 text-amber-900 ring-amber-300",
  paused: "bg-slate-200 text-slate-800 ring-slate-300",
  completed: "bg-emerald-100 text-emerald-800 ring-emerald-300",
  "rolled-back": "bg-orange-100 text-orange-900 ring-orange-300",
  aborted: "bg-slate-100 text-slate-600 ring-slate-300",
  failed: "bg-red-100 text-red-800 ring-red-300",
};

/** Works in server and client components alike: the caller passes its `t`. */
export function StateBadge({ state, t }: { state: TaskState; t: Translate }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[state]}`}
      data-testid="state-badge"
      data-state={state}
    >
      {t(`state.${state}`)}
    </span>
  );
}
