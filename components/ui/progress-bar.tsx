/** ready/desired as a bar; full and green when every desired replica is ready. */
export function ReplicaProgress({ ready, desired, label }: { ready: number; desired: number; label: string }) {
  const pct = desired === 0 ? (ready === 0 ? 100 : 0) : Math.min(100, Math.round((ready / desired) * 100));
  const done = ready >= desired;
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
      >
        <div className={`h-full ${done ? "bg-emerald-500" : "bg-amber-500"}`} style={{ width: `${pct}%` }} />
      </div>
      <span className="tabular-nums text-sm text-slate-700">
        {ready}/{desired}
      </span>
    </div>
  );
}
