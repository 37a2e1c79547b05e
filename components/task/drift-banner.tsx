"use client";
import type { DriftEntry, TaskDetail } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { PermissionNote } from "@/components/auth/permission-note";
import type { ActionRunner } from "./action-runner";

function show(v: unknown): string {
  if (v === undefined) return "∅";
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** Someone edited the task's VirtualService/DestinationRule behind its back. */
export function DriftBanner({ task, runner }: { task: TaskDetail; runner: ActionRunner }) {
  const t = useT();
  const drift = task.drift;
  if (!drift) return null;
  const groups: [string, DriftEntry[]][] = [
    ["VirtualService", drift.virtualService ?? []],
    ["DestinationRule", drift.destinationRule ?? []],
    // Paths of the gateway routes the release follows start with <VirtualService>/<route>.
    ["VirtualService", drift.entryRoutes ?? []],
    ["HTTPRoute", drift.httpRoute ?? []],
  ];
  return (
    <section
      role="alert"
      className="rounded-lg border border-amber-400 bg-amber-50 p-4 text-sm text-amber-950"
      data-testid="drift-banner"
    >
      <h2 className="text-base font-semibold text-amber-950">{t("drift.title")}</h2>
      <p className="mt-1">{t("drift.body")}</p>
      <ul className="mt-2 space-y-1 font-mono text-xs">
        {groups.flatMap(([kind, entries]) =>
          entries.map((e) => (
            <li key={`${kind}-${e.path}`}>
              <span className="font-semibold">{kind}</span> {e.path}: {t("drift.expected")}{" "}
              <span className="text-emerald-800">{show(e.expected)}</span>, {t("drift.actual")}{" "}
              <span className="text-red-800">{show(e.actual)}</span>
            </li>
          )),
        )}
      </ul>
      <div className="mt-3 flex gap-2">
        {task.allowedActions.includes("resync") && (
          <button
            type="button"
            className="btn"
            data-testid="action-resync"
            disabled={runner.locked || !runner.canChange.allowed}
            onClick={() => runner.request("resync")}
          >
            {t("action.resync")}
          </button>
        )}
        {task.allowedActions.includes("acceptDrift") && (
          <button
            type="button"
            className="btn"
            data-testid="action-acceptDrift"
            disabled={runner.locked || !runner.canChange.allowed}
            onClick={() => runner.request("acceptDrift")}
          >
            {t("action.acceptDrift")}
          </button>
        )}
      </div>
      {(task.allowedActions.includes("resync") || task.allowedActions.includes("acceptDrift")) && (
        <PermissionNote can={runner.canChange} place="drift" className="mt-2" />
      )}
    </section>
  );
}
