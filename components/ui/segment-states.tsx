"use client";
import Link from "next/link";
import { useEffect } from "react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";

/** app/error.tsx, the one error boundary: what failed, and a way to try again or leave. */
export function SegmentError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useT();
  useEffect(() => {
    console.error(error);
  }, [error]);
  const message = errorText(error, t);
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  return (
    <div className="card mx-auto mt-10 max-w-xl p-8" role="alert" data-testid="segment-error">
      <h1>{t("errors.pageFailed")}</h1>
      <p className="mt-3 text-sm break-words text-slate-700">{message}</p>
      {digest && <p className="mt-1 font-mono text-xs text-slate-500">{t("errors.digest", { digest })}</p>}
      <div className="mt-6 flex gap-2">
        <button type="button" className="btn btn-primary" onClick={() => retry()}>
          {t("common.retry")}
        </button>
        <Link href="/" className="btn">
          {t("errors.backHome")}
        </Link>
      </div>
    </div>
  );
}

/** Every segment's loading.tsx re-exports this. */
export function SegmentLoading() {
  const t = useT();
  return (
    <div className="space-y-4" role="status" aria-live="polite" data-testid="segment-loading">
      <span className="sr-only">{t("common.loading")}</span>
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200" />
      <div className="card h-40 animate-pulse bg-slate-50" />
      <div className="card h-64 animate-pulse bg-slate-50" />
    </div>
  );
}
