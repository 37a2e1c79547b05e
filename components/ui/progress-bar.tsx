import { replicaFill } from "./replica-fill";

const TONE = { complete: "bg-emerald-500", partial: "bg-amber-500", none: "" } as const;

/** ready/desired as a bar: full and green when every desired replica is Ready, empty at 0/0. */
export function ReplicaProgress({ ready, desired, label }: { ready: number; desired: number; label: string }) {
  const fill = replicaFill(ready, desired);
  return (
    <div className="flex items-center gap-2">
      <div
        className="h-2 w-28 overflow-hidden rounded-full bg-slate-200"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={desired}
        aria-valuenow={Math.min(ready, desired)}
        aria-valuetext={`${ready}/${desired}`}
        data-fill={fill.tone}
      >
        {fill.percent > 0 && <div className={`h-full ${TONE[fill.tone]}`} style={{ width: `${fill.percent}%` }} />}
      </div>
      <span className="tabular-nums text-sm text-slate-700">
        {ready}/{desired}
      </span>
    </div>
  );
}
