"use client";
// The namespace's default notification targets: used by its releases that list none. Shown to
// whoever may read the namespace (no secrets, no credentials in URLs); changed by whoever may
// change releases there (PUT /api/namespaces/{ns}/notifications replaces the whole list).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PermissionNote, useCanChange } from "@/components/auth/permission-note";
import { useToast } from "@/components/ui/toast";
import { TargetList, useNamespaceDefaults } from "@/components/wizard/notifications-editor";
import type { NotificationRow } from "@/components/wizard/form";
import { targetsOfRows } from "@/components/wizard/form";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/error-text";
import type { NamespaceNotificationsResponse } from "@/lib/notify/schema";
import { type ApiError, apiFetch } from "@/lib/queries/fetcher";
import { queryKeys } from "@/lib/queries/keys";

function useSaveDefaults(ns: string) {
  const qc = useQueryClient();
  return useMutation<NamespaceNotificationsResponse, ApiError, NotificationRow[]>({
    mutationFn: (rows) =>
      apiFetch<NamespaceNotificationsResponse>(`/api/namespaces/${encodeURIComponent(ns)}/notifications`, {
        method: "PUT",
        body: { targets: targetsOfRows(rows) },
      }),
    onSuccess: (res) => qc.setQueryData(queryKeys.namespaceNotifications(ns), res),
  });
}

/**
 * The stored secrets never come back, so an edit starts from the URLs as shown and asks again
 * for each signing secret: saving replaces the list as a whole.
 */
function Editor({ namespace, onDone }: { namespace: string; onDone: () => void }) {
  const t = useT();
  const toast = useToast();
  const save = useSaveDefaults(namespace);
  const [rows, setRows] = useState<NotificationRow[]>([]);
  const submit = () =>
    save.mutate(rows, {
      onSuccess: () => {
        toast("success", t("nsNotify.saved", { namespace }));
        onDone();
      },
    });
  return (
    <div className="space-y-2" data-testid="ns-notify-editor">
      <p className="hint">{t("nsNotify.replaceHint")}</p>
      <TargetList rows={rows} onChange={setRows} />
      {save.error && (
        <p role="alert" className="text-sm text-red-700" data-testid="ns-notify-error">
          {errorText(save.error, t)}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          className="btn"
          onClick={() => setRows([...rows, { type: "webhook", url: "", secret: "" }])}
          data-testid="ns-notify-add"
        >
          + {t("notifyEditor.add")}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={save.isPending}
          onClick={submit}
          data-testid="ns-notify-save"
        >
          {t("nsNotify.save")}
        </button>
        <button type="button" className="btn" onClick={onDone} data-testid="ns-notify-cancel">
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}

export function NamespaceNotifications({ namespace }: { namespace: string }) {
  const t = useT();
  const can = useCanChange(namespace);
  const defaults = useNamespaceDefaults(namespace);
  const [editing, setEditing] = useState(false);
  const targets = defaults.data?.targets ?? [];
  return (
    <section className="card space-y-2 p-4" aria-labelledby="ns-notify-heading" data-testid="ns-notify">
      <div className="flex items-center justify-between">
        <h2 id="ns-notify-heading">{t("nsNotify.title")}</h2>
        {!editing && (
          <button
            type="button"
            className="btn"
            disabled={!can.allowed}
            onClick={() => setEditing(true)}
            data-testid="ns-notify-edit"
          >
            {t("nsNotify.edit")}
          </button>
        )}
      </div>
      <PermissionNote can={can} place="ns-notify" />
      {defaults.error && <p className="text-sm text-red-700">{errorText(defaults.error, t)}</p>}
      {targets.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="ns-notify-none">
          {t("nsNotify.none")}
        </p>
      ) : (
        <ul className="text-sm" data-testid="ns-notify-targets">
          {targets.map((target) => (
            <li key={`${target.type}-${target.url}`} className="font-mono text-xs">
              {t(`notify.type.${target.type}`)} · {target.url}
              {target.secretSet ? ` (${t("notify.secretSet")})` : ""}
            </li>
          ))}
        </ul>
      )}
      {editing && <Editor namespace={namespace} onDone={() => setEditing(false)} />}
    </section>
  );
}
