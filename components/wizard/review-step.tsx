"use client";
import type { PreviewDiffEntry, PreviewResponse } from "@/lib/api/contracts";
import { useT } from "@/lib/i18n/client";
import { LoadingBlock, QueryError } from "@/components/ui/query-state";
import type { Translate } from "@/lib/i18n/format";
import { lineDiff, withContext } from "./line-diff";
import { summaryLines } from "./summary";

const OPS = ["create", "replace", "delete", "scale"] as const;
/** The badge of a write: its verb in the reader's language (an op this UI does not know stays as sent). */
function opLabel(op: string, t: Translate): string {
  return (OPS as readonly string[]).includes(op) ? t(`wizard.op.${op as (typeof OPS)[number]}`) : op;
}

interface Props {
  preview: { data?: PreviewResponse; isPending: boolean; isError: boolean; error: unknown };
  onRetry: () => void;
}

const OP_TONE: Record<string, string> = {
  create: "bg-emerald-100 text-emerald-800",
  replace: "bg-sky-100 text-sky-800",
  scale: "bg-amber-100 text-amber-900",
  delete: "bg-red-100 text-red-800",
};

/** What the release will do to the cluster, before anything is changed. */
export function ReviewStep({ preview, onRetry }: Props) {
  const t = useT();
  if (preview.isPending) return <LoadingBlock label={t("wizard.previewing")} />;
  if (preview.isError) return <QueryError error={preview.error} onRetry={onRetry} />;
  const p = preview.data;
  if (!p) return <LoadingBlock label={t("wizard.previewing")} />;
  return (
    <div className="space-y-5" data-testid="preview">
      <ul
        className="space-y-0.5 rounded-md bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200"
        data-testid="preview-summary"
      >
        {summaryLines(p.summaryView, t).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <section>
        <h3 className="mb-2 text-sm font-semibold">{t("wizard.objects")}</h3>
        <ul className="space-y-1 text-sm" data-testid="preview-objects">
          {p.objects.map((o, i) => (
            <li key={`${o.kind}-${o.name}-${i}`} className="flex items-center gap-2">
              <span
                className={`w-16 rounded px-1.5 py-0.5 text-center text-xs font-medium ${OP_TONE[o.op] ?? "bg-slate-100"}`}
              >
                {opLabel(o.op, t)}
              </span>
              <span className="text-slate-600">{o.kind}</span>
              <span className="font-mono">
                {o.namespace}/{o.name}
              </span>
            </li>
          ))}
        </ul>
      </section>
      {p.diff.length > 0 && (
        <section>
          <h3 className="mb-2 text-sm font-semibold">{t("wizard.diff")}</h3>
          <div className="space-y-3" data-testid="preview-diff">
            {p.diff.map((d, i) => (
              <DiffView key={`${d.kind}-${d.name}-${i}`} entry={d} />
            ))}
          </div>
        </section>
      )}
      <details open={p.diff.length === 0}>
        <summary className="cursor-pointer text-sm font-semibold">{t("wizard.yaml")}</summary>
        <pre
          className="mt-2 max-h-[32rem] overflow-auto rounded-md bg-slate-900 p-4 text-xs leading-relaxed text-slate-100"
          data-testid="preview-yaml"
        >
          {p.yaml}
        </pre>
      </details>
    </div>
  );
}

function DiffView({ entry }: { entry: PreviewDiffEntry }) {
  const t = useT();
  const lines = withContext(lineDiff(entry.before ?? "", entry.after ?? ""));
  return (
    <div className="overflow-hidden rounded-md border border-slate-200">
      <div className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-sm">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${OP_TONE[entry.op] ?? "bg-slate-100"}`}>
          {opLabel(entry.op, t)}
        </span>
        <span className="text-slate-600">{entry.kind}</span>
        <span className="font-mono">{entry.name}</span>
      </div>
      <pre className="max-h-96 overflow-auto text-xs leading-relaxed">
        {lines.map((l, i) =>
          l.kind === "skip" ? (
            <div key={i} className="bg-slate-50 px-3 text-slate-400 italic">
              {t("wizard.unchangedLines", { n: l.count })}
            </div>
          ) : (
            <div
              key={i}
              className={
                l.kind === "add"
                  ? "bg-emerald-50 px-3 text-emerald-900"
                  : l.kind === "del"
                    ? "bg-red-50 px-3 text-red-900"
                    : "px-3 text-slate-700"
              }
            >
              <span aria-hidden className="mr-2 inline-block w-2 select-none">
                {l.kind === "add" ? "+" : l.kind === "del" ? "-" : " "}
              </span>
              <span className="sr-only">
                {l.kind === "add" ? t("wizard.added") : l.kind === "del" ? t("wizard.removed") : ""}
              </span>
              {l.text}
            </div>
          ),
        )}
      </pre>
    </div>
  );
}
