import type { Translate } from "@/lib/i18n/format";
import { ANY_SUBSET } from "@/lib/release/routing";
import { OTHER_TRAFFIC } from "@/lib/metrics/fold";
import { weightSegments } from "./segments";
import { colourOf, type VersionColours } from "./version-colours";

interface Props {
  weights: Record<string, number>;
  /** The page's colours of the service's versions (one assignment for every panel). */
  colours: VersionColours;
  t: Translate;
  testId?: string;
  size?: "sm" | "md";
  /** Dashed: an approximation (replica counts) rather than configured routing. */
  approximate?: boolean;
}

export function segmentLabel(key: string, t: Translate): string {
  if (key === ANY_SUBSET) return t("routing.anySubset");
  if (key === OTHER_TRAFFIC) return t("metrics.otherTraffic");
  return key;
}

/**
 * A horizontal bar of weighted segments with a legend of "v1 80%" entries. Every coloured
 * element carries data-version, so what a version looks like can be read off the page.
 */
export function WeightBar({ weights, colours, t, testId, size = "md", approximate = false }: Props) {
  const segments = weightSegments(weights);
  const summary = segments.map((s) => `${segmentLabel(s.key, t)} ${s.weight}%`).join(", ");
  return (
    <div data-testid={testId} className="min-w-0">
      <div
        className={`flex w-full overflow-hidden rounded ${size === "sm" ? "h-2" : "h-5"} ${approximate ? "opacity-60 outline-1 outline-dashed outline-slate-400" : ""} bg-slate-200`}
        role="img"
        aria-label={summary}
      >
        {segments
          .filter((s) => s.width > 0)
          .map((s) => (
            <div
              key={s.key}
              className="flex h-full items-center justify-center overflow-hidden text-[11px] font-medium whitespace-nowrap text-white"
              style={{ width: `${s.width}%`, backgroundColor: colourOf(colours, s.key) }}
              title={`${segmentLabel(s.key, t)} ${s.weight}%`}
              data-version={s.key}
            >
              {size === "md" && s.width >= 14 ? `${segmentLabel(s.key, t)} ${s.weight}%` : null}
            </div>
          ))}
      </div>
      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-700" aria-hidden>
        {segments.map((s) => (
          <li key={s.key} className="inline-flex items-center gap-1" data-segment={s.key}>
            <span
              className="inline-block size-2 rounded-sm"
              style={{ backgroundColor: colourOf(colours, s.key) }}
              data-version={s.key}
            />
            <span className="font-mono">{segmentLabel(s.key, t)}</span>
            <span className="tabular-nums">{s.weight}%</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
