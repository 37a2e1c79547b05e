"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { localeCookie, type Locale } from "@/lib/i18n/config";
import { useLocale, useT } from "@/lib/i18n/client";

/**
 * Toggles between English and 简体中文. The choice goes into the `gc-locale` cookie and the
 * page is re-rendered on the server, so server and client components switch together.
 */
export function LangSwitch() {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const other: Locale = locale === "en" ? "zh-CN" : "en";
  return (
    <button
      type="button"
      data-testid="lang-switch"
      lang={other}
      aria-label={t("header.switchLanguage")}
      disabled={pending}
      className="rounded-md border border-white/25 px-2.5 py-1 text-sm text-white hover:bg-white/10 disabled:opacity-60"
      onClick={() => {
        // biome-ignore lint/suspicious/noDocumentCookie: one cookie, read by the server on the refresh that follows; the Cookie Store API is not in every browser we support
        document.cookie = localeCookie(other);
        startTransition(() => router.refresh());
      }}
    >
      {other === "zh-CN" ? "中文" : "English"}
    </button>
  );
}
