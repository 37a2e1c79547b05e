"use client";
import { usePermissions } from "@/lib/queries/hooks";
import { useLocale, useT } from "@/lib/i18n/client";
import { deniedKinds, joinList } from "./permissions";

export interface CanChange {
  /** False only when the apiserver said no; unknown (loading, failed) counts as allowed. */
  allowed: boolean;
  /** "You may view but not change VirtualServices, Deployments in bookinfo"; null when allowed. */
  reasonText: string | null;
  /** The apiserver's own wording, when it gave one. */
  detail: string | null;
}

const ALLOWED: CanChange = { allowed: true, reasonText: null, detail: null };

/**
 * Whether the signed-in user may drive releases in `namespace`. While the answer loads, or
 * when it cannot be had, controls stay as they are: the server enforces either way, and a
 * control that flashes disabled on every page load is worse than one refused on click.
 */
export function useCanChange(namespace: string | undefined): CanChange {
  const t = useT();
  const locale = useLocale();
  const q = usePermissions(namespace);
  const change = q.data?.change;
  if (!namespace || !change || change.allowed) return ALLOWED;
  const kinds = deniedKinds(change.denied);
  return {
    allowed: false,
    reasonText:
      kinds.length > 0
        ? t("auth.cannotChange", { resources: joinList(kinds, locale), namespace })
        : t("auth.cannotChangeAnything", { namespace }),
    detail: change.reason || null,
  };
}

/**
 * The visible reason beside controls that are disabled for lack of permission. `place` tells
 * the notes of one page apart (data-place), `id` lets the controls point at it
 * (aria-describedby). Renders nothing while changes are allowed.
 */
export function PermissionNote({
  can,
  place,
  id,
  className = "",
}: {
  can: CanChange;
  place: string;
  id?: string;
  className?: string;
}) {
  const t = useT();
  if (can.allowed || !can.reasonText) return null;
  return (
    <div
      id={id}
      role="note"
      data-testid="permission-note"
      data-place={place}
      className={`rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950 ${className}`}
    >
      <p className="font-medium">{can.reasonText}</p>
      {can.detail && <p className="mt-0.5 text-xs opacity-80">{t("auth.apiserverReason", { reason: can.detail })}</p>}
    </div>
  );
}
