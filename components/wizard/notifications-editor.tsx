"use client";
// The wizard's "Notifications" part: where this release's events go (spec.notifications).
// Left empty, the namespace's defaults apply (README "Notifications"); a secret is asked only
// for the platforms that sign (DingTalk, Feishu, the generic webhook).
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useT } from "@/lib/i18n/client";
import { apiFetch } from "@/lib/queries/fetcher";
import { queryKeys } from "@/lib/queries/keys";
import { SIGNING_TYPES, TARGET_TYPES, type NamespaceNotificationsResponse, type TargetType } from "@/lib/notify/schema";
import type { NotificationRow, WizardForm } from "./form";
import { PathError } from "./field";
import type { SetForm } from "./steps";

export function useNamespaceDefaults(ns: string) {
  return useQuery<NamespaceNotificationsResponse>({
    queryKey: queryKeys.namespaceNotifications(ns),
    queryFn: ({ signal }) =>
      apiFetch<NamespaceNotificationsResponse>(`/api/namespaces/${encodeURIComponent(ns)}/notifications`, { signal }),
    enabled: ns !== "",
  });
}

/** One target: platform, URL, secret where the platform signs. `errorAt` shows a field's error (the wizard's beside-the-field text). */
function TargetRow({
  row,
  index,
  onChange,
  onRemove,
  errorAt = () => null,
}: {
  row: NotificationRow;
  index: number;
  onChange: (row: NotificationRow) => void;
  onRemove: () => void;
  errorAt?: (path: string) => ReactNode;
}) {
  const t = useT();
  const signs = SIGNING_TYPES.includes(row.type);
  return (
    <li className="flex flex-wrap items-start gap-2" data-testid={`notify-row-${index}`}>
      <select
        className="input w-36"
        aria-label={t("notifyEditor.type", { n: index + 1 })}
        value={row.type}
        onChange={(e) => {
          const type = e.target.value as TargetType;
          onChange({ ...row, type, secret: SIGNING_TYPES.includes(type) ? row.secret : "" });
        }}
        data-testid={`notify-type-${index}`}
      >
        {TARGET_TYPES.map((type) => (
          <option key={type} value={type}>
            {t(`notify.type.${type}`)}
          </option>
        ))}
      </select>
      <div className="flex-1">
        <input
          className="input w-full min-w-72"
          placeholder="https://"
          aria-label={t("notifyEditor.url", { n: index + 1 })}
          value={row.url}
          onChange={(e) => onChange({ ...row, url: e.target.value })}
          data-testid={`notify-url-${index}`}
        />
        {errorAt(`notifications[${index}].url`)}
      </div>
      {signs && (
        <input
          className="input w-48"
          type="password"
          autoComplete="off"
          placeholder={t("notifyEditor.secretOptional")}
          aria-label={t("notifyEditor.secret", { n: index + 1 })}
          value={row.secret}
          onChange={(e) => onChange({ ...row, secret: e.target.value })}
          data-testid={`notify-secret-${index}`}
        />
      )}
      <button
        type="button"
        className="btn"
        aria-label={t("notifyEditor.remove", { n: index + 1 })}
        onClick={onRemove}
        data-testid={`notify-remove-${index}`}
      >
        ×
      </button>
      {errorAt(`notifications[${index}]`)}
    </li>
  );
}

/** The editable list of targets (wizard and namespace page). */
export function TargetList({
  rows,
  onChange,
  errorAt,
}: {
  rows: NotificationRow[];
  onChange: (rows: NotificationRow[]) => void;
  errorAt?: (path: string) => ReactNode;
}) {
  return (
    <ol className="space-y-2">
      {rows.map((row, i) => (
        <TargetRow
          // biome-ignore lint/suspicious/noArrayIndexKey: rows hold no local state (controlled inputs): a row is its position
          key={i}
          row={row}
          index={i}
          onChange={(r) => onChange(rows.map((x, j) => (j === i ? r : x)))}
          onRemove={() => onChange(rows.filter((_, j) => j !== i))}
          errorAt={errorAt}
        />
      ))}
    </ol>
  );
}

export function NotificationsEditor({ form, setForm }: { form: WizardForm; setForm: SetForm }) {
  const t = useT();
  const defaults = useNamespaceDefaults(form.namespace).data?.targets ?? [];
  const rows = form.notifications;
  const setRows = (next: NotificationRow[]) => setForm((f) => ({ ...f, notifications: next }));
  return (
    <fieldset className="rounded-md border border-slate-200 p-4" data-testid="notify-editor">
      <legend className="px-1 text-sm font-semibold">{t("notifyEditor.title")}</legend>
      <p className="hint mb-3" data-testid="notify-defaults">
        {rows.length > 0
          ? t("notifyEditor.own")
          : defaults.length > 0
            ? t("notifyEditor.defaults", { n: defaults.length, namespace: form.namespace })
            : t("notifyEditor.none")}
      </p>
      <TargetList rows={rows} onChange={setRows} errorAt={(path) => <PathError path={path} />} />
      <button
        type="button"
        className="btn mt-2"
        onClick={() => setRows([...rows, { type: "webhook", url: "", secret: "" }])}
        data-testid="notify-add"
      >
        + {t("notifyEditor.add")}
      </button>
      <PathError path="notifications" />
    </fieldset>
  );
}
