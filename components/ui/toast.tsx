"use client";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "@/lib/i18n/client";

export type ToastKind = "success" | "error" | "info";
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}
type Push = (kind: ToastKind, message: string) => void;

const ToastContext = createContext<Push | null>(null);

/** Errors stay until dismissed (they explain why something did not happen); others fade. */
const AUTO_DISMISS_MS = 5_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const push = useCallback<Push>((kind, message) => {
    const id = next.current++;
    setToasts((ts) => [...ts.slice(-4), { id, kind, message }]);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  return (
    <ToastContext.Provider value={push}>
      {children}
      <div
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[28rem] max-w-[calc(100vw-2rem)] flex-col gap-2"
        aria-live="polite"
        role="status"
      >
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const t = useT();
  useEffect(() => {
    if (toast.kind === "error") return;
    const timer = setTimeout(() => onDismiss(toast.id), AUTO_DISMISS_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);
  const tone =
    toast.kind === "error"
      ? "border-red-300 bg-red-50 text-red-900"
      : toast.kind === "success"
        ? "border-emerald-300 bg-emerald-50 text-emerald-900"
        : "border-slate-300 bg-white text-slate-900";
  return (
    <div
      className={`pointer-events-auto flex items-start gap-3 rounded-md border px-4 py-3 text-sm shadow-lg ${tone}`}
      data-testid={`toast-${toast.kind}`}
    >
      <p className="flex-1 break-words">{toast.message}</p>
      <button type="button" className="btn-ghost -my-1 px-2 py-1 text-xs" onClick={() => onDismiss(toast.id)}>
        {t("common.dismiss")}
      </button>
    </div>
  );
}

export function useToast(): Push {
  const push = useContext(ToastContext);
  if (!push) throw new Error("useToast() used outside <ToastProvider>");
  return push;
}
