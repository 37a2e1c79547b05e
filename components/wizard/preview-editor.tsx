"use client";
import { useT } from "@/lib/i18n/client";
import { cookieRegex } from "@/lib/release/match";
import type { VersionGroup } from "@/lib/release/routing";
import type { WizardForm } from "./form";
import { Field, PathError } from "./field";
import { previewHeaderSuggestions } from "./preview-headers";

type Traffic = WizardForm["traffic"];

interface Props {
  form: WizardForm;
  versions: readonly VersionGroup[];
  setTraffic: (patch: Partial<Traffic>) => void;
}

/**
 * Blue-green's preview route: a header (suggested from what the service's callers forward) and/or
 * a cookie, either of which reaches the new version before the switch.
 */
export function PreviewEditor({ form, versions, setTraffic }: Props) {
  const t = useT();
  const tr = form.traffic;
  const next = form.newVersion.version;
  const suggestions = previewHeaderSuggestions(
    form.service,
    versions.map((v) => v.image),
  );
  const cookie = { name: tr.previewCookieName.trim() || "preview", value: tr.previewCookieValue.trim() || "true" };
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={tr.previewEnabled}
            onChange={(e) => setTraffic({ previewEnabled: e.target.checked })}
            data-testid="use-preview"
          />
          {t("wizard.previewHeader")}
        </label>
      </legend>
      <p className="hint">{t("wizard.previewHeaderHint", { next })}</p>
      <p
        className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200"
        data-testid="preview-propagation"
      >
        {t("wizard.previewPropagation")}
      </p>
      {tr.previewEnabled && (
        <>
          <div className="flex flex-wrap items-center gap-2" data-testid="preview-suggestions">
            <span className="text-sm text-slate-600">{t("wizard.previewSuggested")}</span>
            {suggestions.map((h) => (
              <button
                key={h.name}
                type="button"
                aria-pressed={tr.previewName === h.name}
                onClick={() => setTraffic({ previewName: h.name, previewValue: h.value, previewEdited: true })}
                className={`rounded-full border px-2.5 py-0.5 text-xs ${tr.previewName === h.name ? "border-sky-600 bg-sky-50 text-sky-900" : "border-slate-300 bg-white hover:border-slate-500"}`}
                data-testid={`preview-suggestion-${h.name}`}
              >
                {/* A header line as the app will send it: code, not words. */}
                <code className="font-mono">
                  {h.name}: {h.value}
                </code>
                {h.forwardedBy && (
                  <span className="ml-1 text-slate-600">
                    · {t("wizard.previewForwardedBy", { app: h.forwardedBy })}
                  </span>
                )}
              </button>
            ))}
          </div>
          <div className="grid grid-cols-2 gap-4">
            <Field path="traffic.previewHeader.name" label={t("wizard.rules.headerName")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={tr.previewName}
                  onChange={(e) => setTraffic({ previewName: e.target.value, previewEdited: true })}
                />
              )}
            </Field>
            <Field path="traffic.previewHeader.value" label={t("wizard.rules.value")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={tr.previewValue}
                  onChange={(e) => setTraffic({ previewValue: e.target.value, previewEdited: true })}
                />
              )}
            </Field>
          </div>
        </>
      )}
      <PathError path="traffic.previewHeader" />

      <label className="flex items-center gap-2 pt-2 text-sm font-semibold">
        <input
          type="checkbox"
          checked={tr.previewCookieEnabled}
          onChange={(e) => setTraffic({ previewCookieEnabled: e.target.checked })}
          data-testid="use-preview-cookie"
        />
        {t("wizard.previewCookie")}
      </label>
      <p className="hint">{t("wizard.previewCookieHint", { next })}</p>
      {tr.previewCookieEnabled && (
        <>
          <div className="grid grid-cols-2 gap-4">
            <Field path="traffic.previewCookie.name" label={t("wizard.rules.cookieName")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={tr.previewCookieName}
                  onChange={(e) => setTraffic({ previewCookieName: e.target.value })}
                />
              )}
            </Field>
            <Field path="traffic.previewCookie.value" label={t("wizard.rules.value")}>
              {(props) => (
                <input
                  {...props}
                  className="input font-mono"
                  value={tr.previewCookieValue}
                  onChange={(e) => setTraffic({ previewCookieValue: e.target.value })}
                />
              )}
            </Field>
          </div>
          <p className="hint" data-testid="preview-cookie-regex">
            {t("wizard.previewCookieRegex")} <code className="font-mono">{cookieRegex([cookie])}</code>
          </p>
        </>
      )}
      <PathError path="traffic.previewCookie" />
    </fieldset>
  );
}
