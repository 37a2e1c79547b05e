import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import "./globals.css";
import { getLocale, messagesFor } from "@/lib/i18n/server";
import { makeTranslate } from "@/lib/i18n/format";
import { I18nProvider } from "@/lib/i18n/client";
import { Providers } from "@/components/providers";
import { NavLinks } from "@/components/layout/nav-links";
import { LangSwitch } from "@/components/layout/lang-switch";
import { ClusterStatusBanner, HealthDot } from "@/components/layout/health-dot";
import { UserMenu } from "@/components/auth/user-menu";

export async function generateMetadata(): Promise<Metadata> {
  const t = makeTranslate(messagesFor(await getLocale()));
  return { title: { default: t("app.name"), template: `%s · ${t("app.name")}` }, description: t("app.tagline") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const messages = messagesFor(locale);
  const t = makeTranslate(messages);
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <I18nProvider locale={locale} messages={messages}>
          <Providers>
            <a
              href="#main"
              className="sr-only-focusable fixed top-2 left-2 z-50 rounded bg-white px-3 py-2 text-sm shadow"
            >
              {t("header.skipToContent")}
            </a>
            <header className="bg-slate-900 text-white">
              <div className="mx-auto flex h-14 max-w-[1600px] items-center gap-6 px-6">
                <Link href="/" className="flex items-baseline gap-2 text-base font-semibold whitespace-nowrap">
                  <span>{t("app.name")}</span>
                  <span className="text-xs font-normal text-slate-400">{t("app.tagline")}</span>
                </Link>
                <NavLinks
                  label={t("nav.label")}
                  items={[
                    { href: "/", label: t("nav.overview") },
                    { href: "/namespaces", label: t("nav.namespaces") },
                    { href: "/releases", label: t("nav.releases") },
                  ]}
                />
                <div className="ml-auto flex items-center gap-3">
                  <UserMenu />
                  <HealthDot />
                  <LangSwitch />
                </div>
              </div>
            </header>
            <ClusterStatusBanner />
            <main id="main" className="mx-auto max-w-[1600px] px-6 py-6">
              {children}
            </main>
          </Providers>
        </I18nProvider>
      </body>
    </html>
  );
}
