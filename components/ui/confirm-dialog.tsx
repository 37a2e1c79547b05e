"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useT } from "@/lib/i18n/client";

interface Props {
  open: boolean;
  title: string;
  /** What exactly will be changed or deleted: one line per effect. */
  effects: string[];
  confirmLabel: string;
  tone?: "danger" | "primary";
  busy?: boolean;
  children?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Modal confirmation built on <dialog>: the browser supplies focus trapping, Escape to
 * close and the inert background, which a hand-rolled overlay tends to get wrong.
 */
export function ConfirmDialog({
  open,
  title,
  effects,
  confirmLabel,
  tone = "danger",
  busy = false,
  children,
  onConfirm,
  onCancel,
}: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={descId}
      data-testid="confirm-dialog"
      className="m-auto w-[34rem] max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      onCancel={(e) => {
        // Escape: let React state decide, so the parent stays the source of truth.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <div className="p-6">
        <h2 id={titleId} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <div id={descId} className="mt-3 text-sm text-slate-700">
          <ul className="list-disc space-y-1 pl-5" data-testid="confirm-dialog-effects">
            {effects.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {children}
        </div>
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-6 py-3">
        <button
          type="button"
          className="btn"
          onClick={onCancel}
          disabled={busy}
          data-testid="confirm-dialog-cancel"
          // biome-ignore lint/a11y/noAutofocus: a confirmation opens on the safe choice, as the WAI-ARIA dialog pattern advises
          autoFocus
        >
          {t("common.cancel")}
        </button>
        <button
          type="button"
          className={tone === "danger" ? "btn btn-danger" : "btn btn-primary"}
          onClick={onConfirm}
          disabled={busy}
          data-testid="confirm-dialog-ok"
        >
          {busy ? t("common.working") : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
