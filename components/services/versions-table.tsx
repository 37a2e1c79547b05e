import type { Translate } from "@/lib/i18n/format";
import type { VersionGroup } from "@/lib/release/routing";
import { ReplicaProgress } from "@/components/ui/progress-bar";
import { colourOf, serviceColours, type VersionColours } from "@/components/routing/version-colours";

interface Props {
  versions: readonly VersionGroup[];
  t: Translate;
  testId?: string;
  /** The page's colours; by default the service's own with the first version by name as the base. */
  colours?: VersionColours;
}

/** version | image | ready/desired, one line per version, colour-keyed like the routing bar. */
export function VersionsTable({ versions, t, testId, colours }: Props) {
  const names = versions.map((v) => v.version);
  const c = colours ?? serviceColours(names, {});
  if (versions.length === 0) return <p className="text-sm text-slate-500">{t("services.noVersions")}</p>;
  return (
    <table className="w-full table-fixed text-sm" data-testid={testId}>
      <colgroup>
        <col className="w-24" />
        <col />
        <col className="w-44" />
      </colgroup>
      <thead className="sr-only">
        <tr>
          <th scope="col">{t("services.version")}</th>
          <th scope="col">{t("services.image")}</th>
          <th scope="col">{t("services.ready")}</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid={testId ? `${testId}-${v.version}` : undefined}>
            <td className="truncate py-0.5 pr-3 whitespace-nowrap">
              <span className="inline-flex items-center gap-1.5 font-mono font-medium" title={v.version}>
                <span
                  className="inline-block size-2 rounded-sm"
                  style={{ backgroundColor: colourOf(c, v.version) }}
                  data-version={v.version}
                  aria-hidden
                />
                {v.version}
              </span>
            </td>
            <td className="truncate py-0.5 pr-3 font-mono text-xs text-slate-600" title={v.image}>
              {v.image}
            </td>
            <td className="py-0.5 whitespace-nowrap">
              <ReplicaProgress
                ready={v.replicas.ready}
                desired={v.replicas.desired}
                label={t("services.readyOf", { version: v.version })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
