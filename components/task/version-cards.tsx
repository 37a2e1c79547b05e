"use client";
import type { TaskVersion } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { formatAge, type Translate } from "@/lib/i18n/format";
import { ReplicaProgress } from "@/components/ui/progress-bar";
import { colourOf, type VersionColours } from "@/components/routing/version-colours";

const ROLE_ORDER = { base: 0, new: 1, other: 2 } as const;

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;
/** Kubernetes' pod phase in the reader's language (a phase it may add later stays as sent). */
function podPhase(phase: string, t: Translate): string {
  return (PHASES as readonly string[]).includes(phase) ? t(`pod.phase.${phase as (typeof PHASES)[number]}`) : phase;
}

/** Base, new and any other versions side by side. */
export function VersionCards({ versions, colours }: { versions: TaskVersion[]; colours: VersionColours }) {
  const t = useT();
  const sorted = [...versions].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  if (versions.length === 0) return <p className="text-sm text-slate-500">{t("task.noVersions")}</p>;
  return (
    <div className={`grid gap-4 ${sorted.length >= 3 ? "grid-cols-3" : "grid-cols-2"}`}>
      {sorted.map((v) => (
        <article
          key={v.version}
          className="card overflow-hidden"
          data-testid={`version-card-${v.version}`}
          data-role={v.role}
        >
          <header
            className="flex items-center gap-2 border-b border-slate-200 px-4 py-2"
            style={{ borderTop: `4px solid ${colourOf(colours, v.version)}` }}
          >
            <span
              className="inline-block size-3 rounded-sm"
              style={{ backgroundColor: colourOf(colours, v.version) }}
              data-version={v.version}
              aria-hidden
            />
            <h3 className="font-mono text-base font-semibold">{v.version}</h3>
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
              {t(`task.role.${v.role}`)}
            </span>
            <span className="ml-auto text-sm tabular-nums" data-testid={`version-weight-${v.version}`}>
              {v.weight === null ? "—" : `${v.weight}%`}
            </span>
          </header>
          <div className="space-y-3 px-4 py-3 text-sm">
            <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1.5">
              <dt className="text-slate-500">{t("services.image")}</dt>
              <dd className="truncate font-mono text-xs" title={v.image}>
                {v.image}
              </dd>
              <dt className="text-slate-500">{t("services.ready")}</dt>
              <dd>
                <ReplicaProgress
                  ready={v.replicas.ready}
                  desired={v.replicas.desired}
                  label={t("services.readyOf", { version: v.version })}
                />
              </dd>
              <dt className="text-slate-500">{t("common.age")}</dt>
              <dd className="tabular-nums">{formatAge(v.createdAt)}</dd>
              <dt className="text-slate-500">{t("services.deployments")}</dt>
              <dd className="font-mono text-xs">{v.deployments.join(", ") || "—"}</dd>
            </dl>
            <details open={v.pods.length <= 6}>
              <summary className="cursor-pointer text-xs font-medium text-slate-600">
                {t("task.pods", { n: v.pods.length })}
              </summary>
              <ul className="mt-1 space-y-0.5 text-xs" data-testid={`pods-${v.version}`}>
                {v.pods.map((p) => (
                  <li key={p.name} className="flex items-center gap-2">
                    <span
                      className={`inline-block size-2 rounded-full ${p.ready ? "bg-emerald-500" : p.phase === "Pending" ? "bg-amber-400" : "bg-red-500"}`}
                      aria-hidden
                    />
                    <span className="truncate font-mono">{p.name}</span>
                    <span className="text-slate-500">{p.ready ? t("task.podReady") : podPhase(p.phase, t)}</span>
                    <span className="ml-auto truncate text-slate-500">{p.node ?? "—"}</span>
                    <span className="w-10 text-right text-slate-500 tabular-nums">{formatAge(p.startedAt)}</span>
                  </li>
                ))}
              </ul>
            </details>
          </div>
        </article>
      ))}
    </div>
  );
}
