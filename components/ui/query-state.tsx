"use client";
import { useT } from "@/lib/i18n/client";
import { isApiError } from "@/lib/queries/fetcher";
import { errorText } from "@/lib/i18n/error-text";

/**
 * How a failed query shows on a page. A down cluster is a banner that says so in plain words
 * (the page keeps working once it is back); other errors show the server's own message.
 */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const unreachable = isApiError(error) && error.clusterUnreachable;
  const message = errorText(error, t);
  return (
    <div
      role="alert"
      data-testid={unreachable ? "cluster-unreachable" : "query-error"}
      className={`rounded-md border px-4 py-3 text-sm ${unreachable ? "border-amber-300 bg-amber-50 text-amber-950" : "border-red-300 bg-red-50 text-red-900"}`}
    >
      <p className="font-medium">{unreachable ? t("errors.clusterUnreachable") : t("errors.requestFailed")}</p>
      <p className="mt-1 break-words opacity-80">
        {unreachable ? t("errors.clusterUnreachableHint", { message }) : message}
      </p>
      {onRetry && (
        <button type="button" className="btn mt-2" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}

export function LoadingBlock({ label }: { label?: string }) {
  const t = useT();
  return (
    <div className="flex items-center gap-3 py-8 text-sm text-slate-500" role="status" aria-live="polite">
      <span
        className="inline-block size-4 animate-spin rounded-full border-2 border-slate-300 border-t-slate-600"
        aria-hidden
      />
      {label ?? t("common.loading")}
    </div>
  );
}
